using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Commands;

public sealed class ReviewCommandsTests : ReviewScenario
{
    private const string Recipient = InboundFixtures.FixtureRecipient;

    [Fact]
    public async Task MatchToDeliveryAsync_ShouldApplyTheRulesOnceAndAudit_WhenAnAdminMatchesAnUnmatchedReport()
    {
        var contact = await SeedContactAsync(Recipient);
        var delivery = await SendAsync(contact);
        var eventId = await IngestUnmatchedAsync();

        var first = await Review.MatchToDeliveryAsync(Admin, eventId, delivery.Id, "Forwarded address, confirmed by support");
        var second = await Review.MatchToDeliveryAsync(Admin, eventId, delivery.Id, "Clicked twice");

        Assert.Equal(CommandStatus.Done, first.Status);
        Assert.Equal(CommandStatus.Invalid, second.Status);
        await using var db = Database.CreateContext();
        var bounce = await db.BounceEvents.SingleAsync();
        Assert.Equal((BounceEventState.Applied, delivery.Id, BounceEffect.HardBounced), (bounce.State, bounce.DeliveryId, bounce.Effect));
        var stored = await db.Contacts.SingleAsync();
        Assert.Equal((ContactStatus.Error, 1), (stored.Status, stored.ConsecutiveHardBounces));
        Assert.Equal(DeliveryState.HardBounced, (await db.Deliveries.SingleAsync()).State);
        Assert.Equal(SuppressionReason.HardBounce, (await db.SuppressionEntries.SingleAsync()).Reason);
        Assert.Equal(InboundOutcome.Matched, (await db.InboundMessages.SingleAsync()).Outcome);
        var audit = await db.AuditLogEntries.SingleAsync();
        Assert.Equal(
            ("admin@example.org", AuditAction.MatchReviewItem, $"BounceEvent {eventId}", "Forwarded address, confirmed by support"),
            (audit.Actor, audit.Action, audit.Target, audit.Reason));
        Assert.Contains($"delivery {delivery.Id}", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MatchToContactAsync_ShouldUseTheContactsLatestSendBeforeTheReport_WhenAnAdminPicksAContact()
    {
        var contact = await SeedContactAsync(Recipient);
        await SendAsync(contact);
        var latest = await SendAsync(contact);
        var eventId = await IngestUnmatchedAsync();
        await SendAsync(contact);

        var result = await Review.MatchToContactAsync(Admin, eventId, " Nobody@Example.net ", "Same person");

        Assert.Equal(CommandStatus.Done, result.Status);
        await using var db = Database.CreateContext();
        Assert.Equal(latest.Id, (await db.BounceEvents.SingleAsync()).DeliveryId);
    }

    [Fact]
    public async Task MatchToContactAsync_ShouldRefuse_WhenNothingWasSentToTheContactBeforeTheReport()
    {
        var eventId = await IngestUnmatchedAsync();
        var contact = await SeedContactAsync(Recipient);
        await SendAsync(contact);

        var result = await Review.MatchToContactAsync(Admin, eventId, Recipient, "Same person");

        Assert.Equal(CommandStatus.NotFound, result.Status);
        await using var db = Database.CreateContext();
        Assert.Equal(BounceEventState.AwaitingMatch, (await db.BounceEvents.SingleAsync()).State);
        Assert.Equal(0, await db.AuditLogEntries.CountAsync());
    }

    [Fact]
    public async Task ReclassifyAsync_ShouldCorrectTheReadingAndMatchByAddress_WhenTheContactWasSentToThatWeek()
    {
        var contact = await SeedContactAsync(Recipient);
        var delivery = await SendAsync(contact);
        var eventId = await IngestUnmatchedAsync();
        var item = new ReviewItemKey(ReviewItemType.BounceEvent, eventId);

        var result = await Review.ReclassifyAsync(Admin, item, new ReviewReading(MessageKind.Bounce, BounceReason.MailboxFull, Permanent: false), "Mailbox full, not unknown");
        var again = await Review.ReclassifyAsync(Admin, item, new ReviewReading(MessageKind.Bounce, BounceReason.MailboxFull, Permanent: false), "Again");

        Assert.Equal((CommandStatus.Done, CommandStatus.Invalid), (result.Status, again.Status));
        await using var db = Database.CreateContext();
        var bounce = await db.BounceEvents.SingleAsync();
        Assert.Equal(
            (BounceReason.MailboxFull, false, false, ReviewCommands.ReviewRule, BounceEventState.Applied, (long?)delivery.Id),
            (bounce.Reason, bounce.Permanent, bounce.Hard, bounce.Rule, bounce.State, bounce.DeliveryId));
        Assert.Equal("5.1.1", bounce.EnhancedStatus);
        Assert.Equal(BounceEffect.RetryScheduled, bounce.Effect);
        Assert.Equal(ContactStatus.Active, (await db.Contacts.SingleAsync()).Status);
        Assert.Empty(await db.SuppressionEntries.ToListAsync());
        Assert.Equal(AuditAction.ReclassifyReviewItem, (await db.AuditLogEntries.SingleAsync()).Action);
    }

    [Fact]
    public async Task ReclassifyAsync_ShouldLeaveTheCorrectedEventWaiting_WhenNoDeliveryMatchesByAddress()
    {
        var eventId = await IngestUnmatchedAsync();

        var result = await Review.ReclassifyAsync(
            Admin, new ReviewItemKey(ReviewItemType.BounceEvent, eventId), new ReviewReading(MessageKind.Bounce, BounceReason.Blocked, Permanent: true), "Blocklisted");

        Assert.Equal(CommandStatus.Done, result.Status);
        Assert.Contains("waits for a match", result.Message, StringComparison.Ordinal);
        await using var db = Database.CreateContext();
        var bounce = await db.BounceEvents.SingleAsync();
        Assert.Equal((BounceReason.Blocked, BounceEventState.AwaitingMatch), (bounce.Reason, bounce.State));
        Assert.Equal(1, await db.AuditLogEntries.CountAsync());
    }

    [Fact]
    public async Task ReclassifyAsync_ShouldRecordAnEventAndApplyIt_WhenAnAdminReadsAnUnparseableMessage()
    {
        var contact = await SeedContactAsync("jane@example.com");
        await SendAsync(contact);
        var messageId = await IngestUnparseableAsync();
        var item = new ReviewItemKey(ReviewItemType.InboundMessage, messageId);

        var missing = await Review.ReclassifyAsync(Admin, item, new ReviewReading(MessageKind.Bounce, BounceReason.UserUnknown, true), "No recipient given");
        var result = await Review.ReclassifyAsync(Admin, item, new ReviewReading(MessageKind.Bounce, BounceReason.UserUnknown, true, " Jane@Example.com "), "The body names jane");
        var again = await Review.ReclassifyAsync(Admin, item, new ReviewReading(MessageKind.Bounce, BounceReason.UserUnknown, true, "jane@example.com"), "Twice");

        Assert.Equal((CommandStatus.Invalid, CommandStatus.Done, CommandStatus.Invalid), (missing.Status, result.Status, again.Status));
        await using var db = Database.CreateContext();
        var bounce = await db.BounceEvents.SingleAsync();
        Assert.Equal(("jane@example.com", messageId, BounceEventState.Applied), (bounce.Recipient, bounce.InboundMessageId, bounce.State));
        var message = await db.InboundMessages.SingleAsync();
        Assert.Equal((InboundOutcome.Matched, MessageKind.Bounce, ReviewCommands.ReviewFormat), (message.Outcome, message.Kind, message.Format));
        Assert.Equal(ContactStatus.Error, (await db.Contacts.SingleAsync()).Status);
        Assert.Equal(1, await db.AuditLogEntries.CountAsync());
    }

    [Fact]
    public async Task DismissAsync_ShouldTakeTheItemOutOfTheQueueAndAudit_WhenAnAdminDismissesAnEventOrAMessage()
    {
        var eventId = await IngestUnmatchedAsync();
        var messageId = await IngestNotABounceAsync();

        var dismissedEvent = await Review.DismissAsync(Admin, new ReviewItemKey(ReviewItemType.BounceEvent, eventId), "Spam run");
        var dismissedMessage = await Review.DismissAsync(Admin, new ReviewItemKey(ReviewItemType.InboundMessage, messageId), null);
        var again = await Review.DismissAsync(Admin, new ReviewItemKey(ReviewItemType.InboundMessage, messageId), null);

        Assert.Equal((CommandStatus.Done, CommandStatus.Done, CommandStatus.Invalid), (dismissedEvent.Status, dismissedMessage.Status, again.Status));
        Assert.Equal(0, (await Queries.CountsAsync()).Total);
        await using var db = Database.CreateContext();
        Assert.Equal(BounceEventState.Dismissed, (await db.BounceEvents.SingleAsync()).State);
        var message = await db.InboundMessages.SingleAsync(m => m.Id == messageId);
        Assert.Equal(InboundOutcome.Dismissed, message.Outcome);
        Assert.NotNull(message.RawContent);
        Assert.Equal(
            [(AuditAction.DismissReviewItem, $"BounceEvent {eventId}", "Spam run"), (AuditAction.DismissReviewItem, $"InboundMessage {messageId}", null)],
            await db.AuditLogEntries.OrderBy(a => a.Id).Select(a => new ValueTuple<AuditAction, string, string?>(a.Action, a.Target, a.Reason)).ToListAsync());
    }

    [Theory]
    [InlineData("marketer")]
    [InlineData("anonymous")]
    public async Task EveryAction_ShouldBeRefusedAndChangeNothing_WhenTheUserIsNotAnAdmin(string who)
    {
        var contact = await SeedContactAsync(Recipient);
        var delivery = await SendAsync(contact);
        var eventId = await IngestUnmatchedAsync();
        var messageId = await IngestUnparseableAsync();
        var user = who == "marketer"
            ? User("marketer@example.org", Roles.Marketer)
            : new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        var eventItem = new ReviewItemKey(ReviewItemType.BounceEvent, eventId);
        var messageItem = new ReviewItemKey(ReviewItemType.InboundMessage, messageId);
        var before = await Queries.CountsAsync();

        CommandResult[] results =
        [
            await Review.MatchToDeliveryAsync(user, eventId, delivery.Id, "note"),
            await Review.MatchToContactAsync(user, eventId, Recipient, "note"),
            await Review.ReclassifyAsync(user, eventItem, new ReviewReading(MessageKind.Bounce, BounceReason.UserUnknown, true), "note"),
            await Review.ReclassifyAsync(user, messageItem, new ReviewReading(MessageKind.Bounce, BounceReason.UserUnknown, true, Recipient), "note"),
            await Review.DismissAsync(user, eventItem, "note"),
            await Review.DismissAsync(user, messageItem, "note"),
        ];

        Assert.All(results, r => Assert.Equal(CommandStatus.Forbidden, r.Status));
        Assert.Equal(before.ByCause, (await Queries.CountsAsync()).ByCause);
        Assert.Equal(0, await AuditCountAsync());
        await using var db = Database.CreateContext();
        Assert.Equal(BounceEventState.AwaitingMatch, (await db.BounceEvents.SingleAsync()).State);
        Assert.Equal((ContactStatus.Active, DeliveryState.Sending), ((await db.Contacts.SingleAsync()).Status, (await db.Deliveries.SingleAsync()).State));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task MatchToDeliveryAsync_ShouldRequireANote_WhenTheRulesMayChangeTheContact(string note)
    {
        var contact = await SeedContactAsync(Recipient);
        var delivery = await SendAsync(contact);
        var eventId = await IngestUnmatchedAsync();

        var result = await Review.MatchToDeliveryAsync(Admin, eventId, delivery.Id, note);

        Assert.Equal(CommandStatus.Invalid, result.Status);
        Assert.Equal(0, await AuditCountAsync());
    }
}
