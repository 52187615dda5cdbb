using System.Runtime.CompilerServices;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Configurations;
using BounceDashboard.Web.Data.Reports;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>A campaign the report can be filtered to.</summary>
public sealed record CampaignOption(long Id, string Name);

/// <summary>What the bounce report's filter offers besides dates (kept apart from <see cref="IBounceReportQueries"/>, which the exports code against).</summary>
public interface IBounceReportOptions
{
    /// <summary>The campaigns to choose from, newest first.</summary>
    Task<IReadOnlyList<CampaignOption>> CampaignsAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The bounce report, read from the summary table <see cref="BounceReportCell"/> for the whole UTC days of the period and
/// from <c>BounceEvents</c> for the partial days at either end, in one aggregate query (UNION ALL, GROUP BY, ORDER BY
/// amount, paged in the database). The drill-down reads events through the (group, pattern hash, received) indexes.
/// See docs/data.md for the indexes each query uses.
/// </summary>
public sealed class BounceReportQueries(IDbContextFactory<BounceDbContext> dbFactory) : IBounceReportQueries, IBounceReportOptions
{
    public const int MaxCampaignOptions = 500;

    private const int StreamChunk = 500;

    /// <summary>How many bounces an export slice holds, about (and how many rows a slice's buffer holds, exactly).</summary>
    internal int ExportSliceRows { get; init; } = 20_000;

    /// <summary>Whether an export on SQLite steps its rows with SQLite's API (<see cref="SqliteBounceDetailReader"/>); off, it reads through EF (tests compare the two).</summary>
    internal bool UseSqliteReader { get; init; } = true;

    /// <summary>How many slices of an export are read at once: one per core, at most four.</summary>
    internal int ExportReaders { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    public async Task<PagedResult<BounceReportRow>> SummaryAsync(BounceReportFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var groups = Grouped(db, filter);
        var total = await groups.CountAsync(cancellationToken);
        if (total == 0)
        {
            return new PagedResult<BounceReportRow>([], 0);
        }

        var rows = await Ordered(groups).Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        return new PagedResult<BounceReportRow>(await WithExamplesAsync(db, rows, cancellationToken), total);
    }

    public async Task<PagedResult<BounceDetailRow>> DetailsAsync(BounceReportFilter filter, BounceReportRowKey row, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(row);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hash = DiagnosticPattern.Hash(row.Pattern);
        var group = row.Group ?? BounceReportCell.None;

        // The count comes from the cells (plus the edge days' events), not from counting the row's events one by one.
        var total = await Parts(db, filter)
            .Where(p => p.Group == group && p.PatternHash == hash && p.Hard == row.Hard && p.Reason == row.Reason)
            .SumAsync(p => p.Amount, cancellationToken);
        if (total <= 0)
        {
            return new PagedResult<BounceDetailRow>([], 0);
        }

        var events = Events(db, filter)
            .Where(e => e.PatternHash == hash && e.Hard == row.Hard && e.Reason == row.Reason);
        events = filter.GroupBy == BounceReportGrouping.SendingIp
            ? events.Where(e => EF.Property<string?>(e, BounceEventColumns.SendingIp) == row.Group)
            : events.Where(e => EF.Property<string?>(e, BounceEventColumns.SendingDomain) == row.Group);
        var items = await Details(db, events, filter.GroupBy).Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        return new PagedResult<BounceDetailRow>(items, total);
    }

    public async IAsyncEnumerable<BounceReportRow> StreamSummaryAsync(BounceReportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Groups are few (thousands at most), so they are read whole, then given their examples a chunk at a time.
        var groups = await Ordered(Grouped(db, filter)).ToListAsync(cancellationToken);
        foreach (var chunk in groups.Chunk(StreamChunk))
        {
            foreach (var row in await WithExamplesAsync(db, chunk, cancellationToken))
            {
                yield return row;
            }
        }
    }

    /// <remarks>
    /// The period is read in slices of about <see cref="ExportSliceRows"/> bounces (planned from the summary table's daily
    /// counts), up to <see cref="ExportReaders"/> of them at once on their own connections, and yielded in order: reading
    /// and materialising rows is most of an export's time, and this spreads it over the cores while memory stays bounded.
    /// </remarks>
    public async IAsyncEnumerable<BounceDetailRow> StreamDetailsAsync(BounceReportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var slices = await PlanSlicesAsync(filter, cancellationToken);
        var campaigns = await CampaignNamesAsync(filter, cancellationToken);
        var rows = OrderedPrefetch.StreamAsync(
            slices,
            (slice, ct) => ReadSlice(filter with { From = slice.From, To = slice.To }, campaigns, ct),
            ExportReaders,
            ExportSliceRows,
            cancellationToken);
        await foreach (var row in rows)
        {
            yield return row;
        }
    }

    private async Task<IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)>> PlanSlicesAsync(BounceReportFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var firstDay = BounceReportCell.DayOf(filter.From);
        var lastDay = BounceReportCell.DayOf(filter.To);
        var cells = db.BounceReportCells.AsNoTracking().Where(c => c.Day >= firstDay && c.Day <= lastDay);
        if (filter.CampaignId is { } campaignId)
        {
            cells = cells.Where(c => c.CampaignId == campaignId);
        }

        var perDay = await cells
            .GroupBy(c => c.Day)
            .Select(g => new { Day = g.Key, Amount = g.Sum(c => (long)c.Amount) })
            .ToDictionaryAsync(d => d.Day, d => d.Amount, cancellationToken);
        return BounceDetailSlices.Plan(filter.From, filter.To, perDay, ExportSliceRows);
    }

