using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BounceDashboard.Web.Data.Configurations;

/// <summary>
/// Before a save, copies the campaign, sending domain and sending IP onto every matched bounce event that lacks them
/// (<see cref="BounceEventColumns"/>), from the tracked delivery and campaign when present, else from the database.
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
        var deliveries = context.ChangeTracker.Entries<Delivery>()
            .Where(e => deliveryIds.Contains(e.Entity.Id))
            .ToDictionary(e => e.Entity.Id, e => (e.Entity.CampaignId, e.Entity.SendingIp));
        var missing = deliveryIds.Where(id => !deliveries.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            var query = context.Set<Delivery>().AsNoTracking()
                .Where(d => missing.Contains(d.Id))
                .Select(d => new { d.Id, d.CampaignId, d.SendingIp });
            foreach (var d in sync ? query.ToList() : await query.ToListAsync(cancellationToken))
            {
                deliveries[d.Id] = (d.CampaignId, d.SendingIp);
            }
        }

        var campaignIds = deliveries.Values.Select(d => d.CampaignId).Distinct().ToList();
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
            if (deliveries.TryGetValue(entry.Entity.DeliveryId!.Value, out var delivery))
            {
                Set(entry, delivery.CampaignId, domains.GetValueOrDefault(delivery.CampaignId), delivery.SendingIp);
            }
        }
    }

    private static void Set(EntityEntry<BounceEvent> entry, long campaignId, string? sendingDomain, string? sendingIp)
    {
        entry.Property(BounceEventColumns.CampaignId).CurrentValue = campaignId;
        entry.Property(BounceEventColumns.SendingDomain).CurrentValue = sendingDomain;
        entry.Property(BounceEventColumns.SendingIp).CurrentValue = sendingIp;
    }
}
