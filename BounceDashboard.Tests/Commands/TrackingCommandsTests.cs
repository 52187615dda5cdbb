using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Commands;

public class TrackingCommandsTests : CommandScenario
{
    [Fact]
    public async Task RecordAsync_ShouldSetFirstClickAndResetTheContactsCounters_WhenTheContactIsActive()
    {
        var contact = await SeedContactAsync();
        await Bounces.RecordAsync(Event((await SendAsync(contact)).Id, permanent: true, hard: false, BounceReason.Blocked));
        var delivered = await SendAsync(contact);

        var recorded = await Tracking.RecordAsync(TrackingEvent.Click(delivered.Id, "https://example.org/a", Time.GetUtcNow()));
        await Tracking.RecordAsync(TrackingEvent.Click(delivered.Id, "https://example.org/b", Time.GetUtcNow().AddMinutes(5)));

        Assert.True(recorded);
        await using var db = Database.CreateContext();
        var saved = await db.Deliveries.SingleAsync(d => d.Id == delivered.Id);
        Assert.Equal((Time.GetUtcNow(), Time.GetUtcNow()), (saved.OpenedAt!.Value, saved.ClickedAt!.Value));
        var savedContact = await db.Contacts.SingleAsync();
        Assert.Equal(0, savedContact.ConsecutiveHardBounces);
        Assert.Equal(Time.GetUtcNow().AddMinutes(5), savedContact.LastActivityAt);
        Assert.Equal(2, await db.TrackingEvents.CountAsync());
    }

    [Fact]
    public async Task RecordAsync_ShouldReturnFalse_WhenTheDeliveryDoesNotExist()
    {
        Assert.False(await Tracking.RecordAsync(TrackingEvent.Open(424242, Time.GetUtcNow())));

        await using var db = Database.CreateContext();
        Assert.Equal(0, await db.TrackingEvents.CountAsync());
    }
}