    /// <summary>
    /// The names of the campaigns whose bounces the period holds (from the summary table's cells), so the export's rows
    /// take their campaign's name from memory instead of joining every bounce to its campaign.
    /// </summary>
    private async Task<IReadOnlyDictionary<long, string>> CampaignNamesAsync(BounceReportFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var firstDay = BounceReportCell.DayOf(filter.From);
        var lastDay = BounceReportCell.DayOf(filter.To);
        var ids = db.BounceReportCells.AsNoTracking()
            .Where(c => c.Day >= firstDay && c.Day <= lastDay)
            .Select(c => c.CampaignId);
        if (filter.CampaignId is { } campaignId)
        {
            ids = ids.Where(id => id == campaignId);
        }

        return await db.Set<Campaign>().AsNoTracking()
            .Where(c => ids.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
    }

    /// <summary>
    /// One slice's rows, read synchronously on the prefetch's own task (the SQLite provider's async reads are
    /// synchronous underneath, and the async enumerator cost a share of every row).
    /// </summary>
    private IEnumerable<BounceDetailRow> ReadSlice(BounceReportFilter slice, IReadOnlyDictionary<long, string> campaigns, CancellationToken cancellationToken)
    {
        using var db = dbFactory.CreateDbContext();
        var rows = UseSqliteReader && SqliteBounceDetailReader.Supports(db)
            ? SqliteBounceDetailReader.Read(db, slice, campaigns, cancellationToken)
            : ReadSliceThroughEf(db, slice, campaigns, cancellationToken);
        foreach (var row in rows)
        {
            yield return row;
        }
    }

    private static IEnumerable<BounceDetailRow> ReadSliceThroughEf(
        BounceDbContext db, BounceReportFilter slice, IReadOnlyDictionary<long, string> campaigns, CancellationToken cancellationToken)
    {
        foreach (var row in ExportDetails(Events(db, slice), slice.GroupBy).AsEnumerable())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new BounceDetailRow(
                row.Id, row.ReceivedAt, row.Group, row.Recipient, row.CampaignId,
                row.CampaignId is { } id ? campaigns.GetValueOrDefault(id) : null,
                row.Hard, row.Reason, row.EnhancedStatus, row.Diagnostic, row.Pattern);
        }
    }

