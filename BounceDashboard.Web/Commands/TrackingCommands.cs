using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Notifications;
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

/// <summary>What a recipient's one-click unsubscribe did.</summary>
public enum UnsubscribeOutcome
{
    /// <summary>The contact was opted out or the address suppressed (or both).</summary>
    Unsubscribed = 0,
    /// <summary>Already opted out and suppressed: nothing changed.</summary>
    AlreadyUnsubscribed = 1,
    /// <summary>No such delivery (a forged or stale token): ignored.</summary>
    UnknownDelivery = 2,
}

/// <summary>
/// Stores an open or a click and applies it through <see cref="BounceRules.ApplyTracking"/> in one transaction: the
/// delivery's first open/click and the contact's activity (which resets the bounce streaks it postdates). The hit's
/// idempotency key is unique, so a replayed hit is stored and applied once; the unit runs through
/// <see cref="DbCommandRunner"/> (execution strategy, retry on a concurrency conflict) and is logged with ids only.
/// A recipient's one-click unsubscribe (<see cref="UnsubscribeAsync(long, CancellationToken)"/>) runs the same way.
/// </summary>
public sealed class TrackingCommands(DbCommandRunner runner, BounceRules rules, ILogger<TrackingCommands> logger, DashboardNotifier? notifier = null)
{
    /// <summary>
    /// A recipient's one-click unsubscribe from delivery <paramref name="deliveryId"/> (its token already verified):
    /// <see cref="BounceRules.ApplyUnsubscribe"/> opts the contact out and suppresses the address with reason
    /// Unsubscribe, in one transaction. Idempotent by state: asking again finds both done and changes nothing.
    /// </summary>
    /// <remarks>
    /// Not audited: the audit log records admins' actions; the recipient's is recorded on the contact (status and
    /// time) and on the suppression entry (created by <see cref="BounceRules.RecipientActor"/>, naming the delivery),
    /// as an unsubscribe report's is.
    /// </remarks>
    public async Task<UnsubscribeOutcome> UnsubscribeAsync(long deliveryId, CancellationToken cancellationToken = default) =>
        await runner.RunAsync(
            nameof(UnsubscribeAsync),
            async (db, _, ct) =>
            {
                var outcome = await UnsubscribeAsync(db, deliveryId, ct);
                return (outcome, outcome == UnsubscribeOutcome.Unsubscribed);
            },
            cancellationToken);

    private async Task<UnsubscribeOutcome> UnsubscribeAsync(BounceDbContext db, long deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await db.Deliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (delivery is null)
        {
            logger.LogInformation("Unsubscribe for delivery {DeliveryId}: no such delivery, ignored", deliveryId);
            return UnsubscribeOutcome.UnknownDelivery;
        }

        var contact = await db.Contacts.SingleAsync(c => c.Id == delivery.ContactId, cancellationToken);
        var address = contact.Email;
        var suppression = await db.SuppressionEntries.SingleOrDefaultAsync(s => s.Email == address && s.LiftedAt == null, cancellationToken);
        var statusBefore = contact.Status;
        var added = rules.ApplyUnsubscribe(delivery, contact, suppression);
        if (added is null && contact.Status == statusBefore)
        {
            return UnsubscribeOutcome.AlreadyUnsubscribed;
        }

        if (added is not null)
        {
            db.SuppressionEntries.Add(added);
        }

        // The contact's concurrency token moves even when only the suppression list changes, so two unsubscribes at
        // once conflict on the contact and the second runs again (and finds it done) instead of racing on the
        // one-entry-in-force index.
        db.Entry(contact).State = EntityState.Modified;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation(
            "Unsubscribe for delivery {DeliveryId} contact {ContactId}: status {StatusBefore} -> {StatusAfter}, suppression added {Added}",
            delivery.Id,
            contact.Id,
            statusBefore,
            contact.Status,
            added is not null);
        return UnsubscribeOutcome.Unsubscribed;
    }

    public async Task<TrackingOutcome> RecordAsync(TrackingEvent tracking, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracking);
        var template = tracking.CopyAsNew();
        var recorded = await runner.RunAsync(
            nameof(RecordAsync),
            async (db, attempt, ct) =>
            {
                var hit = attempt == 1 ? tracking : template.CopyAsNew();
                var outcome = await ApplyAsync(db, hit, ct);
                return (outcome, outcome == TrackingOutcome.Recorded);
            },
            cancellationToken);
        if (recorded == TrackingOutcome.Recorded)
        {
            await notifier.NotifyIfPresentAsync(campaignId: null);
        }

        return recorded;
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
