using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>A campaign as the list shows it, with the counts derived from its deliveries.</summary>
public sealed record CampaignSummary(
    long Id,
    string Name,
    CampaignKind Kind,
    CampaignState State,
    string FromDomain,
    CampaignCounts Counts);

public interface ICampaignQueries
{
    /// <summary>Campaigns, newest first, one page at a time.</summary>
    Task<PagedResult<CampaignSummary>> ListAsync(PageRequest page, CancellationToken cancellationToken = default);
}

/// <summary>
/// The campaign list: one query for the page of campaigns, one GROUP BY (campaign, state) for their counts,
/// folded through the domain's single state-to-bucket mapping (<see cref="CampaignCounts.FromStateCounts"/>).
/// </summary>
public sealed class CampaignQueries(IDbContextFactory<BounceDbContext> dbFactory) : ICampaignQueries
{
    public async Task<PagedResult<CampaignSummary>> ListAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var campaigns = db.Set<Campaign>().AsNoTracking();

        var total = await campaigns.CountAsync(cancellationToken);
        if (total == 0)
        {
            return new PagedResult<CampaignSummary>([], 0);
        }

        // Ids grow with creation time, so ordering by id lists the newest first on every provider.
        var rows = await campaigns
            .OrderByDescending(c => c.Id)
            .Skip(page.Skip)
            .Take(page.Take)
            .Select(c => new { c.Id, c.Name, c.Kind, c.State, c.FromDomain })
            .ToListAsync(cancellationToken);

        var ids = rows.Select(r => r.Id).ToList();
        var stateCounts = await db.Set<Delivery>().AsNoTracking()
            .Where(d => ids.Contains(d.CampaignId))
            .GroupBy(d => new { d.CampaignId, d.State })
            .Select(g => new
            {
                g.Key.CampaignId,
                g.Key.State,
                Count = g.Count(),
                Opens = g.Count(d => d.OpenedAt != null),
                Clicks = g.Count(d => d.ClickedAt != null),
            })
            .ToListAsync(cancellationToken);

        var countsByCampaign = stateCounts
            .GroupBy(s => s.CampaignId)
            .ToDictionary(
                g => g.Key,
                g => CampaignCounts.FromStateCounts(
                    g.Select(s => KeyValuePair.Create(s.State, s.Count)),
                    uniqueOpens: g.Sum(s => s.Opens),
                    uniqueClicks: g.Sum(s => s.Clicks)));

        var items = rows
            .Select(r => new CampaignSummary(
                r.Id, r.Name, r.Kind, r.State, r.FromDomain,
                countsByCampaign.GetValueOrDefault(r.Id, CampaignCounts.Empty)))
            .ToList();
        return new PagedResult<CampaignSummary>(items, total);
    }
}