    public async Task<IReadOnlyList<CampaignOption>> CampaignsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Campaign>().AsNoTracking()
            .OrderByDescending(c => c.Id)
            .Take(MaxCampaignOptions)
            .Select(c => new CampaignOption(c.Id, c.Name))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// What is summed: the cells of the whole UTC days inside the period, and one part per event for the partial days at
    /// its ends (none when the period starts and ends at UTC midnight).
    /// </summary>
    private static IQueryable<Part> Parts(BounceDbContext db, BounceReportFilter filter)
    {
        var (firstDay, endDay) = WholeDays(filter);
        var events = db.BounceEvents.AsNoTracking().Where(e => e.Kind == MessageKind.Bounce);
        if (filter.CampaignId is { } campaignId)
        {
            events = events.Where(e => EF.Property<long?>(e, BounceEventColumns.CampaignId) == campaignId);
        }

        if (firstDay >= endDay)
        {
            return EventParts(events.Where(e => e.ReceivedAt >= filter.From && e.ReceivedAt < filter.To), filter.GroupBy);
        }

        var headEnd = BounceReportCell.StartOf(firstDay);
        var tailStart = BounceReportCell.StartOf(endDay);
        var edges = events.Where(e => (e.ReceivedAt >= filter.From && e.ReceivedAt < headEnd) || (e.ReceivedAt >= tailStart && e.ReceivedAt < filter.To));

        var cells = db.BounceReportCells.AsNoTracking().Where(c => c.Day >= firstDay && c.Day < endDay);
        if (filter.CampaignId is { } campaign)
        {
            cells = cells.Where(c => c.CampaignId == campaign);
        }

        var cellParts = filter.GroupBy == BounceReportGrouping.SendingIp
            ? cells.Select(c => new Part { Group = c.SendingIp, PatternHash = c.PatternHash, Hard = c.Hard, Reason = c.Reason, Amount = c.Amount, Example = c.ExampleEventId })
            : cells.Select(c => new Part { Group = c.SendingDomain, PatternHash = c.PatternHash, Hard = c.Hard, Reason = c.Reason, Amount = c.Amount, Example = c.ExampleEventId });
        return cellParts.Concat(EventParts(edges, filter.GroupBy));
    }

    private static IQueryable<Part> EventParts(IQueryable<BounceEvent> events, BounceReportGrouping grouping) =>
        grouping == BounceReportGrouping.SendingIp
            ? events.Select(e => new Part { Group = EF.Property<string?>(e, BounceEventColumns.SendingIp) ?? BounceReportCell.None, PatternHash = e.PatternHash, Hard = e.Hard, Reason = e.Reason, Amount = 1, Example = e.Id })
            : events.Select(e => new Part { Group = EF.Property<string?>(e, BounceEventColumns.SendingDomain) ?? BounceReportCell.None, PatternHash = e.PatternHash, Hard = e.Hard, Reason = e.Reason, Amount = 1, Example = e.Id });

    private static IQueryable<Group> Grouped(BounceDbContext db, BounceReportFilter filter) =>
        Parts(db, filter)
            .GroupBy(p => new { p.Group, p.PatternHash, p.Hard, p.Reason })
            .Select(g => new Group
            {
                Name = g.Key.Group,
                PatternHash = g.Key.PatternHash,
                Hard = g.Key.Hard,
                Reason = g.Key.Reason,
                Amount = g.Sum(p => p.Amount),
                Example = g.Max(p => p.Example),
            })
            .Where(g => g.Amount > 0);

    // Largest first; the rest of the key keeps pages stable between requests.
    private static IQueryable<Group> Ordered(IQueryable<Group> groups) =>
        groups.OrderByDescending(g => g.Amount).ThenBy(g => g.Name).ThenBy(g => g.PatternHash).ThenBy(g => g.Hard).ThenBy(g => g.Reason);

    /// <summary>The whole UTC days [first, end) inside the period.</summary>
    private static (int First, int End) WholeDays(BounceReportFilter filter)
    {
        var first = BounceReportCell.DayOf(filter.From);
        if (BounceReportCell.StartOf(first) < filter.From)
        {
            first++;
        }

        return (first, BounceReportCell.DayOf(filter.To));
    }

    private static IQueryable<BounceEvent> Events(BounceDbContext db, BounceReportFilter filter)
    {
        var events = db.BounceEvents.AsNoTracking()
            .Where(e => e.Kind == MessageKind.Bounce && e.ReceivedAt >= filter.From && e.ReceivedAt < filter.To);
        return filter.CampaignId is { } campaignId
            ? events.Where(e => EF.Property<long?>(e, BounceEventColumns.CampaignId) == campaignId)
            : events;
    }

