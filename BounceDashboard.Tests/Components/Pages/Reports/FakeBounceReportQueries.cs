using System.Runtime.CompilerServices;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Tests.Components.Pages.Reports;

/// <summary>A bounce report read side for page tests: fixed rows, an optional failure or a wait, and what was asked.</summary>
internal sealed class FakeBounceReportQueries : IBounceReportQueries, IBounceReportOptions
{
    public List<BounceReportRow> Rows { get; } = [];

    public List<BounceDetailRow> Details { get; } = [];

    public List<CampaignOption> Campaigns { get; } = [];

    public List<BounceReportFilter> Filters { get; } = [];

    public List<BounceReportRowKey> DrilledDown { get; } = [];

    public Exception? Failure { get; set; }

    /// <summary>When set, the summary waits for it (the loading state).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public async Task<PagedResult<BounceReportRow>> SummaryAsync(BounceReportFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        Filters.Add(filter);
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        return new PagedResult<BounceReportRow>(Rows.Skip(page.Skip).Take(page.Take).ToList(), Rows.Count);
    }

    public Task<PagedResult<BounceDetailRow>> DetailsAsync(BounceReportFilter filter, BounceReportRowKey row, PageRequest page, CancellationToken cancellationToken = default)
    {
        DrilledDown.Add(row);
        return Task.FromResult(new PagedResult<BounceDetailRow>(Details.Skip(page.Skip).Take(page.Take).ToList(), Details.Count));
    }

    public async IAsyncEnumerable<BounceReportRow> StreamSummaryAsync(BounceReportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var row in Rows)
        {
            yield return row;
        }
    }

    public async IAsyncEnumerable<BounceDetailRow> StreamDetailsAsync(BounceReportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var row in Details)
        {
            yield return row;
        }
    }

    public Task<IReadOnlyList<CampaignOption>> CampaignsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CampaignOption>>(Campaigns);
}
