using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BounceDashboard.Web.Data.Configurations;

/// <summary>
/// Before a save, copies the campaign, sending domain and sending IP onto every matched bounce event that lacks them
/// (<see cref="BounceEventColumns"/>), from the tracked delivery and campaign when present, else from the database.
/// The sending IP is that of the attempt the event reports: the one it names (an SMTP reply always does), else the
/// latest attempt started before the report arrived, which the event is then attributed to. A delivery's latest IP
/// is not used: a retry through another relay would move an earlier attempt's bounce to the wrong IP.
/// </summary>
public sealed class BounceEventOriginInterceptor : SaveChangesInterceptor
{
    public static BounceEventOriginInterceptor Instance { get; } = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context)
        {
            FillAsync(context, sync: true, CancellationToken.None).GetAwaiter().GetResult();
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData,
        InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context)
        {
            await FillAsync(context, sync: false, cancellationToken);
        }

        return result;
    }

    private static async Task FillAsync(DbContext context, bool sync, CancellationToken cancellationToken)
    {
        context.ChangeTracker.DetectChanges();
        var pending = context.ChangeTracker.Entries<BounceEvent>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified
                && e.Entity.DeliveryId is not null
                && e.Property(BounceEventColumns.CampaignId).CurrentValue is null)
            .ToList();
        if (pending.Count == 0)
        {
            return;
        }

        var deliveryIds = pending.Select(e => e.Entity.DeliveryId!.Value).Distinct().ToList();
        var campaignOf = context.ChangeTracker.Entries<Delivery>()
            .Where(e => deliveryIds.Contains(e.Entity.Id))
            .ToDictionary(e => e.Entity.Id, e => e.Entity.CampaignId);
        var missing = deliveryIds.Where(id => !campaignOf.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            var query = context.Set<Delivery>().AsNoTracking()
                .Where(d => missing.Contains(d.Id))
                .Select(d => new { d.Id, d.CampaignId });
            foreach (var d in sync ? query.ToList() : await query.ToListAsync(cancellationToken))
            {
                campaignOf[d.Id] = d.CampaignId;
            }
        }

        var attemptQuery = context.Set<DeliveryAttempt>().AsNoTracking()
            .Where(a => deliveryIds.Contains(a.DeliveryId))
            .Select(a => new AttemptOrigin(a.Id, a.DeliveryId, a.StartedAt, a.SendingIp));
        // Attempts started in this unit of work are not in the database yet: take them from the change tracker (an
        // unsaved attempt has no id yet, so an event is attributed to it only when it names it itself).
        var stored = sync ? attemptQuery.ToList() : await attemptQuery.ToListAsync(cancellationToken);
        var unsaved = context.ChangeTracker.Entries<DeliveryAttempt>()
            .Where(e => e.State == EntityState.Added && deliveryIds.Contains(e.Entity.DeliveryId))
            .Select(e => new AttemptOrigin(0, e.Entity.DeliveryId, e.Entity.StartedAt, e.Entity.SendingIp));
        var attempts = stored.Concat(unsaved).ToLookup(a => a.DeliveryId);

        var campaignIds = campaignOf.Values.Distinct().ToList();
        var domains = context.ChangeTracker.Entries<Campaign>()
            .Where(e => campaignIds.Contains(e.Entity.Id))
            .ToDictionary(e => e.Entity.Id, e => e.Entity.FromDomain);
        var missingCampaigns = campaignIds.Where(id => !domains.ContainsKey(id)).ToList();
        if (missingCampaigns.Count > 0)
        {
            var query = context.Set<Campaign>().AsNoTracking()
                .Where(c => missingCampaigns.Contains(c.Id))
                .Select(c => new { c.Id, c.FromDomain });
            foreach (var c in sync ? query.ToList() : await query.ToListAsync(cancellationToken))
            {
                domains[c.Id] = c.FromDomain;
            }
        }

        foreach (var entry in pending)
        {
            var bounce = entry.Entity;
            if (!campaignOf.TryGetValue(bounce.DeliveryId!.Value, out var campaignId))
            {
                continue;
            }

            var attempt = AttemptReported(bounce, attempts[bounce.DeliveryId.Value]);
            if (attempt is { Id: > 0 } && bounce.DeliveryAttemptId is null)
            {
                bounce.AttributeToAttempt(attempt.Id);
            }

            entry.Property(BounceEventColumns.CampaignId).CurrentValue = campaignId;
            entry.Property(BounceEventColumns.SendingDomain).CurrentValue = domains.GetValueOrDefault(campaignId);
            entry.Property(BounceEventColumns.SendingIp).CurrentValue = attempt?.SendingIp;
        }
    }

    /// <summary>The attempt the event names, else the latest one started by the time the report was received, else the first.</summary>
    private static AttemptOrigin? AttemptReported(BounceEvent bounce, IEnumerable<AttemptOrigin> attempts)
    {
        var ordered = attempts.OrderBy(a => a.StartedAt).ToList();
        if (bounce.DeliveryAttemptId is { } named)
        {
            return ordered.Find(a => a.Id == named);
        }

        return ordered.LastOrDefault(a => a.StartedAt <= bounce.ReceivedAt) ?? ordered.FirstOrDefault();
    }

    private sealed record AttemptOrigin(long Id, long DeliveryId, DateTimeOffset StartedAt, string? SendingIp);
}
