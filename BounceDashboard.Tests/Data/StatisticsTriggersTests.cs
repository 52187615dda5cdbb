using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>
/// The statistics tables kept by triggers, on a real SQLite database with the real migrations: after every kind of
/// write (EF inserts and updates, set-based UPDATE, delete) they equal what counting the source tables gives.
/// </summary>
public sealed class StatisticsTriggersTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 10, 15, 0, TimeSpan.Zero);

    private SqliteDatabase _database = default!;
    private long _campaignId;
    private readonly List<long> _deliveryIds = [];

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        var campaign = new CampaignBuilder().Build();
        Contact[] contacts =
        [
            Contact.Create("ann@Gmail.com", T0), Contact.Create("bob@gmail.com", T0), Contact.Create("cy@yahoo.fr", T0),
            Contact.Create("di@outlook.com", T0),
        ];
        await _database.SeedAsync([campaign, .. contacts]);
        _campaignId = campaign.Id;
        await using var db = _database.CreateContext();
        var deliveries = contacts.Select(c => Delivery.Create(campaign.Id, c.Id, T0)).ToList();
        db.AddRange(deliveries);
        await db.SaveChangesAsync();
        _deliveryIds.AddRange(deliveries.Select(d => d.Id));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Insert_ShouldCountEveryNewDeliveryAsQueued_ByCampaignAndRecipientDomain()
    {
        await using var db = _database.CreateContext();
        var stats = await db.CampaignStatistics.SingleAsync(s => s.CampaignId == _campaignId);
        Assert.Equal(4, stats.Queued);
        Assert.Equal(0, stats.Delivered + stats.Sending + stats.Opened);

        var domains = await db.CampaignDomainStatistics.Where(s => s.CampaignId == _campaignId)
            .ToDictionaryAsync(s => s.Domain, s => s.Queued);
        Assert.Equal(new Dictionary<string, int> { ["gmail.com"] = 2, ["yahoo.fr"] = 1, ["outlook.com"] = 1 }, domains);
    }

    [Fact]
    public async Task Update_ShouldMoveCountsBetweenStatesAndCountFirstOpensOnce_WhenDeliveriesChangeThroughTheDomain()
    {
        await using (var db = _database.CreateContext())
        {
            var deliveries = await db.Deliveries.OrderBy(d => d.Id).ToListAsync();
            foreach (var delivery in deliveries)
            {
                delivery.BeginAttempt(T0.AddMinutes(1), $"<{delivery.Id}@test>", "192.0.2.7", "relay-a");
            }

            await db.SaveChangesAsync();
            deliveries[0].MarkDelivered(T0.AddMinutes(2), "250 ok");
            deliveries[1].MarkDelivered(T0.AddMinutes(2), "250 ok");
            deliveries[2].MarkHardBounced(T0.AddMinutes(2), "550 5.1.1 unknown", BounceReason.UserUnknown, permanent: true);
            deliveries[0].RecordOpen(T0.AddHours(2));
            deliveries[0].RecordClick(T0.AddHours(2));
            await db.SaveChangesAsync();
            deliveries[0].RecordOpen(T0.AddHours(3));
            await db.SaveChangesAsync();
        }

        await AssertStatisticsMatchTheDeliveriesAsync();
        await using var check = _database.CreateContext();
        var stats = await check.CampaignStatistics.SingleAsync(s => s.CampaignId == _campaignId);
        Assert.Equal((2, 1, 1, 1, 1), (stats.Delivered, stats.HardBounced, stats.Sending, stats.Opened, stats.Clicked));
        var counts = stats.ToCounts();
        Assert.Equal(4, counts.Sent);
        var gmail = await check.CampaignDomainStatistics.SingleAsync(s => s.CampaignId == _campaignId && s.Domain == "gmail.com");
        Assert.Equal(2, gmail.Delivered);
    }

    [Fact]
    public async Task SetBasedUpdateAndDelete_ShouldKeepTheCounts_WhenNoEntityIsTracked()
    {
        await using (var db = _database.CreateContext())
        {
            await db.Deliveries.Where(d => d.Id == _deliveryIds[0] || d.Id == _deliveryIds[1])
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.State, DeliveryState.Sending));
            await db.Deliveries.Where(d => d.Id == _deliveryIds[3]).ExecuteDeleteAsync();
        }

        await AssertStatisticsMatchTheDeliveriesAsync();
    }

    [Fact]
    public async Task Activity_ShouldCountAttemptsBouncesOpensAndClicksPerHour()
    {
        await using (var db = _database.CreateContext())
        {
            var deliveries = await db.Deliveries.OrderBy(d => d.Id).ToListAsync();
            deliveries[0].BeginAttempt(T0, "<a@test>");
            deliveries[1].BeginAttempt(T0.AddMinutes(50), "<b@test>");
            deliveries[2].BeginAttempt(T0.AddHours(1), "<c@test>");
            await db.SaveChangesAsync();
            db.TrackingEvents.AddRange(
                TrackingEvent.Open(deliveries[0].Id, T0.AddMinutes(20)),
                TrackingEvent.Open(deliveries[0].Id, T0.AddMinutes(21)),
                TrackingEvent.Click(deliveries[0].Id, "https://example.com/", T0.AddHours(1)));
            await db.SaveChangesAsync();
        }

        await using var check = _database.CreateContext();
        var hours = await check.CampaignActivity.Where(a => a.CampaignId == _campaignId).OrderBy(a => a.Hour)
            .Select(a => new { a.Hour, a.Attempts, a.Bounces, a.Opens, a.Clicks }).ToListAsync();
        var ten = new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(
            [new { Hour = ten, Attempts = 1, Bounces = 0, Opens = 2, Clicks = 0 }, new { Hour = ten.AddHours(1), Attempts = 2, Bounces = 0, Opens = 0, Clicks = 1 }],
            hours);
    }

    private async Task AssertStatisticsMatchTheDeliveriesAsync()
    {
        await using var db = _database.CreateContext();
        var truth = await db.Deliveries.Where(d => d.CampaignId == _campaignId)
            .GroupBy(d => d.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        var stats = await db.CampaignStatistics.SingleAsync(s => s.CampaignId == _campaignId);
        foreach (var (state, count) in stats.StateCounts())
        {
            Assert.True(truth.GetValueOrDefault(state) == count, $"{state}: statistics say {count}, the deliveries {truth.GetValueOrDefault(state)}");
        }

        Assert.Equal(await db.Deliveries.CountAsync(d => d.CampaignId == _campaignId && d.OpenedAt != null), stats.Opened);
        var byDomain = await db.CampaignDomainStatistics.Where(s => s.CampaignId == _campaignId).ToListAsync();
        Assert.Equal(truth.Values.Sum(), byDomain.Sum(s => s.StateCounts().Sum(c => c.Value)));
    }
}
