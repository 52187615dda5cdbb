using BounceDashboard.Domain.Bounces;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data.Configurations;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Data;

public class BounceEventOriginInterceptorTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<long> SeedDeliveryAsync(string sendingIp)
    {
        var campaign = new CampaignBuilder().From("news@mail.shop.example").Build();
        var contact = new ContactBuilder().Build();
        await _database.SeedAsync(campaign, contact);
        var delivery = new DeliveryBuilder(campaign.Id, contact.Id).HardBounced(sendingIp: sendingIp).Build();
        await _database.SeedAsync(delivery);
        return delivery.Id;
    }

    private async Task<(long? CampaignId, string? Domain, string? Ip)> OriginOfAsync(long bounceEventId)
    {
        await using var db = _database.CreateContext();
        var origin = await db.BounceEvents
            .Where(e => e.Id == bounceEventId)
            .Select(e => new
            {
                CampaignId = EF.Property<long?>(e, BounceEventColumns.CampaignId),
                Domain = EF.Property<string?>(e, BounceEventColumns.SendingDomain),
                Ip = EF.Property<string?>(e, BounceEventColumns.SendingIp),
            })
            .SingleAsync();
        return (origin.CampaignId, origin.Domain, origin.Ip);
    }

    [Fact]
    public async Task SavingChanges_ShouldCopyCampaignDomainAndIp_WhenAMatchedEventIsAdded()
    {
        var deliveryId = await SeedDeliveryAsync("203.0.113.25");
        var bounce = new BounceEventBuilder().ForDelivery(deliveryId).Build();

        await _database.SeedAsync(bounce);

        var (campaignId, domain, ip) = await OriginOfAsync(bounce.Id);
        Assert.NotNull(campaignId);
        Assert.Equal("mail.shop.example", domain);
        Assert.Equal("203.0.113.25", ip);
    }

    [Fact]
    public async Task SavingChanges_ShouldLeaveTheOriginEmpty_WhenTheEventIsUnmatched()
    {
        var bounce = new BounceEventBuilder().ForDelivery(null).Build();

        await _database.SeedAsync(bounce);

        Assert.Equal((null, null, null), await OriginOfAsync(bounce.Id));
    }

    [Fact]
    public async Task SavingChanges_ShouldFillTheOrigin_WhenAnUnmatchedEventIsMatchedLater()
    {
        var deliveryId = await SeedDeliveryAsync("203.0.113.26");
        var bounce = new BounceEventBuilder().ForDelivery(null).Build();
        await _database.SeedAsync(bounce);

        await using (var db = _database.CreateContext())
        {
            var tracked = await db.BounceEvents.SingleAsync(e => e.Id == bounce.Id);
            tracked.MatchTo(deliveryId);
            await db.SaveChangesAsync();
        }

        var (_, domain, ip) = await OriginOfAsync(bounce.Id);
        Assert.Equal("mail.shop.example", domain);
        Assert.Equal("203.0.113.26", ip);
    }

    [Fact]
    public async Task SavingChanges_ShouldUseTheTrackedDelivery_WhenItsIpChangedInTheSameUnitOfWork()
    {
        var campaign = new CampaignBuilder().From("news@mail.shop.example").Build();
        var contact = new ContactBuilder().Build();
        await _database.SeedAsync(campaign, contact);
        var queued = new DeliveryBuilder(campaign.Id, contact.Id).Build();
        await _database.SeedAsync(queued);

        await using var db = _database.CreateContext();
        var delivery = await db.Deliveries.SingleAsync();
        delivery.BeginAttempt(TestData.Now, "<m1@mail.shop.example>", "203.0.113.99");
        var bounce = new BounceEventBuilder().ForDelivery(delivery.Id).Build();
        db.BounceEvents.Add(bounce);
        db.SaveChanges();

        var (_, _, ip) = await OriginOfAsync(bounce.Id);
        Assert.Equal("203.0.113.99", ip);
    }

    [Fact]
    public async Task SavingChanges_ShouldTakeTheIpOfTheAttemptTheReportConcerns_WhenARetryWentThroughAnotherRelay()
    {
        // Issue 9: the sending IP copied onto an event is its attempt's, not the delivery's latest.
        var campaign = new CampaignBuilder().From("news@mail.shop.example").Build();
        var contact = new ContactBuilder().Build();
        await _database.SeedAsync(campaign, contact);
        var delivery = new DeliveryBuilder(campaign.Id, contact.Id).Build();
        delivery.BeginAttempt(TestData.Now, "<m1@mail.shop.example>", "203.0.113.1");
        delivery.ScheduleRetry(TestData.Now.AddMinutes(1), TestData.Now.AddHours(4), "451 4.2.2 mailbox full", BounceReason.MailboxFull);
        delivery.BeginAttempt(TestData.Now.AddHours(4), "<m1@mail.shop.example>", "198.51.100.2");
        await _database.SeedAsync(delivery);
        var firstAttempt = delivery.Attempts.First();

        var named = new BounceEventBuilder().ForDelivery(delivery.Id).WithKey("named").ReceivedAt(TestData.Now.AddHours(5)).Build();
        named.AttributeToAttempt(firstAttempt.Id);
        var byTime = new BounceEventBuilder().ForDelivery(delivery.Id).WithKey("by-time").ReceivedAt(TestData.Now.AddHours(1)).Build();
        var latest = new BounceEventBuilder().ForDelivery(delivery.Id).WithKey("latest").ReceivedAt(TestData.Now.AddHours(6)).Build();
        await _database.SeedAsync(named, byTime, latest);

        Assert.Equal("203.0.113.1", (await OriginOfAsync(named.Id)).Ip);
        Assert.Equal("203.0.113.1", (await OriginOfAsync(byTime.Id)).Ip);
        Assert.Equal(firstAttempt.Id, byTime.DeliveryAttemptId);
        Assert.Equal("198.51.100.2", (await OriginOfAsync(latest.Id)).Ip);
        Assert.Equal(delivery.Attempts.Last().Id, latest.DeliveryAttemptId);
    }
}
