using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Commands;

/// <summary>What recording, matching or applying one bounce event did.</summary>
/// <param name="BounceEventId">The stored event (the earlier one when <paramref name="Duplicate"/>).</param>
/// <param name="Duplicate">The event (or one with the same idempotency key) was already stored or applied: nothing changed.</param>
/// <param name="Effect">What the rules did to the delivery.</param>
/// <param name="SuppressionAdded">The reason of the suppression entry added, if one was.</param>
/// <param name="ContactStatus">The contact's status afterwards, when a contact was involved.</param>
/// <param name="State">Where the event stands afterwards: applied, or waiting for a match in the review queue.</param>
public sealed record BounceCommandResult(
    long BounceEventId,
    bool Duplicate,
    BounceEffect Effect,
    SuppressionReason? SuppressionAdded,
    ContactStatus? ContactStatus,
    BounceEventState State);

/// <summary>
/// Stores bounce events and applies them through <see cref="BounceRules"/>: the event, its idempotency key, the
/// delivery, the contact and any suppression entry are committed in one transaction, and the key's unique index
/// makes a replay (the same message polled twice, the same webhook posted twice) a harmless no-op. An unmatched event
/// is stored waiting for a match (the review queue); <see cref="MatchAsync"/> links it later and applies it once.
/// Each unit of work runs through <see cref="DbCommandRunner"/> (execution strategy, retry on a concurrency conflict)
/// and is logged with ids only.
/// </summary>
public sealed class BounceCommands(DbCommandRunner runner, BounceRules rules, TimeProvider time, ILogger<BounceCommands> logger)
{
    /// <summary>Stores and applies one event in a transaction of its own, retried on a concurrency conflict.</summary>
    public async Task<BounceCommandResult> RecordAsync(BounceEvent bounce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bounce);

