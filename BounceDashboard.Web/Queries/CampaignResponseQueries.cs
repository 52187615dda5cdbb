using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>The campaign page's header: what was sent, from whom, to whom, and when.</summary>
public sealed record CampaignHeader(
    long Id,
    string Name,
    CampaignKind Kind,
    CampaignState State,
    string Subject,
    string FromAddress,
    string? FromName,
    string FromDomain,
    IReadOnlyList<AudienceRef> Audiences,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset? StartedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? PausedAt,
    string? PauseReason,
    bool PausedAutomatically)
{
    /// <summary>Figures still change: the page refreshes live.</summary>
    public bool IsLive => State is CampaignState.InProgress or CampaignState.Paused;
}

/// <summary>An audience named on a page, with its id for a link.</summary>
public sealed record AudienceRef(long Id, string Name);

/// <summary>The width of one point of the chart.</summary>
public enum TimelineBucket
{
    Hour = 0,
    Day = 1,
}

/// <summary>
/// One point of the chart: deliveries whose first attempt started, deliveries that ended soft or hard bounced, first
/// opens and first clicks in [<paramref name="Start"/>, Start + bucket).
/// </summary>
public sealed record TimelinePoint(DateTimeOffset Start, int Sent, int Bounced, int Opened, int Clicked);

public sealed record CampaignTimeline(TimelineBucket Bucket, IReadOnlyList<TimelinePoint> Points)
{
    public static CampaignTimeline Empty { get; } = new(TimelineBucket.Hour, []);
}

/// <summary>Bounced deliveries of one reason and kind; <paramref name="Share"/> of all the campaign's bounced deliveries.</summary>
public sealed record ReasonBreakdownRow(BounceReason Reason, BounceKind Kind, int Count, double Share);

/// <summary>
/// Deliveries to one recipient domain. <paramref name="IsOthers"/> marks the row that sums every domain after the top ones.
/// </summary>
public sealed record DomainBreakdownRow(string Domain, int Sent, int Bounced, bool IsOthers = false)
{
    public double? BounceRate => CampaignRates.Ratio(Bounced, Sent);
}

/// <summary>Everything the campaign page shows, read in one call (the page reloads all of it on a notification).</summary>
public sealed record CampaignResponse(
    CampaignHeader Campaign,
    CampaignCounts Counts,
    CampaignTimeline Timeline,
    IReadOnlyList<ReasonBreakdownRow> Reasons,
    IReadOnlyList<DomainBreakdownRow> Domains);


public interface ICampaignResponseQueries
{
    /// <summary>The campaign page's figures, chart and breakdowns; null when there is no such campaign.</summary>
    Task<CampaignResponse?> GetAsync(long campaignId, CancellationToken cancellationToken = default);
}

/// <summary>
/// The campaign page. The cards and the domain breakdown come from the statistics tables the database keeps by
/// triggers (CampaignStatistics, CampaignDomainStatistics: the deliveries by state, so both agree); the chart from
/// CampaignActivity (attempts started, bounces received, opens and clicks recorded, per hour, summed into days for a
/// long send); the reasons from the bounced deliveries' latest reason (index (CampaignId, State)). See docs/data.md.
/// </summary>
public sealed class CampaignResponseQueries(IDbContextFactory<BounceDbContext> dbFactory, TimeProvider time) : ICampaignResponseQueries
{
    /// <summary>Up to this long after the start the chart has one point per hour; after, one per day.</summary>
    public static readonly TimeSpan HourlyFor = TimeSpan.FromHours(72);

    /// <summary>The daily chart covers at most this many days from the start.</summary>
    public const int MaxDays = 90;

    /// <summary>Domains listed by name before the rest are summed as "others".</summary>
    public const int TopDomains = 10;

    public const string OthersLabel = "Others";

    private const int SentSeries = 0;
    private const int BouncedSeries = 1;
    private const int OpenedSeries = 2;
    private const int ClickedSeries = 3;

    public async Task<CampaignResponse?> GetAsync(long campaignId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var header = await (
                from c in db.Campaigns.AsNoTracking()
                where c.Id == campaignId
                select new CampaignHeader(
                    c.Id, c.Name, c.Kind, c.State, c.Subject, c.FromAddress, c.FromName, c.FromDomain,
                    Array.Empty<AudienceRef>(),
                    c.CreatedAt, c.ScheduledFor, c.StartedAt, c.SentAt, c.PausedAt, c.PauseReason, c.PausedAutomatically))
            .SingleOrDefaultAsync(cancellationToken);
        if (header is null)
        {
            return null;
        }

        // The campaign's audiences: a range of the CampaignAudiences key (CampaignId, AudienceId), each joined by key.
        header = header with
        {
            Audiences = await (
                    from ca in db.CampaignAudiences.AsNoTracking()
                    where ca.CampaignId == campaignId
                    join a in db.Audiences.AsNoTracking() on ca.AudienceId equals a.Id
                    orderby a.Name, a.Id
                    select new AudienceRef(a.Id, a.Name))
                .ToListAsync(cancellationToken),
        };

        var counts = (await CampaignQueries.CountsAsync(db, [campaignId], cancellationToken)).GetValueOrDefault(campaignId, CampaignCounts.Empty);
        if (counts.Sent == 0)
        {
            return new CampaignResponse(header, counts, CampaignTimeline.Empty, [], []);
        }

        var timeline = header.StartedAt is { } started
            ? await TimelineAsync(db, campaignId, started, cancellationToken)
            : CampaignTimeline.Empty;
        var reasons = await ReasonsAsync(db, campaignId, cancellationToken);
        var domains = await DomainsAsync(db, campaignId, cancellationToken);
        return new CampaignResponse(header, counts, timeline, reasons, domains);
    }

