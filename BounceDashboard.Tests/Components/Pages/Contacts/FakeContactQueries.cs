using BounceDashboard.Web.Queries;

namespace BounceDashboard.Tests.Components.Pages.Contacts;

/// <summary>An in-memory <see cref="IContactQueries"/> for page tests: canned rows, a gate to hold a load, a failure to throw.</summary>
public sealed class FakeContactQueries : IContactQueries
{
    public ContactStatusCounts Counts { get; set; } = ContactStatusCounts.Empty;

    public List<ContactRow> Rows { get; } = [];

    public Dictionary<long, ContactDetails> Contacts { get; } = [];

    public Dictionary<long, List<ContactHistoryEntry>> Histories { get; } = [];

    public List<(ContactFilter Filter, PageRequest Page, int? Total)> Searches { get; } = [];

    public List<int> HistoryLimits { get; } = [];

    /// <summary>When set, every call waits for it (the loading state).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, every call throws it (the error state).</summary>
    public Exception? Failure { get; set; }

    public async Task<ContactStatusCounts> CountsAsync(CancellationToken cancellationToken = default)
    {
        await WaitAsync();
        return Counts;
    }

    public async Task<PagedResult<ContactRow>> SearchAsync(ContactFilter filter, PageRequest page, int? total = null, CancellationToken cancellationToken = default)
    {
        Searches.Add((filter, page, total));
        await WaitAsync();
        var matching = Rows
            .Where(r => (filter.NormalizedSearch is null || r.Email.StartsWith(filter.NormalizedSearch, StringComparison.Ordinal))
                && (filter.Status is null || r.Status == filter.Status))
            .OrderBy(r => r.Email, StringComparer.Ordinal)
            .ToList();
        return new PagedResult<ContactRow>(matching.Skip(page.Skip).Take(page.Take).ToList(), matching.Count);
    }

    public async Task<ContactDetails?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await WaitAsync();
        return Contacts.GetValueOrDefault(id);
    }

    public async Task<ContactHistory> HistoryAsync(long id, int limit, CancellationToken cancellationToken = default)
    {
        HistoryLimits.Add(limit);
        await WaitAsync();
        var entries = Histories.GetValueOrDefault(id) ?? [];
        return new ContactHistory(entries.Take(limit).ToList(), entries.Count > limit);
    }

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