    private static IQueryable<BounceDetailRow> Details(BounceDbContext db, IQueryable<BounceEvent> events, BounceReportGrouping grouping)
    {
        var ordered = events.OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.Id);
        var joined =
            from e in ordered
            join c in db.Set<Campaign>() on EF.Property<long?>(e, BounceEventColumns.CampaignId) equals c.Id into campaigns
            from c in campaigns.DefaultIfEmpty()
            select new { e, CampaignName = c == null ? null : c.Name };
        return grouping == BounceReportGrouping.SendingIp
            ? joined.Select(x => new BounceDetailRow(
                x.e.Id, x.e.ReceivedAt, EF.Property<string?>(x.e, BounceEventColumns.SendingIp), x.e.Recipient,
                EF.Property<long?>(x.e, BounceEventColumns.CampaignId), x.CampaignName, x.e.Hard, x.e.Reason, x.e.EnhancedStatus,
                x.e.Diagnostic, x.e.Pattern))
            : joined.Select(x => new BounceDetailRow(
                x.e.Id, x.e.ReceivedAt, EF.Property<string?>(x.e, BounceEventColumns.SendingDomain), x.e.Recipient,
                EF.Property<long?>(x.e, BounceEventColumns.CampaignId), x.CampaignName, x.e.Hard, x.e.Reason, x.e.EnhancedStatus,
                x.e.Diagnostic, x.e.Pattern));
    }

    /// <summary>An export's rows, newest first, without the campaign's name (the export looks names up in memory).</summary>
    private static IQueryable<ExportRow> ExportDetails(IQueryable<BounceEvent> events, BounceReportGrouping grouping)
    {
        var ordered = events.OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.Id);
        return grouping == BounceReportGrouping.SendingIp
            ? ordered.Select(e => new ExportRow(
                e.Id, e.ReceivedAt, EF.Property<string?>(e, BounceEventColumns.SendingIp), e.Recipient,
                EF.Property<long?>(e, BounceEventColumns.CampaignId), e.Hard, e.Reason, e.EnhancedStatus, e.Diagnostic, e.Pattern))
            : ordered.Select(e => new ExportRow(
                e.Id, e.ReceivedAt, EF.Property<string?>(e, BounceEventColumns.SendingDomain), e.Recipient,
                EF.Property<long?>(e, BounceEventColumns.CampaignId), e.Hard, e.Reason, e.EnhancedStatus, e.Diagnostic, e.Pattern));
    }

    private sealed record ExportRow(
        long Id, DateTimeOffset ReceivedAt, string? Group, string Recipient, long? CampaignId, bool Hard, BounceReason Reason,
        string? EnhancedStatus, string? Diagnostic, string Pattern);

    /// <summary>Turns groups into rows: the pattern and one real reply come from each group's example event (one query by primary key).</summary>
    private static async Task<IReadOnlyList<BounceReportRow>> WithExamplesAsync(BounceDbContext db, IReadOnlyCollection<Group> groups, CancellationToken cancellationToken)
    {
        var ids = groups.Select(g => g.Example).Distinct().ToList();
        var examples = await db.BounceEvents.AsNoTracking()
            .Where(e => ids.Contains(e.Id))
            .Select(e => new { e.Id, e.Pattern, e.ReplyCode, e.EnhancedStatus, e.Diagnostic })
            .ToDictionaryAsync(e => e.Id, cancellationToken);
        return groups
            .Select(g =>
            {
                var example = examples.GetValueOrDefault(g.Example);
                var text = example is null
                    ? string.Empty
                    : example.Diagnostic ?? string.Join(' ', new[] { example.ReplyCode, example.EnhancedStatus }.Where(p => !string.IsNullOrEmpty(p)));
                return new BounceReportRow(
                    g.Name.Length == 0 ? null : g.Name,
                    example?.Pattern ?? DiagnosticPattern.NoText,
                    text,
                    g.Amount,
                    g.Hard,
                    g.Reason);
            })
            .ToList();
    }

    private sealed class Part
    {
        public required string Group { get; init; }

        public long PatternHash { get; init; }

        public bool Hard { get; init; }

        public BounceReason Reason { get; init; }

        public int Amount { get; init; }

        public long Example { get; init; }
    }

    private sealed class Group
    {
        public required string Name { get; init; }

        public long PatternHash { get; init; }

        public bool Hard { get; init; }

        public BounceReason Reason { get; init; }

        public int Amount { get; init; }

        public long Example { get; init; }
    }
}
