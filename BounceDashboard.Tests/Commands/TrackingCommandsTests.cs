using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
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
}
