using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>A campaign as the list shows it, with the counts derived from its deliveries.</summary>
/// <param name="Date">When sending started; for a campaign not started yet, when it is scheduled for, else when it was created.</param>
public sealed record CampaignSummary(
    long Id,
    string Name,
    CampaignKind Kind,
    CampaignState State,
    string FromDomain,
    CampaignCounts Counts,
    DateTimeOffset? Date = null);

/// <summary>
/// The tabs of the response list. Each campaign is in exactly one: regular campaigns by state, automated and test
/// campaigns by kind whatever their state.
/// </summary>
public enum CampaignTab
{
    Sent = 0,
    /// <summary>In progress or paused.</summary>
    InProgress = 1,
    Automated = 2,
    Test = 3,
    /// <summary>Drafts and scheduled campaigns.</summary>
    Drafts = 4,
}

/// <summary>What the list can be sorted by on the server (counts are not: see the README's notes on the response list).</summary>
public enum CampaignSortField
{
    /// <summary><see cref="CampaignSummary.Date"/>.</summary>
    Date = 0,
    Name = 1,
}

/// <summary>The filters of the response list; they apply to every tab and to the tab counts.</summary>
/// <param name="Search">Part of the name, any case.</param>
/// <param name="SendingDomain">The exact sending (from) domain.</param>
/// <param name="From">Inclusive lower bound of <see cref="CampaignSummary.Date"/>.</param>
/// <param name="To">Exclusive upper bound of <see cref="CampaignSummary.Date"/>.</param>
public sealed record CampaignFilter(
    string? Search = null,
    string? SendingDomain = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null)
{
    public static CampaignFilter None { get; } = new();
}

/// <summary>One page of one tab of the response list.</summary>
public sealed record CampaignListRequest(
    CampaignTab Tab,
    PageRequest Page,
    CampaignFilter? Filter = null,
    CampaignSortField SortBy = CampaignSortField.Date,
    bool Descending = true);

/// <summary>How many campaigns each tab holds under the current filters.</summary>
public sealed record CampaignTabCounts(int Sent, int InProgress, int Automated, int Test, int Drafts)
{
    public static CampaignTabCounts Empty { get; } = new(0, 0, 0, 0, 0);

    public int Of(CampaignTab tab) => tab switch
    {
        CampaignTab.Sent => Sent,
        CampaignTab.InProgress => InProgress,
        CampaignTab.Automated => Automated,
        CampaignTab.Test => Test,
        CampaignTab.Drafts => Drafts,
        _ => throw new ArgumentOutOfRangeException(nameof(tab), tab, "Unknown campaign tab."),
    };
}

/// <summary>The response rates, each defined once: delivered and bounce rates on sent, open and click rates on delivered.</summary>
public static class CampaignRates
{
    public static double? DeliveredRate(this CampaignCounts counts) => Ratio(counts?.Delivered, counts?.Sent);

    /// <summary>(soft + hard) / sent.</summary>
    public static double? BounceRate(this CampaignCounts counts) => Ratio(counts?.SoftBounced + counts?.HardBounced, counts?.Sent);

    public static double? OpenRate(this CampaignCounts counts) => Ratio(counts?.UniqueOpens, counts?.Delivered);

    public static double? ClickRate(this CampaignCounts counts) => Ratio(counts?.UniqueClicks, counts?.Delivered);

    /// <summary>Null when there is nothing to divide by, so a page shows "–" instead of 0 %.</summary>
    public static double? Ratio(int? part, int? whole) => whole is > 0 && part is { } p ? (double)p / whole.Value : null;
}

