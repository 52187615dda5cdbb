using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;

namespace BounceDashboard.Web.Data.Statistics;

/// <summary>
/// A campaign's deliveries counted by state, and how many were opened and clicked: one row per campaign, kept by
/// database triggers on Deliveries in the same transaction as every insert, state change and first open or click
/// (<see cref="StatisticsTriggers"/>), whatever writes them: EF, a bulk insert, an UPDATE statement. The app only reads
/// it, so the campaign list and page read one row instead of counting 100,000 deliveries. Fold the state counts into
/// the product's figures with <see cref="CampaignCounts.FromStateCounts"/> (<see cref="ToCounts"/>).
/// </summary>
public sealed class CampaignStatistics : IDeliveryStateCounts
{
    private CampaignStatistics()
    {
    }

    public long CampaignId { get; private set; }

    public int Queued { get; private set; }

    public int Sending { get; private set; }

    public int AwaitingRetry { get; private set; }

    public int Delivered { get; private set; }

    public int SoftBounced { get; private set; }

    public int HardBounced { get; private set; }

    public int Skipped { get; private set; }

    /// <summary>Deliveries opened at least once (a click counts as an open).</summary>
    public int Opened { get; private set; }

    /// <summary>Deliveries clicked at least once.</summary>
    public int Clicked { get; private set; }

    /// <summary>The campaign's figures.</summary>
    public CampaignCounts ToCounts() =>
        CampaignCounts.FromStateCounts(this.StateCounts(), uniqueOpens: Opened, uniqueClicks: Clicked);
}

/// <summary>
/// A campaign's deliveries to one recipient domain (the part of the contact's address after '@', lower case), by
/// state: the campaign page's breakdown by recipient domain with each domain's bounce rate. Kept by the same triggers.
/// </summary>
public sealed class CampaignDomainStatistics : IDeliveryStateCounts
{
    public const int DomainMaxLength = BounceDashboard.Domain.Common.EmailAddress.DomainMaxLength;

    private CampaignDomainStatistics()
    {
        Domain = string.Empty;
    }

    public long CampaignId { get; private set; }

    public string Domain { get; private set; }

    public int Queued { get; private set; }

    public int Sending { get; private set; }

    public int AwaitingRetry { get; private set; }

    public int Delivered { get; private set; }

    public int SoftBounced { get; private set; }

    public int HardBounced { get; private set; }

    public int Skipped { get; private set; }
}

/// <summary>
/// What happened to a campaign in one hour (UTC): attempts started, bounces received (matched bounce events of kind
/// Bounce), opens and clicks recorded. Kept by triggers on DeliveryAttempts, BounceEvents and TrackingEvents; the
/// campaign page's chart sums hours into days when the send is long.
/// </summary>
public sealed class CampaignActivity
{
    private CampaignActivity()
    {
    }

    public long CampaignId { get; private set; }

    /// <summary>The start of the hour, UTC.</summary>
    public DateTimeOffset Hour { get; private set; }

    public int Attempts { get; private set; }

    public int Bounces { get; private set; }

    public int Opens { get; private set; }

    public int Clicks { get; private set; }
}

/// <summary>Delivery counts by state, as the statistics tables keep them.</summary>
public interface IDeliveryStateCounts
{
    int Queued { get; }

    int Sending { get; }

    int AwaitingRetry { get; }

    int Delivered { get; }

    int SoftBounced { get; }

    int HardBounced { get; }

    int Skipped { get; }
}

public static class DeliveryStateCountsExtensions
{
    /// <summary>The counts as (state, count) pairs, for <see cref="CampaignCounts.FromStateCounts"/>.</summary>
    public static IEnumerable<KeyValuePair<DeliveryState, int>> StateCounts(this IDeliveryStateCounts counts) =>
    [
        KeyValuePair.Create(DeliveryState.Queued, counts.Queued),
        KeyValuePair.Create(DeliveryState.Sending, counts.Sending),
        KeyValuePair.Create(DeliveryState.AwaitingRetry, counts.AwaitingRetry),
        KeyValuePair.Create(DeliveryState.Delivered, counts.Delivered),
        KeyValuePair.Create(DeliveryState.SoftBounced, counts.SoftBounced),
        KeyValuePair.Create(DeliveryState.HardBounced, counts.HardBounced),
        KeyValuePair.Create(DeliveryState.Skipped, counts.Skipped),
    ];
}
