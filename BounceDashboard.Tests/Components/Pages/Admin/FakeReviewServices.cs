using System.Security.Claims;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Tests.Components.Pages.Admin;

/// <summary>An in-memory <see cref="IReviewQueueQueries"/> for page tests: canned items, a gate to hold a load, a failure to throw.</summary>
public sealed class FakeReviewQueueQueries : IReviewQueueQueries
{
    public List<ReviewItemRow> Items { get; } = [];

    public Dictionary<ReviewItemKey, ReviewItemDetail> Details { get; } = [];

    public List<CandidateDelivery> Candidates { get; } = [];

    public List<(ReviewItemKey Key, int MaxRawBytes)> DetailRequests { get; } = [];

    /// <summary>When set, every call waits for it (the loading state).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, every call throws it (the error state).</summary>
    public Exception? Failure { get; set; }

    public async Task<ReviewCounts> CountsAsync(CancellationToken cancellationToken = default)
    {
        await WaitAsync();
        return new ReviewCounts(Enum.GetValues<ReviewCause>().ToDictionary(c => c, c => Items.Count(i => i.Cause == c)));
    }

    public async Task<PagedResult<ReviewItemRow>> ItemsAsync(ReviewCause? cause, PageRequest page, CancellationToken cancellationToken = default)
    {
        await WaitAsync();
        var matching = Items.Where(i => cause is null || i.Cause == cause).OrderBy(i => i.ReceivedAt).ToList();
        return new PagedResult<ReviewItemRow>(matching.Skip(page.Skip).Take(page.Take).ToList(), matching.Count);
    }

    public async Task<ReviewItemDetail?> DetailAsync(ReviewItemKey key, int maxRawBytes, CancellationToken cancellationToken = default)
    {
        DetailRequests.Add((key, maxRawBytes));
        await WaitAsync();
        return Details.GetValueOrDefault(key);
    }

    public async Task<IReadOnlyList<CandidateDelivery>> CandidatesAsync(string? search, DateTimeOffset itemAt, CancellationToken cancellationToken = default)
    {
        await WaitAsync();
        return Candidates;
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

/// <summary>Records the page's commands and answers with <see cref="Result"/>; a Done answer removes the item from the fake queue.</summary>
public sealed class FakeReviewCommands(FakeReviewQueueQueries queries) : IReviewCommands
{
    public List<string> Calls { get; } = [];

    public CommandResult Result { get; set; } = new(CommandStatus.Done, "Done.");

    public Task<CommandResult> MatchToDeliveryAsync(ClaimsPrincipal user, long bounceEventId, long deliveryId, string note, CancellationToken cancellationToken = default) =>
        Answer($"match {bounceEventId} to delivery {deliveryId}: {note}", new ReviewItemKey(ReviewItemType.BounceEvent, bounceEventId));

    public Task<CommandResult> MatchToContactAsync(ClaimsPrincipal user, long bounceEventId, string email, string note, CancellationToken cancellationToken = default) =>
        Answer($"match {bounceEventId} to contact {email}: {note}", new ReviewItemKey(ReviewItemType.BounceEvent, bounceEventId));

    public Task<CommandResult> ReclassifyAsync(ClaimsPrincipal user, ReviewItemKey item, ReviewReading reading, string note, CancellationToken cancellationToken = default) =>
        Answer($"reclassify {item} as {reading.Kind} {reading.Reason} {reading.Permanent} {reading.Recipient}: {note}", item);

    public Task<CommandResult> DismissAsync(ClaimsPrincipal user, ReviewItemKey item, string? note, CancellationToken cancellationToken = default) =>
        Answer($"dismiss {item}: {note}", item);

    private Task<CommandResult> Answer(string call, ReviewItemKey item)
    {
        Calls.Add(call);
        if (Result.Succeeded)
        {
            queries.Items.RemoveAll(i => i.Key == item);
        }

        return Task.FromResult(Result);
    }
}