    private async Task<CampaignTimeline> TimelineAsync(BounceDbContext db, long campaignId, DateTimeOffset start, CancellationToken cancellationToken)
    {
        var elapsed = time.GetUtcNow() - start;
        var (bucket, width, points) = elapsed <= HourlyFor
            ? (TimelineBucket.Hour, TimeSpan.FromHours(1), Math.Max(1, (int)Math.Ceiling(elapsed / TimeSpan.FromHours(1))))
            : (TimelineBucket.Day, TimeSpan.FromDays(1), Math.Min(MaxDays, (int)Math.Ceiling(elapsed / TimeSpan.FromDays(1))));
        var end = start + (width * points);

        // The campaign's hours (one row each, kept by triggers) summed into the chart's buckets.
        var firstHour = new DateTimeOffset(start.UtcTicks - (start.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
        var hours = await db.CampaignActivity.AsNoTracking()
            .Where(a => a.CampaignId == campaignId && a.Hour >= firstHour && a.Hour < end)
            .Select(a => new { a.Hour, a.Attempts, a.Bounces, a.Opens, a.Clicks })
            .ToListAsync(cancellationToken);
        var grid = new int[points, 4];
        foreach (var hour in hours)
        {
            var index = (int)Math.Max(0, (hour.Hour - start).Ticks / width.Ticks);
            if (index < points)
            {
                grid[index, SentSeries] += hour.Attempts;
                grid[index, BouncedSeries] += hour.Bounces;
                grid[index, OpenedSeries] += hour.Opens;
                grid[index, ClickedSeries] += hour.Clicks;
            }
        }

        var result = Enumerable.Range(0, points)
            .Select(i => new TimelinePoint(start + (width * i), grid[i, SentSeries], grid[i, BouncedSeries], grid[i, OpenedSeries], grid[i, ClickedSeries]))
            .ToList();
        return new CampaignTimeline(bucket, result);
    }

    private static async Task<IReadOnlyList<ReasonBreakdownRow>> ReasonsAsync(BounceDbContext db, long campaignId, CancellationToken cancellationToken)
    {
        var rows = await db.Deliveries.AsNoTracking()
            .Where(d => d.CampaignId == campaignId && (d.State == DeliveryState.SoftBounced || d.State == DeliveryState.HardBounced))
            .GroupBy(d => new { d.State, d.BounceReason })
            .Select(g => new { g.Key.State, g.Key.BounceReason, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var total = rows.Sum(r => r.Count);
        return rows
            .Select(r => new ReasonBreakdownRow(
                r.BounceReason ?? BounceReason.Undefined,
                r.State == DeliveryState.HardBounced ? BounceKind.Hard : BounceKind.Soft,
                r.Count,
                (double)r.Count / total))
            .OrderByDescending(r => r.Count)
            .ThenBy(r => r.Reason)
            .ToList();
    }

    private static async Task<IReadOnlyList<DomainBreakdownRow>> DomainsAsync(BounceDbContext db, long campaignId, CancellationToken cancellationToken)
    {
        // One row per recipient domain, kept by triggers (CampaignDomainStatistics); "sent" and "bounced" folded the
        // way the cards fold them (DeliveryBuckets).
        var rows = (await db.CampaignDomainStatistics.AsNoTracking()
                .Where(s => s.CampaignId == campaignId)
                .ToListAsync(cancellationToken))
            .Select(s => (s.Domain, Counts: CampaignCounts.FromStateCounts(s.StateCounts(), 0, 0)))
            .Select(s => new { s.Domain, s.Counts.Sent, Bounced = s.Counts.SoftBounced + s.Counts.HardBounced })
            .Where(r => r.Sent > 0)
            .ToList();

        var ordered = rows.OrderByDescending(r => r.Sent).ThenBy(r => r.Domain, StringComparer.Ordinal).ToList();
        var result = ordered.Take(TopDomains).Select(r => new DomainBreakdownRow(r.Domain, r.Sent, r.Bounced)).ToList();
        var rest = ordered.Skip(TopDomains).ToList();
        if (rest.Count > 0)
        {
            result.Add(new DomainBreakdownRow(OthersLabel, rest.Sum(r => r.Sent), rest.Sum(r => r.Bounced), IsOthers: true));
        }

        return result;
    }
}
