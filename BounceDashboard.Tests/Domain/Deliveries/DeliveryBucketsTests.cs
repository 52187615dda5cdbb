using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Deliveries;

public class DeliveryBucketsTests
{
    [Theory]
    [InlineData(DeliveryState.Queued, DeliveryBucket.NotSent)]
    [InlineData(DeliveryState.Skipped, DeliveryBucket.NotSent)]
    [InlineData(DeliveryState.Sending, DeliveryBucket.InProgress)]
    [InlineData(DeliveryState.AwaitingRetry, DeliveryBucket.InProgress)]
    [InlineData(DeliveryState.Delivered, DeliveryBucket.Delivered)]
    [InlineData(DeliveryState.SoftBounced, DeliveryBucket.SoftBounced)]
    [InlineData(DeliveryState.HardBounced, DeliveryBucket.HardBounced)]
    public void BucketOf_ShouldPlaceEachState_WhenCounting(DeliveryState state, DeliveryBucket expected)
    {
        Assert.Equal(expected, DeliveryBuckets.BucketOf(state));
        Assert.Contains(state, DeliveryBuckets.StatesIn(expected));
        Assert.Equal(expected != DeliveryBucket.NotSent, DeliveryBuckets.SentStates.Contains(state));
    }

    [Fact]
    public void StatesIn_ShouldCoverEveryStateExactlyOnce_WhenAllBucketsAreTaken()
    {
        var all = Enum.GetValues<DeliveryBucket>().SelectMany(DeliveryBuckets.StatesIn).ToList();

        Assert.Equal(Enum.GetValues<DeliveryState>().Order(), all.Order());
    }

    [Fact]
    public void FromDeliveries_ShouldDeriveEveryCount_WhenACampaignHasMixedOutcomes()
    {
        var scenario = new RulesScenario();
        var delivered = scenario.DeliveredCampaign();
        scenario.Track(delivered, TrackingEventKind.Open);
        var clicked = scenario.DeliveredCampaign();
        scenario.Track(clicked, TrackingEventKind.Click);
        scenario.Track(clicked, TrackingEventKind.Click);
        var retrying = scenario.Send();
        scenario.Fail(retrying, permanent: false);
        var sending = scenario.Send();
        var soft = scenario.SoftBouncedCampaign();
        var hard = scenario.HardBouncedCampaign();
        var queued = Delivery.Create(999, scenario.Contact.Id, scenario.Time.GetUtcNow());

        var counts = CampaignCounts.FromDeliveries([delivered, clicked, retrying, sending, soft, hard, queued]);

        Assert.Equal(new CampaignCounts(Sent: 6, Delivered: 2, InProgress: 2, SoftBounced: 1, HardBounced: 1, UniqueOpens: 2, UniqueClicks: 1), counts);
        Assert.Equal(counts.Sent, counts.Delivered + counts.InProgress + counts.SoftBounced + counts.HardBounced);
    }

    [Fact]
    public void FromStateCounts_ShouldFoldGroupedRows_WhenTheSqlSideGroupsByState()
    {
        var rows = new Dictionary<DeliveryState, int>
        {
            [DeliveryState.Queued] = 5,
            [DeliveryState.Skipped] = 2,
            [DeliveryState.Sending] = 1,
            [DeliveryState.AwaitingRetry] = 3,
            [DeliveryState.Delivered] = 90,
            [DeliveryState.SoftBounced] = 4,
            [DeliveryState.HardBounced] = 6,
        };

        var counts = CampaignCounts.FromStateCounts(rows, uniqueOpens: 40, uniqueClicks: 10);

        Assert.Equal(new CampaignCounts(104, 90, 4, 4, 6, 40, 10), counts);
    }
}
