namespace BounceDashboard.Domain.Deliveries;

/// <summary>The campaign count a delivery falls in; <see cref="DeliveryBuckets"/> is the one mapping from states.</summary>
public enum DeliveryBucket
{
    /// <summary>Not attempted: queued or skipped. Not part of "sent".</summary>
    NotSent = 0,
    /// <summary>Attempted, awaiting a result or a retry.</summary>
    InProgress = 1,
    Delivered = 2,
    SoftBounced = 3,
    HardBounced = 4,
}

/// <summary>
/// The single mapping from <see cref="DeliveryState"/> to campaign counts. Reports, exports and the API count
/// through it: SQL queries filter with <see cref="StatesIn"/> (e.g. <c>states.Contains(d.State)</c>) or group by
/// state and fold with <see cref="CampaignCounts.FromStateCounts"/>.
/// Invariant: Sent = InProgress + Delivered + SoftBounced + HardBounced.
/// </summary>
public static class DeliveryBuckets
{
    private static readonly Dictionary<DeliveryBucket, DeliveryState[]> s_states =
        Enum.GetValues<DeliveryState>()
            .GroupBy(BucketOf)
            .ToDictionary(g => g.Key, g => g.ToArray());

    private static readonly DeliveryState[] s_sent =
        Enum.GetValues<DeliveryState>().Where(s => BucketOf(s) != DeliveryBucket.NotSent).ToArray();

    /// <summary>The bucket of a state. Exhaustive: a new state must be placed here before it compiles into counts.</summary>
    public static DeliveryBucket BucketOf(DeliveryState state) => state switch
    {
        DeliveryState.Queued or DeliveryState.Skipped => DeliveryBucket.NotSent,
        DeliveryState.Sending or DeliveryState.AwaitingRetry => DeliveryBucket.InProgress,
        DeliveryState.Delivered => DeliveryBucket.Delivered,
        DeliveryState.SoftBounced => DeliveryBucket.SoftBounced,
        DeliveryState.HardBounced => DeliveryBucket.HardBounced,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown delivery state."),
    };

    /// <summary>The states in a bucket (never empty for a defined bucket).</summary>
    public static IReadOnlyList<DeliveryState> StatesIn(DeliveryBucket bucket) =>
        s_states.TryGetValue(bucket, out var states) ? states : [];

    /// <summary>The states counted as "sent (attempted)": every state outside <see cref="DeliveryBucket.NotSent"/>.</summary>
    public static IReadOnlyList<DeliveryState> SentStates => s_sent;
}

/// <summary>
/// A campaign's counts, derived from its deliveries only. Unique opens and clicks count deliveries with a first
/// open or click (a click implies an open, see <see cref="Delivery.RecordClick"/>).
/// </summary>
public sealed record CampaignCounts(
    int Sent,
    int Delivered,
    int InProgress,
    int SoftBounced,
    int HardBounced,
    int UniqueOpens,
    int UniqueClicks)
{
    public static CampaignCounts Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Folds per-state counts (as a SQL GROUP BY State returns them) through <see cref="DeliveryBuckets"/>.</summary>
    public static CampaignCounts FromStateCounts(
        IEnumerable<KeyValuePair<DeliveryState, int>> countsByState,
        int uniqueOpens,
        int uniqueClicks)
    {
        ArgumentNullException.ThrowIfNull(countsByState);
        int inProgress = 0, delivered = 0, soft = 0, hard = 0;
        foreach (var (state, count) in countsByState)
        {
            switch (DeliveryBuckets.BucketOf(state))
            {
                case DeliveryBucket.InProgress:
                    inProgress += count;
                    break;
                case DeliveryBucket.Delivered:
                    delivered += count;
                    break;
                case DeliveryBucket.SoftBounced:
                    soft += count;
                    break;
                case DeliveryBucket.HardBounced:
                    hard += count;
                    break;
                case DeliveryBucket.NotSent:
                    break;
            }
        }

        return new CampaignCounts(inProgress + delivered + soft + hard, delivered, inProgress, soft, hard, uniqueOpens, uniqueClicks);
    }

    /// <summary>Counts loaded deliveries (tests, small in-memory sets); the SQL side uses <see cref="FromStateCounts"/>.</summary>
    public static CampaignCounts FromDeliveries(IEnumerable<Delivery> deliveries)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        var list = deliveries as IReadOnlyCollection<Delivery> ?? deliveries.ToList();
        var byState = list.GroupBy(d => d.State).Select(g => KeyValuePair.Create(g.Key, g.Count()));
        return FromStateCounts(byState, list.Count(d => d.OpenedAt is not null), list.Count(d => d.ClickedAt is not null));
    }
}