        // A conflict rolls back a try that already gave this instance an id and an applied state: later tries use copies.
        var template = bounce.CopyAsNew();
        return await runner.RunAsync(
            nameof(RecordAsync),
            async (db, attempt, ct) => (await RecordAsync(db, attempt == 1 ? bounce : template.CopyAsNew(), ct), true),
            cancellationToken);
    }

    /// <summary>
    /// Stores and applies one event on the caller's context and inside the caller's transaction, so a job can commit
    /// it together with its own progress (a mailbox watermark); the caller runs the unit through
    /// <see cref="DbCommandRunner"/>. Saves changes; does not commit.
    /// </summary>
    public async Task<BounceCommandResult> RecordAsync(BounceDbContext db, BounceEvent bounce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(bounce);
        if (await FindDuplicateAsync(db, bounce.IdempotencyKey, cancellationToken) is { } earlier)
        {
            logger.LogDebug("Bounce event {BounceEventId}: duplicate of a stored event, nothing changed", earlier.BounceEventId);
            return earlier;
        }

        db.BounceEvents.Add(bounce);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            // A concurrent replay may have stored the same key first, and the unique index refused ours.
            db.Entry(bounce).State = EntityState.Detached;
            if (await FindDuplicateAsync(db, bounce.IdempotencyKey, cancellationToken) is { } concurrent)
            {
                return concurrent;
            }

            throw;
        }

        return await ApplyAsync(db, bounce, "Record", cancellationToken);
    }

    /// <summary>
    /// Links an event waiting in the review queue to a delivery and applies the rules to it, once (an admin's review
    /// or a late automatic match). Matching an applied event to the same delivery again changes nothing.
    /// </summary>
    /// <exception cref="DomainException">The event or the delivery does not exist, or the event belongs elsewhere.</exception>
    public async Task<BounceCommandResult> MatchAsync(long bounceEventId, long deliveryId, CancellationToken cancellationToken = default) =>
        await runner.RunAsync(
            nameof(MatchAsync),
            async (db, _, ct) =>
            {
                var bounce = await LoadAsync(db, bounceEventId, ct);
                if (bounce.IsApplied && bounce.DeliveryId == deliveryId)
                {
                    return (Result(bounce, duplicate: true, null, null), false);
                }

                return (await MatchAsync(db, bounce, deliveryId, ct), true);
            },
            cancellationToken);

    /// <summary>
    /// Links a tracked event waiting in the review queue to a delivery and applies the rules to it, on the caller's context
    /// and inside the caller's transaction (the review queue commits it with its audit entry). Saves changes; does not commit.
    /// </summary>
    /// <exception cref="DomainException">The delivery does not exist, or the event cannot be matched to it.</exception>
    public async Task<BounceCommandResult> MatchAsync(BounceDbContext db, BounceEvent bounce, long deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(bounce);
        if (!await db.Deliveries.AnyAsync(d => d.Id == deliveryId, cancellationToken))
        {
            throw new DomainException($"Delivery {deliveryId} does not exist.");
        }

        bounce.MatchTo(deliveryId);
        var result = await ApplyAsync(db, bounce, "Match", cancellationToken);
        await RecordLateMatchAsync(db, bounce, cancellationToken);
        return result;
    }

    /// <summary>Applies an event stored earlier and still pending. Applying it again changes nothing.</summary>
    public async Task<BounceCommandResult> ApplyStoredAsync(long bounceEventId, CancellationToken cancellationToken = default) =>
        await runner.RunAsync(
            nameof(ApplyStoredAsync),
            async (db, _, ct) => (await ApplyAsync(db, await LoadAsync(db, bounceEventId, ct), "Apply", ct), true),
            cancellationToken);

    /// <summary>The event's inbound message leaves the review queue once none of its events waits for a match.</summary>
    private async Task RecordLateMatchAsync(BounceDbContext db, BounceEvent bounce, CancellationToken cancellationToken)
    {
        if (bounce.InboundMessageId is not { } messageId
            || await db.BounceEvents.AnyAsync(e => e.InboundMessageId == messageId && e.DeliveryId == null && e.State == BounceEventState.AwaitingMatch, cancellationToken))
        {
            return;
        }

        var message = await db.InboundMessages.SingleAsync(m => m.Id == messageId, cancellationToken);
        if (message.RecordLateMatch(time.GetUtcNow()))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static async Task<BounceEvent> LoadAsync(BounceDbContext db, long bounceEventId, CancellationToken cancellationToken) =>
        await db.BounceEvents.SingleOrDefaultAsync(e => e.Id == bounceEventId, cancellationToken)
            ?? throw new DomainException($"Bounce event {bounceEventId} does not exist.");

    /// <summary>
    /// Applies a stored event that is matched and not yet applied, on the caller's context and inside the caller's
    /// transaction (re-classification of a stored inbound message). Applying it again changes nothing. Saves changes;
    /// does not commit.
    /// </summary>
    public async Task<BounceCommandResult> ApplyPendingAsync(BounceDbContext db, BounceEvent bounce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(bounce);
        return await ApplyAsync(db, bounce, "Reclassify", cancellationToken);
    }

    private async Task<BounceCommandResult> ApplyAsync(BounceDbContext db, BounceEvent bounce, string command, CancellationToken cancellationToken)
    {
        Delivery? delivery = null;
        Contact? contact = null;
        SuppressionEntry? suppression = null;
        if (bounce.DeliveryId is { } deliveryId)
        {
            // Only the latest attempt is updated by a failure, so only it is loaded.
            delivery = await db.Deliveries
                .Include(d => d.Attempts.OrderByDescending(a => a.Number).Take(1))
                .SingleAsync(d => d.Id == deliveryId, cancellationToken);
            contact = await db.Contacts.SingleAsync(c => c.Id == delivery.ContactId, cancellationToken);
            var address = contact.Email;
            suppression = await db.SuppressionEntries.SingleOrDefaultAsync(s => s.Email == address && s.LiftedAt == null, cancellationToken);
        }

        var application = rules.ApplyBounce(bounce, delivery, contact, suppression);
        if (application.NewSuppression is { } entry)
        {
            db.SuppressionEntries.Add(entry);
        }

        if (contact is not null && !application.AlreadyApplied && db.Entry(contact).State == EntityState.Unchanged)
        {
            // Every application for a contact moves its concurrency token, even one that changed only the delivery or the
            // suppression list: two complaints for one address applied at once then conflict on the contact and run
            // again, instead of both lifting the same entry and racing on the one-active-entry index.
            db.Entry(contact).State = EntityState.Modified;
        }

        if (delivery is not null || application.NewSuppression is not null)
        {
            // Without a delivery the rules change nothing (the event waits in the review queue): no save to make.
            await db.SaveChangesAsync(cancellationToken);
        }

        // What changed a delivery, a contact or the suppression list is logged at Information; an event that changed
        // nothing (unmatched, waiting in the review queue, or already applied) at Debug, so a bulk ingest of thousands
        // of unmatched reports does not write a line for each.
        var changedSomething = application.Effect != BounceEffect.None
            || application.NewSuppression is not null
            || application.ContactStatusBefore != application.ContactStatusAfter;
        logger.Log(
            changedSomething ? LogLevel.Information : LogLevel.Debug,
            "{Command} bounce event {BounceEventId} ({Kind}, {Reason}) delivery {DeliveryId} contact {ContactId}: {State}, effect {Effect}, suppression added {Suppression}, contact status {StatusBefore} -> {StatusAfter}",
            command,
            bounce.Id,
            bounce.Kind,
            bounce.Reason,
            delivery?.Id,
            contact?.Id,
            bounce.State,
            application.Effect,
            application.NewSuppression?.Reason,
            application.ContactStatusBefore,
            application.ContactStatusAfter);
        return Result(bounce, application.AlreadyApplied, application.NewSuppression?.Reason, contact?.Status, application.Effect);
    }

    private static BounceCommandResult Result(BounceEvent bounce, bool duplicate, SuppressionReason? added, ContactStatus? status, BounceEffect? effect = null) =>
        new(bounce.Id, duplicate, effect ?? bounce.Effect ?? BounceEffect.None, added, status, bounce.State);

    private static async Task<BounceCommandResult?> FindDuplicateAsync(BounceDbContext db, string key, CancellationToken cancellationToken)
    {
        var earlier = await db.BounceEvents.AsNoTracking()
            .Where(e => e.IdempotencyKey == key)
            .Select(e => new { e.Id, e.Effect, e.State })
            .SingleOrDefaultAsync(cancellationToken);
        return earlier is null ? null : new BounceCommandResult(earlier.Id, true, earlier.Effect ?? BounceEffect.None, null, null, earlier.State);
    }
}
