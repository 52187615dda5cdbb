using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace BounceDashboard.Tests.Ingest;

/// <summary>The ingest path on a real SQLite database with the real migrations, rules and engine, and real .eml fixtures.</summary>
public sealed class InboundIngestTests : CommandScenario
{
    private static readonly BounceEngine s_engine = new();

    private InboundIngest CreateIngest() =>
        new(Database.Factory, Runner, s_engine, Bounces, InboundFixtures.Signer, Time, NullLogger<InboundIngest>.Instance);

    private async Task<(int Messages, int Events)> CountAsync()
    {
        await using var db = Database.CreateContext();
        return (await db.InboundMessages.CountAsync(), await db.BounceEvents.CountAsync());
    }

    private async Task<Delivery> LoadDeliveryAsync(long id)
    {
        await using var db = Database.CreateContext();
        return await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == id);
    }

    [Fact]
    public async Task IngestAsync_ShouldStoreOneMessageAndOneEvent_WhenTheSameMessageArrivesTwice()
    {
        var ingest = CreateIngest();
        var bytes = FixtureFiles.Robustness("dsn-userunknown.eml");

        var first = await ingest.IngestAsync(InboundSource.File, "/mail/a.eml", bytes);
        var sameKey = await ingest.IngestAsync(InboundSource.File, "/mail/a.eml", bytes);
        var sameBytes = await ingest.IngestAsync(InboundSource.Imap, "bounces:7:42", bytes);

        Assert.False(first.Duplicate);
        Assert.True(sameKey.Duplicate && sameBytes.Duplicate);
        Assert.Equal(first.InboundMessageId, sameKey.InboundMessageId);
        Assert.Equal(first.InboundMessageId, sameBytes.InboundMessageId);
        Assert.Equal(first.Outcome, sameBytes.Outcome);
        Assert.Equal(first.Recipients.Select(r => r.BounceEventId), sameBytes.Recipients.Select(r => r.BounceEventId));
        Assert.Equal((1, 1), await CountAsync());
        await using var db = Database.CreateContext();
        var stored = await db.BounceEvents.SingleAsync();
        Assert.False(string.IsNullOrWhiteSpace(stored.Explanation), "the engine's sentence for people is stored with the event");
        Assert.Contains(stored.Rule, stored.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestAsync_ShouldKeepTheRawBytesAndRecordNoEvent_WhenTheBytesAreUnparseable()
    {
        var bytes = Encoding.ASCII.GetBytes("this is not a header line\n\nbody\n");

        var result = await CreateIngest().IngestAsync(InboundSource.Pop3, "bounces:UIDL-0001", bytes);

        Assert.Equal(InboundOutcome.Unparseable, result.Outcome);
        Assert.Empty(result.Recipients);
        await using var db = Database.CreateContext();
        var stored = await db.InboundMessages.SingleAsync();
        Assert.Equal(bytes, stored.RawContent);
        Assert.Equal(InboundOutcome.Unparseable, stored.Outcome);
        Assert.Equal(MessageKind.Unparseable, stored.Kind);
        Assert.False(string.IsNullOrEmpty(stored.Error));
        Assert.Equal(EngineVersion.Current, stored.EngineVersion);
        Assert.True(stored.AwaitsReview);
        Assert.Equal(0, await db.BounceEvents.CountAsync());
    }

    [Fact]
    public async Task IngestAsync_ShouldStoreItForReview_WhenTheReportNamesNoRecipient()
    {
        var bytes = FixtureFiles.Robustness("plain-message.eml");

        var result = await CreateIngest().IngestAsync(InboundSource.File, "/mail/plain.eml", bytes);

        Assert.Equal(InboundOutcome.NotABounce, result.Outcome);
        Assert.Equal((1, 0), await CountAsync());
        await using var db = Database.CreateContext();
        var stored = await db.InboundMessages.SingleAsync();
        Assert.True(stored.AwaitsReview);
        Assert.Equal(bytes, stored.RawContent);
    }

    [Fact]
    public async Task IngestAsync_ShouldApplyAHardBounceToTheDelivery_WhenTheReportCarriesAValidToken()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();

        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "bounces:7:43", InboundFixtures.UserUnknownDsnWithToken(delivery.Token!));

        Assert.Equal(InboundOutcome.Matched, result.Outcome);
        var recipient = Assert.Single(result.Recipients);
        Assert.Equal((delivery.Id, true, BounceEffect.HardBounced), (recipient.DeliveryId, recipient.Applied, recipient.Effect));
        Assert.Equal(DeliveryState.HardBounced, (await LoadDeliveryAsync(delivery.Id)).State);
        await using var db = Database.CreateContext();
        var bounce = await db.BounceEvents.SingleAsync();
        Assert.Equal(result.InboundMessageId, bounce.InboundMessageId);
        Assert.Equal(BounceReason.UserUnknown, bounce.Reason);
        Assert.Equal("bounces:7:43", bounce.RawMessageRef);
    }

    [Fact]
    public async Task IngestAsync_ShouldLeaveTheEventUnmatched_WhenTheTokenIsForged()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        var forged = InboundFixtures.ForgerSigner.Create(delivery.Id);

        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "bounces:7:44", InboundFixtures.UserUnknownDsnWithToken(forged));

        Assert.Equal(InboundOutcome.Unmatched, result.Outcome);
        Assert.Null(Assert.Single(result.Recipients).DeliveryId);
        Assert.Equal(DeliveryState.Sending, (await LoadDeliveryAsync(delivery.Id)).State);
    }

    [Fact]
    public async Task IngestAsync_ShouldMatchByTheOriginalMessageId_WhenTheReportCarriesNoValidToken()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        var text = InboundFixtures.UserUnknownDsn()
            .Replace(InboundFixtures.FixtureMessageId, delivery.MessageId!, StringComparison.Ordinal);

        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "bounces:7:45", Encoding.UTF8.GetBytes(text));

        Assert.Equal(InboundOutcome.Matched, result.Outcome);
        Assert.Equal(delivery.Id, Assert.Single(result.Recipients).DeliveryId);
    }

    [Fact]
    public async Task IngestAsync_ShouldMatchOnlyTheContactsOwnAddress_WhenTheReportNamesSeveralRecipients()
    {
        // written/exim-two-recipients.eml reports ida@ and jon@example.net for one original Message-ID.
        var contact = await SeedContactAsync("jon@example.net");
        var campaign = new CampaignBuilder().Build();
        await Database.SeedAsync(campaign);
        var delivery = Delivery.Create(campaign.Id, contact.Id, Time.GetUtcNow());
        delivery.BeginAttempt(Time.GetUtcNow(), "<a7c1e5b2-99d0-4f6e-8a3b-0c2d4e6f8a10@example.com>", "192.0.2.10");
        await Database.SeedAsync(delivery);

        var result = await CreateIngest().IngestAsync(InboundSource.File, "/mail/two.eml", File.ReadAllBytes(FixtureFiles.Bounces("written", "exim-two-recipients.eml")));

        Assert.Equal(InboundOutcome.Unmatched, result.Outcome);
        Assert.Equal(
            [("ida@example.net", (long?)null), ("jon@example.net", delivery.Id)],
            result.Recipients.Select(r => (r.Address, r.DeliveryId)).Order());
    }

    [Fact]
    public async Task ReclassifyAsync_ShouldRecordTheNewReadingOnce_WhenTheStoredReadingIsStale()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        var stale = InboundMessage.Receive(InboundSource.Imap, "bounces:7:46", InboundFixtures.UserUnknownDsnWithToken(delivery.Token!), Time.GetUtcNow());
        stale.RecordClassification(InboundOutcome.Unparseable, MessageKind.Unparseable, null, "an older engine gave up", "2026.01.01.1", Time.GetUtcNow());
        await Database.SeedAsync(stale);
        var ingest = CreateIngest();
        Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal([stale.Id], await ingest.FindToReclassifyAsync(ReclassifyScope.Stale));
        var first = await ingest.ReclassifyAsync(stale.Id);
        Time.Advance(TimeSpan.FromHours(1));
        var second = await ingest.ReclassifyAsync(stale.Id);

        Assert.True(first!.Changed);
        Assert.Equal(InboundOutcome.Matched, first.Outcome);
        Assert.False(second!.Changed);
        Assert.Equal(first.Recipients, second.Recipients);
        Assert.Equal(DeliveryState.HardBounced, (await LoadDeliveryAsync(delivery.Id)).State);
        await using var db = Database.CreateContext();
        var message = await db.InboundMessages.SingleAsync();
        Assert.Equal((EngineVersion.Current, Time.GetUtcNow().AddHours(-1)), (message.EngineVersion, message.ClassifiedAt!.Value));
        var bounce = await db.BounceEvents.SingleAsync();
        Assert.Equal((delivery.Id, BounceEffect.HardBounced), (bounce.DeliveryId!.Value, bounce.Effect!.Value));
        Assert.Empty(await ingest.FindToReclassifyAsync(ReclassifyScope.Stale));
    }

    [Fact]
    public async Task ReclassifyAsync_ShouldGiveAnUnappliedEventTheNewReading_WhenItWasStoredFromAnOlderReading()
    {
        var bytes = FixtureFiles.Robustness("dsn-userunknown.eml");
        var message = InboundMessage.Receive(InboundSource.File, "/mail/old.eml", bytes, Time.GetUtcNow());
        message.RecordClassification(InboundOutcome.Unmatched, MessageKind.Delay, "old", null, "2026.01.01.1", Time.GetUtcNow());
        await Database.SeedAsync(message);
        var oldReading = new BounceRecipient(InboundFixtures.FixtureRecipient, DeliveryAction.Delayed, null, null, "old text", null, BounceReason.Undefined, false, false, "old-rule");
        var key = BounceEvent.KeyFor(BounceSource.Mailbox, message.ContentHash, InboundFixtures.FixtureRecipient);
        var report = new BounceReport(MessageKind.Delay, [oldReading], BounceMatch.None);
        await Database.SeedAsync(BounceEvent.FromReport(report, oldReading, BounceSource.Mailbox, Time.GetUtcNow(), key, inboundMessageId: message.Id));
        var ingest = CreateIngest();

        var first = await ingest.ReclassifyAsync(message.Id);
        var second = await ingest.ReclassifyAsync(message.Id);

        Assert.True(first!.Changed);
        Assert.False(second!.Changed);
        await using var db = Database.CreateContext();
        var bounce = await db.BounceEvents.SingleAsync();
        Assert.Equal(
            (MessageKind.Bounce, BounceReason.UserUnknown, true, true, "5.1.1"),
            (bounce.Kind, bounce.Reason, bounce.Permanent, bounce.Hard, bounce.EnhancedStatus));
        Assert.NotEqual("old-rule", bounce.Rule);
        Assert.Contains(bounce.Rule, bounce.Explanation, StringComparison.Ordinal);
        Assert.Equal(MessageKind.Bounce, (await db.InboundMessages.SingleAsync()).Kind);
    }

    [Fact]
    public async Task ReclassifyAsync_ShouldMatchAndApplyAWaitingEventOnce_WhenTheNewReadingFindsItsDelivery()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        var message = InboundMessage.Receive(InboundSource.Imap, "bounces:7:47", InboundFixtures.UserUnknownDsnWithToken(delivery.Token!), Time.GetUtcNow());
        message.RecordClassification(InboundOutcome.Unmatched, MessageKind.Bounce, "old", null, "2026.01.01.1", Time.GetUtcNow());
        await Database.SeedAsync(message);
        var oldReading = new BounceRecipient(InboundFixtures.FixtureRecipient, DeliveryAction.Failed, null, null, "old text", null, BounceReason.Undefined, true, false, "old-rule");
        var key = BounceEvent.KeyFor(BounceSource.Mailbox, message.ContentHash, InboundFixtures.FixtureRecipient);
        var waiting = BounceEvent.FromReport(
            new BounceReport(MessageKind.Bounce, [oldReading], BounceMatch.None), oldReading, BounceSource.Mailbox, Time.GetUtcNow(), key, inboundMessageId: message.Id);
        await Database.SeedAsync(waiting);
        var ingest = CreateIngest();

        var first = await ingest.ReclassifyAsync(message.Id);
        var second = await ingest.ReclassifyAsync(message.Id);

        Assert.Equal((true, InboundOutcome.Matched), (first!.Changed, first.Outcome));
        Assert.False(second!.Changed);
        var recipient = Assert.Single(second.Recipients);
        Assert.Equal((waiting.Id, delivery.Id, true, BounceEffect.HardBounced), (recipient.BounceEventId, recipient.DeliveryId!.Value, recipient.Applied, recipient.Effect));
        Assert.Equal(DeliveryState.HardBounced, (await LoadDeliveryAsync(delivery.Id)).State);
    }

    [Fact]
    public async Task FindToReclassifyAsync_ShouldSelectByScope_WhenMessagesHaveDifferentOutcomes()
    {
        var ingest = CreateIngest();
        var unparseable = await ingest.IngestAsync(InboundSource.File, "/mail/bad.eml", Encoding.ASCII.GetBytes("not a header\n\nbody\n"));
        var unmatched = await ingest.IngestAsync(InboundSource.File, "/mail/dsn.eml", FixtureFiles.Robustness("dsn-userunknown.eml"));

        Assert.Equal([unparseable.InboundMessageId], await ingest.FindToReclassifyAsync(ReclassifyScope.Unparsed));
        Assert.Equal([unmatched.InboundMessageId], await ingest.FindToReclassifyAsync(ReclassifyScope.Unmatched));
        Assert.Equal([unparseable.InboundMessageId, unmatched.InboundMessageId], await ingest.FindToReclassifyAsync(ReclassifyScope.All));
        Assert.Empty(await ingest.FindToReclassifyAsync(ReclassifyScope.Stale));
    }

    [Fact]
    public async Task IngestAsync_ShouldStoreANewMessage_WhenAFilePathIsReusedForOtherBytes()
    {
        // A rotated spool or a drop file written anew: the same PATH#N names another bounce, which must not be lost.
        var ingest = CreateIngest();
        var first = await ingest.IngestAsync(InboundSource.File, "/var/mail/bounces#1", InboundFixtures.UserUnknownDsnWithToken("0000000000000001"));
        var second = await ingest.IngestAsync(InboundSource.File, "/var/mail/bounces#1", InboundFixtures.UserUnknownDsnWithToken("0000000000000002"));
        var replay = await ingest.IngestAsync(InboundSource.File, "/var/mail/bounces#1", InboundFixtures.UserUnknownDsnWithToken("0000000000000002"));

        Assert.False(second.Duplicate);
        Assert.NotEqual(first.InboundMessageId, second.InboundMessageId);
        Assert.Equal((true, second.InboundMessageId), (replay.Duplicate, replay.InboundMessageId));
        Assert.Equal((2, 2), await CountAsync());
    }

    [Fact]
    public async Task IngestAsync_ShouldReturnTheEarlierOutcome_WhenAnImapUidComesBackWithOtherBytes()
    {
        var ingest = CreateIngest();
        var first = await ingest.IngestAsync(InboundSource.Imap, "bounces:7:50", InboundFixtures.UserUnknownDsnWithToken("0000000000000001"));
        var again = await ingest.IngestAsync(InboundSource.Imap, "bounces:7:50", InboundFixtures.UserUnknownDsnWithToken("0000000000000002"));

        Assert.Equal((true, first.InboundMessageId), (again.Duplicate, again.InboundMessageId));
        Assert.Equal((1, 1), await CountAsync());
    }

    [Fact]
    public async Task ReclassifyAsync_ShouldNotApplyTheMessageTwice_WhenANewReadingNamesTheRecipientDifferently()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        var bytes = InboundFixtures.UserUnknownDsnWithToken(delivery.Token!);
        var message = InboundMessage.Receive(InboundSource.Imap, "bounces:7:51", bytes, Time.GetUtcNow());
        message.RecordClassification(InboundOutcome.Matched, MessageKind.Bounce, "old", null, "2026.01.01.1", Time.GetUtcNow());
        await Database.SeedAsync(message);

        // What an older engine read and applied: the same failure under another spelling of the recipient.
        const string oldSpelling = "nobody@example.net.";
        var oldReading = new BounceRecipient(oldSpelling, DeliveryAction.Failed, EnhancedStatusCode.Parse("5.1.1"), "550", "user unknown", null, BounceReason.UserUnknown, true, true, "old-rule");
        var applied = await Bounces.RecordAsync(BounceEvent.FromReport(
            new BounceReport(MessageKind.Bounce, [oldReading], BounceMatch.None), oldReading, BounceSource.Mailbox, Time.GetUtcNow(),
            BounceEvent.KeyFor(BounceSource.Mailbox, message.ContentHash, oldSpelling), delivery.Id, inboundMessageId: message.Id));
        Assert.Equal(BounceEffect.HardBounced, applied.Effect);

        await CreateIngest().ReclassifyAsync(message.Id);

        await using var db = Database.CreateContext();
        var events = await db.BounceEvents.OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([BounceEventState.Applied, BounceEventState.AwaitingMatch], events.Select(e => e.State).ToList());
        Assert.Null(events[1].DeliveryId);
        Assert.Equal(1, (await db.Contacts.SingleAsync()).ConsecutiveHardBounces);
        Assert.Equal(1, await db.SuppressionEntries.CountAsync());
    }

    [Fact]
    public async Task MatchAsync_ShouldTakeTheMessageOutOfTheReviewQueue_WhenItsLastWaitingEventIsMatched()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        var forged = InboundFixtures.ForgerSigner.Create(delivery.Id);
        var ingested = await CreateIngest().IngestAsync(InboundSource.Imap, "bounces:7:52", InboundFixtures.UserUnknownDsnWithToken(forged));
        Assert.Equal(InboundOutcome.Unmatched, ingested.Outcome);

        var matched = await Bounces.MatchAsync(Assert.Single(ingested.Recipients).BounceEventId, delivery.Id);

        Assert.Equal(BounceEffect.HardBounced, matched.Effect);
        await using var db = Database.CreateContext();
        var message = await db.InboundMessages.SingleAsync();
        Assert.Equal(InboundOutcome.Matched, message.Outcome);
        Assert.False(message.AwaitsReview);
    }
}
