using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Commands;

/// <summary>What recording one bounce event did.</summary>
/// <param name="BounceEventId">The stored event (the earlier one when <paramref name="Duplicate"/>).</param>
/// <param name="Duplicate">An event with the same idempotency key was already stored: nothing changed.</param>
/// <param name="Effect">What the rules did to the delivery.</param>
/// <param name="SuppressionAdded">The reason of the suppression entry added, if one was.</param>
/// <param name="ContactStatus">The contact's status afterwards, when a contact was involved.</param>
public sealed record BounceCommandResult(
    long BounceEventId,
    bool Duplicate,
    BounceEffect Effect,
    SuppressionReason? SuppressionAdded,
    ContactStatus? ContactStatus);

/// <summary>
/// Stores bounce events and applies them through <see cref="BounceRules"/>: the event, its idempotency key, the
/// delivery, the contact and any suppression entry are committed in one transaction, and the key's unique index
/// makes a replay (the same message polled twice, the same webhook posted twice) a harmless no-op.
/// </summary>
public sealed class BounceCommands(IDbContextFactory<BounceDbContext> dbFactory, BounceRules rules)
{
    /// <summary>Stores and applies one event in a transaction of its own.</summary>
    public async Task<BounceCommandResult> RecordAsync(BounceEvent bounce, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await RecordAsync(db, bounce, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Stores and applies one event on the caller's context and inside the caller's transaction, so a job can commit
    /// it together with its own progress (a mailbox watermark). Saves changes; does not commit.
    /// </summary>
    public async Task<BounceCommandResult> RecordAsync(BounceDbContext db, BounceEvent bounce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(bounce);
        if (await FindDuplicateAsync(db, bounce.IdempotencyKey, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        db.BounceEvents.Add(bounce);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent replay may have stored the same key first, and the unique index refused ours.
            db.Entry(bounce).State = EntityState.Detached;
            if (await FindDuplicateAsync(db, bounce.IdempotencyKey, cancellationToken) is { } concurrent)
            {
                return concurrent;
            }

            throw;
        }

        return await ApplyAsync(db, bounce, cancellationToken);
    }

    /// <summary>Applies an event stored earlier (for instance once the review queue matched it). Applying it again changes nothing.</summary>
    public async Task<BounceCommandResult> ApplyStoredAsync(long bounceEventId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var bounce = await db.BounceEvents.SingleOrDefaultAsync(e => e.Id == bounceEventId, cancellationToken)
            ?? throw new DomainException($"Bounce event {bounceEventId} does not exist.");
        var result = await ApplyAsync(db, bounce, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Applies a stored event that is matched and not yet applied, on the caller's context and inside the caller's
    /// transaction (re-classification of a stored inbound message). Applying it again changes nothing. Saves changes;
    /// does not commit.
    /// </summary>
    public async Task<BounceCommandResult> ApplyPendingAsync(BounceDbContext db, BounceEvent bounce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(bounce);
        return await ApplyAsync(db, bounce, cancellationToken);
    }

    private async Task<BounceCommandResult> ApplyAsync(BounceDbContext db, BounceEvent bounce, CancellationToken cancellationToken)
    {
        Delivery? delivery = null;
        Contact? contact = null;
        var recipient = EmailAddress.TryNormalize(bounce.Recipient, out var normalized) ? normalized : null;
        if (bounce.DeliveryId is { } deliveryId)
        {
            // Only the latest attempt is updated by a failure, so only it is loaded.
            delivery = await db.Deliveries
                .Include(d => d.Attempts.OrderByDescending(a => a.Number).Take(1))
                .SingleAsync(d => d.Id == deliveryId, cancellationToken);
            contact = await db.Contacts.SingleAsync(c => c.Id == delivery.ContactId, cancellationToken);
        }
        else if (recipient is not null)
        {
            contact = await db.Contacts.SingleOrDefaultAsync(c => c.Email == recipient, cancellationToken);
        }

        var address = contact?.Email ?? recipient;
        var suppression = address is null
            ? null
            : await db.SuppressionEntries.SingleOrDefaultAsync(s => s.Email == address && s.LiftedAt == null, cancellationToken);

        var application = rules.ApplyBounce(bounce, delivery, contact, suppression);
        if (application.NewSuppression is { } entry)
        {
            db.SuppressionEntries.Add(entry);
        }

        await db.SaveChangesAsync(cancellationToken);
        return new BounceCommandResult(
            bounce.Id,
            application.AlreadyApplied,
            application.Effect,
            application.NewSuppression?.Reason,
            contact?.Status);
    }

    private static async Task<BounceCommandResult?> FindDuplicateAsync(BounceDbContext db, string key, CancellationToken cancellationToken)
    {
        var earlier = await db.BounceEvents.AsNoTracking()
            .Where(e => e.IdempotencyKey == key)
            .Select(e => new { e.Id, e.Effect })
            .SingleOrDefaultAsync(cancellationToken);
        return earlier is null ? null : new BounceCommandResult(earlier.Id, true, earlier.Effect ?? BounceEffect.None, null, null);
    }
}
