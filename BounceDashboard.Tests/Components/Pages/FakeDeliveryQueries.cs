using BounceDashboard.Web.Queries;

namespace BounceDashboard.Tests.Components.Pages;

/// <summary>An in-memory <see cref="IDeliveryQueries"/> for page tests: canned rows, a gate to hold a load, a failure to throw.</summary>
public sealed class FakeDeliveryQueries : IDeliveryQueries
{
    public List<RecipientRow> Recipients { get; } = [];

    public Dictionary<long, DeliveryTimeline> Timelines { get; } = [];

    public List<(RecipientFilter Filter, RecipientSortField SortBy, bool Descending, PageRequest Page, int? Matching)> PageRequests { get; } = [];

    public List<RecipientFilter> CountRequests { get; } = [];

    /// <summary>When set, every call waits for it (the loading state).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, every call throws it (the error state).</summary>
    public Exception? Failure { get; set; }

    public async Task<IReadOnlyList<RecipientRow>> RecipientsAsync(
        RecipientFilter filter, RecipientSortField sortBy, bool descending, PageRequest page, int? matching = null,
        CancellationToken cancellationToken = default)
    {
        PageRequests.Add((filter, sortBy, descending, page, matching));
        await WaitAsync();
        return Matching(filter).Skip(page.Skip).Take(page.Take).ToList();
    }

    public async Task<int> CountRecipientsAsync(RecipientFilter filter, CancellationToken cancellationToken = default)
    {
        CountRequests.Add(filter);
        await WaitAsync();
        return Matching(filter).Count();
    }

    public async Task<DeliveryTimeline?> TimelineAsync(long deliveryId, CancellationToken cancellationToken = default)
    {
        await WaitAsync();
        return Timelines.GetValueOrDefault(deliveryId);
    }

    private IEnumerable<RecipientRow> Matching(RecipientFilter filter) =>
        Recipients.Where(r =>
            (filter.NormalizedPrefix is null || r.Address.StartsWith(filter.NormalizedPrefix, StringComparison.Ordinal))
            && (filter.State is null || r.State == filter.State)
            && (filter.Reason is null || r.BounceReason == filter.Reason));

    private async Task WaitAsync()
    {
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        if (Failure is { } failure)
        {
            throw failure;
        }
    }
}