public interface ICampaignQueries
{
    /// <summary>Campaigns, newest first, one page at a time (every kind and state).</summary>
    Task<PagedResult<CampaignSummary>> ListAsync(PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>One page of one tab, filtered and sorted in the database.</summary>
    Task<PagedResult<CampaignSummary>> ListAsync(CampaignListRequest request, CancellationToken cancellationToken = default);

    /// <summary>The number of campaigns in each tab under <paramref name="filter"/>.</summary>
    Task<CampaignTabCounts> CountTabsAsync(CampaignFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The sending domains campaigns use, in order, for the filter.</summary>
    Task<IReadOnlyList<string>> SendingDomainsAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The campaign list: the campaigns table is small (one row per mailing), so filters, sorting and the tab counts run on
/// it directly; the counts come from one GROUP BY (campaign, state) over the deliveries of the campaigns on the page
/// only (index (CampaignId, State)), folded through the domain's single state-to-bucket mapping
/// (<see cref="CampaignCounts.FromStateCounts"/>).
/// </summary>
public sealed class CampaignQueries(IDbContextFactory<BounceDbContext> dbFactory) : ICampaignQueries
{
    public async Task<PagedResult<CampaignSummary>> ListAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Ids grow with creation time, so ordering by id lists the newest first on every provider.
        return await PageAsync(db, db.Set<Campaign>().AsNoTracking(), q => q.OrderByDescending(c => c.Id), page, cancellationToken);
    }

    public async Task<PagedResult<CampaignSummary>> ListAsync(CampaignListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var campaigns = InTab(Filtered(db.Set<Campaign>().AsNoTracking(), request.Filter ?? CampaignFilter.None), request.Tab);
        Func<IQueryable<Campaign>, IOrderedQueryable<Campaign>> order = (request.SortBy, request.Descending) switch
        {
            (CampaignSortField.Name, false) => q => q.OrderBy(c => c.Name).ThenBy(c => c.Id),
            (CampaignSortField.Name, true) => q => q.OrderByDescending(c => c.Name).ThenByDescending(c => c.Id),
            (CampaignSortField.Date, false) => q => q.OrderBy(c => c.StartedAt ?? c.ScheduledFor ?? c.CreatedAt).ThenBy(c => c.Id),
            (CampaignSortField.Date, true) => q => q.OrderByDescending(c => c.StartedAt ?? c.ScheduledFor ?? c.CreatedAt).ThenByDescending(c => c.Id),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.SortBy, "Unknown sort field."),
        };
        return await PageAsync(db, campaigns, order, request.Page, cancellationToken);
    }

    public async Task<CampaignTabCounts> CountTabsAsync(CampaignFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var groups = await Filtered(db.Set<Campaign>().AsNoTracking(), filter)
            .GroupBy(c => new { c.Kind, c.State })
            .Select(g => new { g.Key.Kind, g.Key.State, Count = g.Count() })
            .ToListAsync(cancellationToken);
        int Count(CampaignTab tab) => groups.Where(g => TabOf(g.Kind, g.State) == tab).Sum(g => g.Count);
        return new CampaignTabCounts(
            Count(CampaignTab.Sent), Count(CampaignTab.InProgress), Count(CampaignTab.Automated), Count(CampaignTab.Test), Count(CampaignTab.Drafts));
    }

    public async Task<IReadOnlyList<string>> SendingDomainsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Campaign>().AsNoTracking()
            .Select(c => c.FromDomain)
            .Distinct()
            .OrderBy(d => d)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The one mapping from a campaign's kind and state to its tab.</summary>
    public static CampaignTab TabOf(CampaignKind kind, CampaignState state) => kind switch
    {
        CampaignKind.Automated => CampaignTab.Automated,
        CampaignKind.Test => CampaignTab.Test,
        _ => state switch
        {
            CampaignState.Sent => CampaignTab.Sent,
            CampaignState.InProgress or CampaignState.Paused => CampaignTab.InProgress,
            _ => CampaignTab.Drafts,
        },
    };

    private static IQueryable<Campaign> InTab(IQueryable<Campaign> campaigns, CampaignTab tab) => tab switch
    {
        CampaignTab.Sent => campaigns.Where(c => c.Kind == CampaignKind.Regular && c.State == CampaignState.Sent),
        CampaignTab.InProgress => campaigns.Where(c => c.Kind == CampaignKind.Regular
            && (c.State == CampaignState.InProgress || c.State == CampaignState.Paused)),
        CampaignTab.Automated => campaigns.Where(c => c.Kind == CampaignKind.Automated),
        CampaignTab.Test => campaigns.Where(c => c.Kind == CampaignKind.Test),
        CampaignTab.Drafts => campaigns.Where(c => c.Kind == CampaignKind.Regular
            && (c.State == CampaignState.Draft || c.State == CampaignState.Scheduled)),
        _ => throw new ArgumentOutOfRangeException(nameof(tab), tab, "Unknown campaign tab."),
    };

    private static IQueryable<Campaign> Filtered(IQueryable<Campaign> campaigns, CampaignFilter filter)
    {
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = $"%{EscapeLike(filter.Search.Trim())}%";
            campaigns = campaigns.Where(c => EF.Functions.Like(c.Name, pattern, LikeEscape));
        }

        if (!string.IsNullOrWhiteSpace(filter.SendingDomain))
        {
            var domain = filter.SendingDomain.Trim().ToLowerInvariant();
            campaigns = campaigns.Where(c => c.FromDomain == domain);
        }

        if (filter.From is { } from)
        {
            campaigns = campaigns.Where(c => (c.StartedAt ?? c.ScheduledFor ?? c.CreatedAt) >= from);
        }

        if (filter.To is { } to)
        {
            campaigns = campaigns.Where(c => (c.StartedAt ?? c.ScheduledFor ?? c.CreatedAt) < to);
        }

        return campaigns;
    }

    private const string LikeEscape = "\\";

    /// <summary>A search for "50%" finds "50%" only: LIKE's wildcards in the user's text are escaped.</summary>
    private static string EscapeLike(string text) =>
        text.Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
            .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
            .Replace("_", LikeEscape + "_", StringComparison.Ordinal);

    private static async Task<PagedResult<CampaignSummary>> PageAsync(
        BounceDbContext db,
        IQueryable<Campaign> campaigns,
        Func<IQueryable<Campaign>, IOrderedQueryable<Campaign>> order,
        PageRequest page,
        CancellationToken cancellationToken)
    {
        var total = await campaigns.CountAsync(cancellationToken);
        if (total == 0)
        {
            return new PagedResult<CampaignSummary>([], 0);
        }

        var rows = await order(campaigns)
            .Skip(page.Skip)
            .Take(page.Take)
            .Select(c => new { c.Id, c.Name, c.Kind, c.State, c.FromDomain, Date = c.StartedAt ?? c.ScheduledFor ?? c.CreatedAt })
            .ToListAsync(cancellationToken);

        var ids = rows.Select(r => r.Id).ToList();
        var counts = await CountsAsync(db, ids, cancellationToken);
        var items = rows
            .Select(r => new CampaignSummary(
                r.Id, r.Name, r.Kind, r.State, r.FromDomain,
                counts.GetValueOrDefault(r.Id, CampaignCounts.Empty),
                r.Date))
            .ToList();
        return new PagedResult<CampaignSummary>(items, total);
    }

    /// <summary>
    /// The counts of the given campaigns, read from <see cref="CampaignStatistics"/> (one row each, kept by triggers;
    /// docs/data.md): counting 100,000 deliveries per campaign took seconds for a page of 25 on a million-contact database.
    /// </summary>
    internal static async Task<Dictionary<long, CampaignCounts>> CountsAsync(BounceDbContext db, List<long> ids, CancellationToken cancellationToken)
    {
        var rows = await db.CampaignStatistics.AsNoTracking()
            .Where(s => ids.Contains(s.CampaignId))
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(s => s.CampaignId, s => s.ToCounts());
    }
}
