using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data.Configurations;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Commands;

public class TrackingCommandsTests : CommandScenario
{
    [Fact]
    public async Task RecordAsync_ShouldSetFirstClickAndResetTheContactsCounters_WhenTheContactIsActive()
    {
        var contact = await SeedContactAsync();
        await Bounces.RecordAsync(Event((await SendAsync(contact)).Id, permanent: true, BounceReason.Blocked));
        var delivered = await SendAsync(contact);

        var recorded = await Tracking.RecordAsync(TrackingEvent.Click(delivered.Id, "https://example.org/a", Time.GetUtcNow()));
        await Tracking.RecordAsync(TrackingEvent.Click(delivered.Id, "https://example.org/b", Time.GetUtcNow().AddMinutes(5)));

        Assert.Equal(TrackingOutcome.Recorded, recorded);
        await using var db = Database.CreateContext();
        var saved = await db.Deliveries.SingleAsync(d => d.Id == delivered.Id);
        Assert.Equal((Time.GetUtcNow(), Time.GetUtcNow()), (saved.OpenedAt!.Value, saved.ClickedAt!.Value));
        var savedContact = await db.Contacts.SingleAsync();
        Assert.Equal(0, savedContact.ConsecutiveHardBounces);
        Assert.Equal(Time.GetUtcNow().AddMinutes(5), savedContact.LastActivityAt);
        Assert.Equal(2, await db.TrackingEvents.CountAsync());
    }

    [Fact]
    public async Task RecordAsync_ShouldIgnoreTheHit_WhenTheDeliveryDoesNotExist()
    {
        Assert.Equal(TrackingOutcome.UnknownDelivery, await Tracking.RecordAsync(TrackingEvent.Open(424242, Time.GetUtcNow())));

        await using var db = Database.CreateContext();
        Assert.Equal(0, await db.TrackingEvents.CountAsync());
    }

    [Fact]
    public async Task RecordAsync_ShouldStoreAndApplyTheHitOnce_WhenItIsReplayed()
    {
        // Issue 9: tracking hits carry an idempotency key like bounce events do.
        var contact = await SeedContactAsync();
        var delivered = await SendAsync(contact);
        var at = Time.GetUtcNow();

        var first = await Tracking.RecordAsync(TrackingEvent.Click(delivered.Id, "https://example.org/a", at));
        var replay = await Tracking.RecordAsync(TrackingEvent.Click(delivered.Id, "https://example.org/a", at));
        var keyed = await Tracking.RecordAsync(TrackingEvent.Open(delivered.Id, at.AddMinutes(1), "request:42"));
        var keyedReplay = await Tracking.RecordAsync(TrackingEvent.Open(delivered.Id, at.AddMinutes(2), "request:42"));

        Assert.Equal(
            [TrackingOutcome.Recorded, TrackingOutcome.Duplicate, TrackingOutcome.Recorded, TrackingOutcome.Duplicate],
            new[] { first, replay, keyed, keyedReplay });
        await using var db = Database.CreateContext();
        Assert.Equal(2, await db.TrackingEvents.CountAsync());
        Assert.Equal(at.AddMinutes(1), (await db.Contacts.SingleAsync()).LastActivityAt);
    }

