using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Data.Seeding;

/// <summary>The demo's review queue holds stored messages with real raw bytes, read by the real engine.</summary>
public sealed class DemoReviewMessagesTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task GenerateAsync_ShouldLeaveUnmatchedUnparseableAndOrdinaryMessagesForReview_WhenDemoDataIsMade()
    {
        var queries = new ReviewQueueQueries(fixture.Database.Factory);

        var counts = await queries.CountsAsync();
        var messages = new List<ReviewItemDetail>();
        foreach (var cause in new[] { ReviewCause.Unparseable, ReviewCause.NotABounce })
        {
            foreach (var item in (await queries.ItemsAsync(cause, new PageRequest(0, 200))).Items.Where(i => i.Key.Type == ReviewItemType.InboundMessage))
            {
                messages.Add((await queries.DetailAsync(item.Key, ReviewQueueQueries.ShownRawBytes))!);
            }
        }

        Assert.True(counts.Of(ReviewCause.Unmatched) >= 2, $"unmatched: {counts.Of(ReviewCause.Unmatched)}");
        Assert.Contains(messages, m => m.Cause == ReviewCause.Unparseable && m.RawText!.Contains("<script>", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Cause == ReviewCause.NotABounce && m.RawText!.Contains("<img src=\"http://", StringComparison.Ordinal));
        var unmatched = await queries.ItemsAsync(ReviewCause.Unmatched, new PageRequest(0, 200));
        // The report's Original-Recipient and the returned To (the address we sent to) win over the forwarded final address.
        Assert.Contains(unmatched.Items, i => i.Recipient == "info@northwind-traders.example");
    }
}
