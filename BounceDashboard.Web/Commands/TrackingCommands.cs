using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Commands;

/// <summary>
/// Stores an open or a click and applies it through <see cref="BounceRules.ApplyTracking"/> in one transaction: the
/// delivery's first open/click and the contact's activity (which resets its bounce streaks). Replaying an open adds
/// a row but moves no count, since unique opens and clicks come from the delivery's first times.
/// </summary>
public sealed class TrackingCommands(IDbContextFactory<BounceDbContext> dbFactory)
{
    /// <summary>Records the event; false when its delivery does not exist (a forged or stale token is ignored).</summary>
    public async Task<bool> RecordAsync(TrackingEvent tracking, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracking);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var delivery = await db.Deliveries.SingleOrDefaultAsync(d => d.Id == tracking.DeliveryId, cancellationToken);
        if (delivery is null)
        {
            return false;
        }

        var contact = await db.Contacts.SingleAsync(c => c.Id == delivery.ContactId, cancellationToken);
        BounceRules.ApplyTracking(tracking, delivery, contact);
        db.TrackingEvents.Add(tracking);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
