using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Data.Seeding;

/// <summary>
/// The demo generator writes through bulk inserts; the statistics triggers must count those rows like any other: every
/// campaign's statistics equal the counts of its deliveries, attempts, bounces and tracking events.
/// </summary>
public class DemoStatisticsTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task Statistics_ShouldEqualTheCountedRows_ForEveryDemoCampaign()
    {
        await using var db = fixture.Database.CreateContext();
        var truth = await db.Deliveries.GroupBy(d => new { d.CampaignId, d.State })
            .Select(g => new { g.Key.CampaignId, g.Key.State, Count = g.Count() }).ToListAsync();
        var statistics = await db.CampaignStatistics.ToDictionaryAsync(s => s.CampaignId);
        Assert.NotEmpty(statistics);
        foreach (var campaign in truth.GroupBy(t => t.CampaignId))
        {
            var counted = statistics[campaign.Key].StateCounts().Where(c => c.Value != 0).OrderBy(c => c.Key).ToList();
            var expected = campaign.Select(t => KeyValuePair.Create(t.State, t.Count)).OrderBy(c => c.Key).ToList();
            Assert.Equal(expected, counted);
            Assert.Equal(await db.Deliveries.CountAsync(d => d.CampaignId == campaign.Key && d.OpenedAt != null), statistics[campaign.Key].Opened);
        }

        var domains = await db.CampaignDomainStatistics.ToListAsync();
        Assert.Equal(await db.Deliveries.CountAsync(), domains.Sum(d => d.StateCounts().Sum(c => c.Value)));

        var activity = await db.CampaignActivity.ToListAsync();
        Assert.Equal(await db.DeliveryAttempts.CountAsync(), activity.Sum(a => a.Attempts));
        Assert.Equal(await db.TrackingEvents.CountAsync(t => t.Kind == TrackingEventKind.Open), activity.Sum(a => a.Opens));
        Assert.Equal(await db.TrackingEvents.CountAsync(t => t.Kind == TrackingEventKind.Click), activity.Sum(a => a.Clicks));
        var matchedBounces = await db.BounceEvents.CountAsync(e =>
            e.Kind == MessageKind.Bounce && EF.Property<long?>(e, Web.Data.Configurations.BounceEventColumns.CampaignId) != null);
        Assert.Equal(matchedBounces, activity.Sum(a => a.Bounces));
    }

    [Fact]
    public async Task AudienceStatistics_ShouldEqualTheCountedMembers_ForEveryDemoAudience()
    {
        await using var db = fixture.Database.CreateContext();
        var expected = await AudienceStatisticsTriggersTests.Count(db);
        var kept = (await db.AudienceStatistics.Where(s => s.Members != 0).ToListAsync())
            .Select(s => (s.AudienceId, s.Status, s.Suppressed, s.Members))
            .Order()
            .ToList();
        Assert.NotEmpty(expected);
        Assert.Contains(expected, e => e.Suppressed);
        Assert.Equal(expected, kept);
    }
}
