namespace BounceDashboard.Web.Notifications;

/// <summary>
/// Tells open pages that new events were committed, so they reload instead of polling the database (eShop's
/// OrderStatusNotificationService). A singleton: commands call <see cref="NotifyAsync"/> after their commit; a page
/// subscribes for one campaign (or for every campaign with null) and disposes the subscription when it goes away.
/// </summary>
/// <remarks>
/// A notification for a campaign reaches that campaign's subscribers and the subscribers to every campaign; a
/// notification without a campaign (a committer that does not know it, such as a tracking hit or an ingested report)
/// reaches everyone. Callbacks must return quickly (start their reload and return): the committer awaits them.
/// A callback that throws is logged and never fails the command that notified.
/// </remarks>
public sealed class DashboardNotifier(ILogger<DashboardNotifier> logger)
{
    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscriptions = [];

    /// <summary>How many subscriptions are open (for tests and health).</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>Calls <paramref name="callback"/> on every notification for <paramref name="campaignId"/> (null: every campaign) until disposed.</summary>
    public IDisposable Subscribe(long? campaignId, Func<Task> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var subscription = new Subscription(this, campaignId, callback);
        lock (_lock)
        {
            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    /// <summary>Something about <paramref name="campaignId"/> (null: about some campaign, unknown) was committed.</summary>
    public async Task NotifyAsync(long? campaignId)
    {
        Subscription[] targets;
        lock (_lock)
        {
            targets = _subscriptions
                .Where(s => campaignId is null || s.CampaignId is null || s.CampaignId == campaignId)
                .ToArray();
        }

        if (targets.Length == 0)
        {
            return;
        }

        await Task.WhenAll(targets.Select(s => InvokeAsync(s, campaignId)));
    }

    private async Task InvokeAsync(Subscription subscription, long? campaignId)
    {
        try
        {
            await subscription.Callback();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A dashboard subscriber failed on a notification for campaign {CampaignId}", campaignId);
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private sealed class Subscription(DashboardNotifier owner, long? campaignId, Func<Task> callback) : IDisposable
    {
        public long? CampaignId { get; } = campaignId;

        public Func<Task> Callback { get; } = callback;

        public void Dispose() => owner.Unsubscribe(this);
    }
}

public static class DashboardNotifierExtensions
{
    /// <summary>Notifies when a notifier is there (services built without the UI, such as the command line, have none).</summary>
    public static Task NotifyIfPresentAsync(this DashboardNotifier? notifier, long? campaignId) =>
        notifier?.NotifyAsync(campaignId) ?? Task.CompletedTask;
}
