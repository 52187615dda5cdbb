using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Commands;

/// <summary>What recording one open or click did.</summary>
public enum TrackingOutcome
{
    /// <summary>Stored and applied.</summary>
    Recorded = 0,
    /// <summary>A hit with the same idempotency key was recorded before: nothing changed.</summary>
    Duplicate = 1,
    /// <summary>No such delivery (a forged or stale token): ignored.</summary>
    UnknownDelivery = 2,
}

/// <summary>
/// Stores an open or a click and applies it through <see cref="BounceRules.ApplyTracking"/> in one transaction: the
/// delivery's first open/click and the contact's activity (which resets the bounce streaks it postdates). The hit's
/// idempotency key is unique, so a replayed hit is stored and applied once; the unit runs through
/// <see cref="DbCommandRunner"/> (execution strategy, retry on a concurrency conflict) and is logged with ids only.
/// </summary>
public sealed class TrackingCommands(DbCommandRunner runner, ILogger<TrackingCommands> logger)
{
    public async Task<TrackingOutcome> RecordAsync(TrackingEvent tracking, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracking);
        var template = tracking.CopyAsNew();
        return await runner.RunAsync(
            nameof(RecordAsync),
            async (db, attempt, ct) =>
            {
                var hit = attempt == 1 ? tracking : template.CopyAsNew();
                var outcome = await ApplyAsync(db, hit, ct);
                return (outcome, outcome == TrackingOutcome.Recorded);
            },
            cancellationToken);
    }

    private async Task<TrackingOutcome> ApplyAsync(BounceDbContext db, TrackingEvent tracking, CancellationToken cancellationToken)
    {
        if (await db.TrackingEvents.AnyAsync(e => e.IdempotencyKey == tracking.IdempotencyKey, cancellationToken))
        {
            logger.LogInformation("{Kind} for delivery {DeliveryId}: duplicate hit, nothing changed", tracking.Kind, tracking.DeliveryId);
            return TrackingOutcome.Duplicate;
        }

        var delivery = await db.Deliveries.SingleOrDefaultAsync(d => d.Id == tracking.DeliveryId, cancellationToken);
        if (delivery is null)
        {
            logger.LogInformation("{Kind} for delivery {DeliveryId}: no such delivery, ignored", tracking.Kind, tracking.DeliveryId);
            return TrackingOutcome.UnknownDelivery;
        }

        var contact = await db.Contacts.SingleAsync(c => c.Id == delivery.ContactId, cancellationToken);
        var applied = BounceRules.ApplyTracking(tracking, delivery, contact);
        db.TrackingEvents.Add(tracking);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            // The same hit recorded at the same moment by another request: the unique key refused the second.
            db.ChangeTracker.Clear();
            if (await db.TrackingEvents.AnyAsync(e => e.IdempotencyKey == tracking.IdempotencyKey, cancellationToken))
            {
                return TrackingOutcome.Duplicate;
            }

            throw;
        }

        logger.LogInformation(
            "{Kind} {TrackingEventId} for delivery {DeliveryId} contact {ContactId}: first of its kind {First}, streaks reset {Reset}",
            tracking.Kind,
            tracking.Id,
            delivery.Id,
            contact.Id,
            applied.FirstOfKind,
            applied.CountersReset);
        return TrackingOutcome.Recorded;
    }
}
