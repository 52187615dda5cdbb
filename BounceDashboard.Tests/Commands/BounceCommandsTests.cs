using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data.Configurations;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Commands;

public class BounceCommandsTests : CommandScenario
{
    [Fact]
    public async Task RecordAsync_ShouldHardBounceErrorAndSuppressInOneCommit_WhenABadAddressIsReported()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);

        var result = await Bounces.RecordAsync(Event(delivery.Id, permanent: true, BounceReason.UserUnknown));

        Assert.False(result.Duplicate);
        Assert.Equal(BounceEffect.HardBounced, result.Effect);
        Assert.Equal(SuppressionReason.HardBounce, result.SuppressionAdded);
        await using var db = Database.CreateContext();
        var stored = await db.BounceEvents.SingleAsync();
        Assert.Equal((BounceEffect.HardBounced, Time.GetUtcNow()), (stored.Effect, stored.AppliedAt));
        var savedDelivery = await db.Deliveries.Include(d => d.Attempts).SingleAsync();
        Assert.Equal(DeliveryState.HardBounced, savedDelivery.State);
        Assert.Equal(DeliveryAttemptOutcome.PermanentFailure, Assert.Single(savedDelivery.Attempts).Outcome);
        Assert.Equal(stored.IdempotencyKey, savedDelivery.LastBounceEventKey);
        var savedContact = await db.Contacts.SingleAsync();
        Assert.Equal((ContactStatus.Error, ContactErrorCause.BadAddress), (savedContact.Status, savedContact.ErrorCause));
        var entry = await db.SuppressionEntries.SingleAsync();
        Assert.Equal(("jane@example.com", SuppressionReason.HardBounce, stored.Id), (entry.Email, entry.Reason, entry.BounceEventId!.Value));
    }

    [Fact]
    public async Task RecordAsync_ShouldChangeNothing_WhenTheSameKeyIsRecordedAgain()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);
        var first = await Bounces.RecordAsync(Event(delivery.Id, permanent: false, BounceReason.MailboxFull, key: "Mailbox:box:1:7:jane@example.com"));

        // The same message polled again, even if it were classified differently now.
        Time.Advance(TimeSpan.FromMinutes(10));
        var replay = await Bounces.RecordAsync(Event(delivery.Id, permanent: true, BounceReason.UserUnknown, key: "Mailbox:box:1:7:jane@example.com"));

        Assert.Equal(BounceEffect.RetryScheduled, first.Effect);
        Assert.True(replay.Duplicate);
        Assert.Equal(first.BounceEventId, replay.BounceEventId);
        Assert.Equal(BounceEffect.RetryScheduled, replay.Effect);
        await using var db = Database.CreateContext();
        Assert.Equal(1, await db.BounceEvents.CountAsync());
        Assert.Equal(DeliveryState.AwaitingRetry, (await db.Deliveries.SingleAsync()).State);
        Assert.Equal(ContactStatus.Active, (await db.Contacts.SingleAsync()).Status);
        Assert.Equal(0, await db.SuppressionEntries.CountAsync());
    }

    [Fact]
    public async Task RecordAsync_ShouldCountCampaignsAcrossOperations_WhenHardBouncesRepeatUnderAConfiguredThreshold()
    {
        Options.HardBounceCampaignsForConfirmedBounce = 2;
        var contact = await SeedContactAsync();

        var first = await Bounces.RecordAsync(Event((await SendAsync(contact)).Id, permanent: true, BounceReason.Blocked));
        var second = await Bounces.RecordAsync(Event((await SendAsync(contact)).Id, permanent: true, BounceReason.Blocked));

        Assert.Equal(ContactStatus.Active, first.ContactStatus);
        Assert.Equal(ContactStatus.ConfirmedBounce, second.ContactStatus);
        await using var db = Database.CreateContext();
        var saved = await db.Contacts.SingleAsync();
        Assert.Equal((ContactStatus.ConfirmedBounce, 2), (saved.Status, saved.ConsecutiveHardBounces));
        Assert.Equal(SuppressionReason.ConfirmedBounce, (await db.SuppressionEntries.SingleAsync()).Reason);
    }

    [Fact]
    public async Task RecordAsync_ShouldStoreWithoutChanges_WhenTheEventIsUnmatched()
    {
        await SeedContactAsync();

        var result = await Bounces.RecordAsync(Event(null, permanent: true, BounceReason.UserUnknown));

        Assert.Equal(BounceEffect.None, result.Effect);
        await using var db = Database.CreateContext();
        Assert.Null((await db.BounceEvents.SingleAsync()).DeliveryId);
        Assert.Equal(ContactStatus.Active, (await db.Contacts.SingleAsync()).Status);
        Assert.Equal(0, await db.SuppressionEntries.CountAsync());
    }

    [Fact]
    public async Task RecordAsync_ShouldLeaveAnUnmatchedComplaintInTheReviewQueue_WhenItNamesAKnownContact()
    {
        await SeedContactAsync();

        var result = await Bounces.RecordAsync(
            Event(null, false, BounceReason.Feedback, MessageKind.FeedbackReport, recipient: "JANE@example.com", feedbackType: FeedbackTypes.Abuse));

        Assert.Equal((BounceEffect.None, (SuppressionReason?)null, BounceEventState.AwaitingMatch), (result.Effect, result.SuppressionAdded, result.State));
        await using var db = Database.CreateContext();
        Assert.Equal(ContactStatus.Active, (await db.Contacts.SingleAsync()).Status);
        Assert.Equal(0, await db.SuppressionEntries.CountAsync());
        var stored = await db.BounceEvents.SingleAsync();
        Assert.Equal((BounceEventState.AwaitingMatch, (DateTimeOffset?)null), (stored.State, stored.AppliedAt));
    }

    [Fact]
    public async Task MatchAsync_ShouldApplyTheRulesOnce_WhenAnUnmatchedEventIsMatchedAndReplayed()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);
        var unmatched = await Bounces.RecordAsync(Event(null, permanent: true, BounceReason.UserUnknown));

        var matched = await Bounces.MatchAsync(unmatched.BounceEventId, delivery.Id);
        var replayed = await Bounces.MatchAsync(unmatched.BounceEventId, delivery.Id);
        var reapplied = await Bounces.ApplyStoredAsync(unmatched.BounceEventId);

        Assert.Equal((BounceEffect.HardBounced, SuppressionReason.HardBounce, BounceEventState.Applied), (matched.Effect, matched.SuppressionAdded, matched.State));
        Assert.True(replayed.Duplicate);
        Assert.True(reapplied.Duplicate);
        await using var db = Database.CreateContext();
        var saved = await db.Contacts.SingleAsync();
        Assert.Equal((ContactStatus.Error, 1), (saved.Status, saved.ConsecutiveHardBounces));
        Assert.Equal(1, await db.SuppressionEntries.CountAsync());
        Assert.Equal(DeliveryState.HardBounced, (await db.Deliveries.SingleAsync()).State);
        var stored = await db.BounceEvents.SingleAsync();
        Assert.Equal((delivery.Id, BounceEventState.Applied), (stored.DeliveryId, stored.State));
        Assert.Equal(delivery.CampaignId, db.Entry(stored).Property<long?>(BounceEventColumns.CampaignId).CurrentValue);
    }

    [Fact]
    public async Task MatchAsync_ShouldSuppress_WhenAnUnmatchedComplaintIsMatchedToOneOfOurSends()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);
        var complaint = await Bounces.RecordAsync(
            Event(null, false, BounceReason.Feedback, MessageKind.FeedbackReport, feedbackType: FeedbackTypes.Abuse));

        var matched = await Bounces.MatchAsync(complaint.BounceEventId, delivery.Id);

        Assert.Equal((BounceEffect.Complaint, SuppressionReason.Complaint, ContactStatus.OptedOut), (matched.Effect, matched.SuppressionAdded, matched.ContactStatus));
    }

    [Fact]
    public async Task MatchAsync_ShouldRefuse_WhenTheDeliveryDoesNotExist()
    {
        await SeedContactAsync();
        var unmatched = await Bounces.RecordAsync(Event(null, permanent: true, BounceReason.UserUnknown));

        await Assert.ThrowsAsync<DomainException>(() => Bounces.MatchAsync(unmatched.BounceEventId, 424242));

        await using var db = Database.CreateContext();
        Assert.Equal(BounceEventState.AwaitingMatch, (await db.BounceEvents.SingleAsync()).State);
    }

    [Fact]
    public async Task RecordAsync_ShouldReplaceTheHardBounceEntryWithAComplaint_WhenTheUniqueActiveEntryIsTaken()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);
        await Bounces.RecordAsync(Event(delivery.Id, permanent: true, BounceReason.UserUnknown));

        var complaint = await Bounces.RecordAsync(
            Event(delivery.Id, false, BounceReason.Feedback, MessageKind.FeedbackReport, feedbackType: FeedbackTypes.Abuse));

        Assert.Equal(SuppressionReason.Complaint, complaint.SuppressionAdded);
        await using var db = Database.CreateContext();
        var entries = await db.SuppressionEntries.OrderBy(s => s.Id).ToListAsync();
        Assert.Equal(
            [(SuppressionReason.HardBounce, false), (SuppressionReason.Complaint, true)],
            entries.Select(e => (e.Reason, e.IsActive)).ToList());
    }

    [Fact]
    public async Task RecordAsync_ShouldLeaveNothingBehind_WhenTheCallersTransactionRollsBack()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);

        await using (var db = Database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var result = await Bounces.RecordAsync(db, Event(delivery.Id, permanent: true, BounceReason.UserUnknown));
            Assert.Equal(BounceEffect.HardBounced, result.Effect);
            await transaction.RollbackAsync();
        }

        await using var check = Database.CreateContext();
        Assert.Equal(0, await check.BounceEvents.CountAsync());
        Assert.Equal(0, await check.SuppressionEntries.CountAsync());
        Assert.Equal(DeliveryState.Sending, (await check.Deliveries.SingleAsync()).State);
    }

    [Fact]
    public async Task ApplyStoredAsync_ShouldChangeNothing_WhenTheEventWasAlreadyApplied()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);
        var recorded = await Bounces.RecordAsync(Event(delivery.Id, permanent: true, BounceReason.SpamDetected));

        var again = await Bounces.ApplyStoredAsync(recorded.BounceEventId);

        Assert.True(again.Duplicate);
        await using var db = Database.CreateContext();
        Assert.Equal(1, (await db.Contacts.SingleAsync()).ConsecutiveHardBounces);
    }
}