    [Fact]
    public async Task RecordAsync_ShouldKeepTheStreak_WhenALateOpenIsOlderThanTheLastBounce()
    {
        // Issue 9: an open that happened before the last counted bounce (a late or replayed hit) resets nothing.
        var contact = await SeedContactAsync();
        var opened = await SendAsync(contact);
        var openedAt = Time.GetUtcNow().AddHours(1);
        await Bounces.RecordAsync(Event((await SendAsync(contact)).Id, permanent: true, BounceReason.Blocked));

        await Tracking.RecordAsync(TrackingEvent.Open(opened.Id, openedAt));

        await using var db = Database.CreateContext();
        var saved = await db.Contacts.SingleAsync();
        Assert.Equal(1, saved.ConsecutiveHardBounces);
        Assert.Equal(openedAt, saved.LastActivityAt);
    }
    [Fact]
    public async Task UnsubscribeAsync_ShouldOptOutAndSuppressOnce_WhenTheRecipientAsksTwice()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);

        var first = await Tracking.UnsubscribeAsync(delivery.Id);
        Time.Advance(TimeSpan.FromMinutes(5));
        var second = await Tracking.UnsubscribeAsync(delivery.Id);

        Assert.Equal((UnsubscribeOutcome.Unsubscribed, UnsubscribeOutcome.AlreadyUnsubscribed), (first, second));
        await using var db = Database.CreateContext();
        var saved = await db.Contacts.SingleAsync();
        Assert.Equal((ContactStatus.OptedOut, Time.GetUtcNow().AddMinutes(-5)), (saved.Status, saved.StatusChangedAt));
        var entry = await db.SuppressionEntries.SingleAsync();
        Assert.Equal((contact.Email, SuppressionReason.Unsubscribe, BounceRules.RecipientActor, true), (entry.Email, entry.Reason, entry.CreatedBy, entry.IsActive));
        Assert.Empty(await db.AuditLogEntries.ToListAsync());
        Assert.Equal(0, await db.TrackingEvents.CountAsync());
    }

    [Fact]
    public async Task UnsubscribeAsync_ShouldChangeNothing_WhenTheDeliveryDoesNotExist()
    {
        await SeedContactAsync();

        Assert.Equal(UnsubscribeOutcome.UnknownDelivery, await Tracking.UnsubscribeAsync(424242));

        await using var db = Database.CreateContext();
        Assert.Equal(ContactStatus.Active, (await db.Contacts.SingleAsync()).Status);
        Assert.Equal(0, await db.SuppressionEntries.CountAsync());
    }

    [Fact]
    public async Task UnsubscribeAsync_ShouldUnsubscribeAgain_WhenAnAdminReactivatedTheAddressSince()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);
        await Tracking.UnsubscribeAsync(delivery.Id);
        await Suppression.ReactivateAsync(Admin, contact.Email, "Asked by phone to be mailed again", complaintConfirmed: false);

        var again = await Tracking.UnsubscribeAsync(delivery.Id);

        Assert.Equal(UnsubscribeOutcome.Unsubscribed, again);
        await using var db = Database.CreateContext();
        Assert.Equal(ContactStatus.OptedOut, (await db.Contacts.SingleAsync()).Status);
        Assert.Equal(1, await db.SuppressionEntries.CountAsync(e => e.LiftedAt == null));
        Assert.Equal(2, await db.SuppressionEntries.CountAsync());
    }

    [Fact]
    public async Task UnsubscribeAsync_ShouldMoveTheContactsVersion_WhenOnlyTheSuppressionListChanges()
    {
        // Two unsubscribes at once must conflict on the contact (and run again) rather than race on the
        // one-entry-in-force index, even when the contact's status does not change (a Confirmed Bounce).
        Options.HardBounceCampaignsForConfirmedBounce = 1;
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);
        await Bounces.RecordAsync(Event(delivery.Id, permanent: true, BounceReason.Blocked));
        await using (var db = Database.CreateContext())
        {
            var entry = await db.SuppressionEntries.SingleAsync();
            entry.Lift(Time.GetUtcNow(), "admin@example.org", "Lifted without reactivating", complaintConfirmed: false);
            await db.SaveChangesAsync();
        }

        var before = await ContactVersionAsync();
        var outcome = await Tracking.UnsubscribeAsync(delivery.Id);

        Assert.Equal(UnsubscribeOutcome.Unsubscribed, outcome);
        Assert.Equal(before + 1, await ContactVersionAsync());
        await using var check = Database.CreateContext();
        Assert.Equal(ContactStatus.ConfirmedBounce, (await check.Contacts.SingleAsync()).Status);
        Assert.Equal(SuppressionReason.Unsubscribe, (await check.SuppressionEntries.SingleAsync(e => e.LiftedAt == null)).Reason);
    }

    [Fact]
    public async Task UnsubscribeAsync_ShouldLogIdsButNoAddress_WhenItOptsAContactOut()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);

        await Tracking.UnsubscribeAsync(delivery.Id);

        var line = Assert.Single(Logs.Logs, l => l.Message.Contains("nsubscribe", StringComparison.Ordinal) && l.Level == Microsoft.Extensions.Logging.LogLevel.Information);
        Assert.Contains($"delivery {delivery.Id}", line.Message, StringComparison.Ordinal);
        Assert.Contains($"contact {contact.Id}", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("@", line.Message, StringComparison.Ordinal);
    }

    private async Task<long> ContactVersionAsync()
    {
        await using var db = Database.CreateContext();
        return await db.Contacts.Select(c => EF.Property<long>(c, ConcurrencyTokens.Version)).SingleAsync();
    }
}
