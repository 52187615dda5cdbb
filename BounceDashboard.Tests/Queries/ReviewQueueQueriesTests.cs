using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Queries;

public sealed class ReviewQueueQueriesTests : ReviewScenario
{
    [Fact]
    public async Task CountsAsync_ShouldCountEachCause_WhenEventsAndMessagesWait()
    {
        await IngestUnmatchedAsync();
        await IngestUnparseableAsync();
        await IngestUnparseableAsync("another unreadable line\n\nbody\n", "bounces:1:4");
        await IngestNotABounceAsync();
        await Database.SeedAsync(Event(deliveryId: null, false, BounceReason.Undefined, MessageKind.Unparseable, recipient: ""));

        var counts = await Queries.CountsAsync();

        Assert.Equal(
            new Dictionary<ReviewCause, int>
            {
                [ReviewCause.Unmatched] = 1,
                [ReviewCause.Unparseable] = 3,
                [ReviewCause.NoRecipients] = 0,
                [ReviewCause.NotABounce] = 1,
            },
            counts.ByCause);
        Assert.Equal(5, counts.Total);
    }

    [Fact]
    public async Task ItemsAsync_ShouldListEventsAndMessagesOldestFirstInPages_WhenNoCauseIsChosen()
    {
        var unparseable = await IngestUnparseableAsync();
        Time.Advance(TimeSpan.FromMinutes(1));
        var unmatched = await IngestUnmatchedAsync();
        Time.Advance(TimeSpan.FromMinutes(1));
        var notABounce = await IngestNotABounceAsync();

        var first = await Queries.ItemsAsync(null, new PageRequest(0, 2));
        var second = await Queries.ItemsAsync(null, new PageRequest(1, 2));
        var onlyUnmatched = await Queries.ItemsAsync(ReviewCause.Unmatched, new PageRequest(0, 25));

        Assert.Equal(3, first.TotalCount);
        Assert.Equal(
            [new ReviewItemKey(ReviewItemType.InboundMessage, unparseable), new ReviewItemKey(ReviewItemType.BounceEvent, unmatched), new ReviewItemKey(ReviewItemType.InboundMessage, notABounce)],
            first.Items.Concat(second.Items).Select(i => i.Key));
        Assert.Equal([ReviewCause.Unparseable, ReviewCause.Unmatched], first.Items.Select(i => i.Cause));
        var row = Assert.Single(onlyUnmatched.Items);
        Assert.Equal((InboundFixtures.FixtureRecipient, BounceReason.UserUnknown, true), (row.Recipient, row.Reason, row.Hard));
    }

    [Fact]
    public async Task DetailAsync_ShouldGiveTheReadingAndTheStartOfTheRawMessage_WhenAnEventIsOpened()
    {
        var eventId = await IngestUnmatchedAsync();

        var detail = await Queries.DetailAsync(new ReviewItemKey(ReviewItemType.BounceEvent, eventId), maxRawBytes: 100);
        var full = await Queries.DetailAsync(new ReviewItemKey(ReviewItemType.BounceEvent, eventId), maxRawBytes: int.MaxValue);

        Assert.NotNull(detail);
        Assert.NotNull(full);
        Assert.True(detail.Open);
        Assert.Equal((ReviewCause.Unmatched, MessageKind.Bounce), (detail.Cause, detail.Kind));
        var recipient = Assert.Single(detail.Recipients);
        Assert.Equal((InboundFixtures.FixtureRecipient, "5.1.1", "550"), (recipient.Recipient, recipient.EnhancedStatus, recipient.ReplyCode));
        Assert.False(string.IsNullOrEmpty(recipient.Rule));
        Assert.Equal(100, detail.RawText!.Length);
        Assert.True(detail.RawTruncated);
        Assert.False(full.RawTruncated);
        Assert.Equal(FixtureFiles.Robustness("dsn-userunknown.eml").Length, full.RawText!.Length);
        Assert.StartsWith("Return-Path: <>", full.RawText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetailAsync_ShouldGiveTheEnginesErrorAndTheRawText_WhenAMessageIsUnparseable()
    {
        var messageId = await IngestUnparseableAsync();

        var detail = await Queries.DetailAsync(new ReviewItemKey(ReviewItemType.InboundMessage, messageId), ReviewQueueQueries.ShownRawBytes);

        Assert.NotNull(detail);
        Assert.Equal((ReviewCause.Unparseable, true), (detail.Cause, detail.Open));
        Assert.Empty(detail.Recipients);
        Assert.False(string.IsNullOrEmpty(detail.Error));
        Assert.Equal(HostileText, detail.RawText);
    }

    [Fact]
    public async Task CandidatesAsync_ShouldListTheContactsDeliveriesLatestFirst_WhenSearchedByAddressOrId()
    {
        var contact = await SeedContactAsync("ann@example.com");
        var older = await SendAsync(contact);
        var newer = await SendAsync(contact);
        var itemAt = Time.GetUtcNow();
        var later = await SendAsync(contact);

        var byAddress = await Queries.CandidatesAsync(" Ann@Example.com ", itemAt);
        var byId = await Queries.CandidatesAsync($"#{older.Id}", itemAt);
        var unknown = await Queries.CandidatesAsync("nobody@example.com", itemAt);

        Assert.Equal([later.Id, newer.Id, older.Id], byAddress.Select(c => c.DeliveryId));
        Assert.Equal([false, true, true], byAddress.Select(c => c.BeforeItem));
        Assert.All(byAddress, c => Assert.Equal(("ann@example.com", DeliveryState.Sending), (c.Email, c.State)));
        Assert.Equal(older.Id, Assert.Single(byId).DeliveryId);
        Assert.Empty(unknown);
    }
}
