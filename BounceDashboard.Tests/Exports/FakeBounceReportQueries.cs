using System.Runtime.CompilerServices;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Tests.Exports;

/// <summary>
/// A small real implementation of the report's contract over lists (the real one reads the database): it applies the
/// filter's period and campaign, keeps the contract's order and remembers the filters it was asked for. With
/// <see cref="GeneratedDetails"/> it yields that many generated bounces without holding them, for large exports.
/// </summary>
public sealed class FakeBounceReportQueries : IBounceReportQueries
{
    public List<BounceReportRow> Rows { get; } = [];

    public List<BounceDetailRow> Details { get; } = [];

    public int GeneratedDetails { get; set; }

    public List<BounceReportFilter> Filters { get; } = [];

    /// <summary>Two summary rows and three bounces in November 2026, one of them with a formula for a diagnostic.</summary>
    public static FakeBounceReportQueries WithSample()
    {
        var fake = new FakeBounceReportQueries();
        fake.Rows.Add(new BounceReportRow("news.example.org", "550 5.1.1 <*>: User unknown", "550 5.1.1 <jose@example.com>: User unknown", 2, true, BounceReason.UserUnknown));
        fake.Rows.Add(new BounceReportRow(null, "=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0", 1, false, BounceReason.Undefined));
        fake.Details.Add(Detail(1, new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero), "josé@exämple.com", "550 5.1.1 <josé@exämple.com>: User unknown"));
        fake.Details.Add(Detail(2, new DateTimeOffset(2026, 11, 10, 23, 15, 0, TimeSpan.Zero), "ana@example.com", "550 5.1.1 <ana@example.com>: User unknown"));
        fake.Details.Add(Detail(3, new DateTimeOffset(2026, 11, 5, 8, 0, 0, TimeSpan.Zero), "eve@example.net", "=cmd|' /C calc'!A0", hard: false));
        return fake;
    }

    public static BounceDetailRow Detail(long id, DateTimeOffset at, string recipient, string diagnostic, bool hard = true, long? campaignId = 42) =>
        new(id, at, hard ? "news.example.org" : null, recipient, campaignId, campaignId is null ? null : "Black Friday – Réductions", hard,
            hard ? BounceReason.UserUnknown : BounceReason.Undefined, hard ? "5.1.1" : null, diagnostic, hard ? "550 5.1.1 <*>: User unknown" : diagnostic);

    public Task<PagedResult<BounceReportRow>> SummaryAsync(BounceReportFilter filter, PageRequest page, CancellationToken cancellationToken = default) =>
        Task.FromResult(new PagedResult<BounceReportRow>(Rows.Skip(page.Skip).Take(page.Take).ToList(), Rows.Count));

    public Task<PagedResult<BounceDetailRow>> DetailsAsync(
        BounceReportFilter filter, BounceReportRowKey row, PageRequest page, CancellationToken cancellationToken = default)
    {
        var matching = Matching(filter).Where(d => d.Group == row.Group && d.Pattern == row.Pattern).ToList();
        return Task.FromResult(new PagedResult<BounceDetailRow>(matching.Skip(page.Skip).Take(page.Take).ToList(), matching.Count));
    }

    public async IAsyncEnumerable<BounceReportRow> StreamSummaryAsync(BounceReportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Filters.Add(filter);
        foreach (var row in Rows.OrderByDescending(r => r.Amount))
        {
            await Task.Yield();
            yield return row;
        }
    }

    public async IAsyncEnumerable<BounceDetailRow> StreamDetailsAsync(BounceReportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Filters.Add(filter);
        if (GeneratedDetails > 0)
        {
            var start = filter.To.AddSeconds(-1);
            for (var i = 0; i < GeneratedDetails; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i % 1000 == 0)
                {
                    await Task.Yield();
                }

                yield return Detail(i + 1, start.AddSeconds(-i), $"user{i}@example.com", $"550 5.1.1 <user{i}@example.com>: Recipient address rejected: User unknown in virtual mailbox table (queue id {i:X8})");
            }

            yield break;
        }

        foreach (var detail in Matching(filter))
        {
            await Task.Yield();
            yield return detail;
        }
    }

    private IEnumerable<BounceDetailRow> Matching(BounceReportFilter filter) =>
        Details.Where(d => d.ReceivedAt >= filter.From && d.ReceivedAt < filter.To && (filter.CampaignId is null || d.CampaignId == filter.CampaignId))
            .OrderByDescending(d => d.ReceivedAt);
}
