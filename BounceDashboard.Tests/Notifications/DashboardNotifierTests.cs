using BounceDashboard.Web.Notifications;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace BounceDashboard.Tests.Notifications;

public sealed class DashboardNotifierTests
{
    private readonly DashboardNotifier _notifier = new(NullLogger<DashboardNotifier>.Instance);

    [Fact]
    public async Task NotifyAsync_ShouldCallTheCampaignsSubscribersOnly_WhenACampaignIsNamed()
    {
        var calls = new List<string>();
        using var first = _notifier.Subscribe(1, () => Record(calls, "one"));
        using var second = _notifier.Subscribe(2, () => Record(calls, "two"));
        using var all = _notifier.Subscribe(null, () => Record(calls, "all"));

        await _notifier.NotifyAsync(1);

        Assert.Equal(["all", "one"], calls.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task NotifyAsync_ShouldCallEverySubscriber_WhenNoCampaignIsNamed()
    {
        var calls = new List<string>();
        using var first = _notifier.Subscribe(1, () => Record(calls, "one"));
        using var second = _notifier.Subscribe(2, () => Record(calls, "two"));

        await _notifier.NotifyAsync(null);

        Assert.Equal(["one", "two"], calls.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Dispose_ShouldStopTheCalls_WhenTheSubscriptionIsDisposed()
    {
        var calls = 0;
        var subscription = _notifier.Subscribe(1, () =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        });
        await _notifier.NotifyAsync(1);

        subscription.Dispose();
        subscription.Dispose();
        await _notifier.NotifyAsync(1);

        Assert.Equal(1, calls);
        Assert.Equal(0, _notifier.SubscriberCount);
    }

    [Fact]
    public async Task NotifyAsync_ShouldReachTheOtherSubscribersAndNotThrow_WhenOneSubscriberThrows()
    {
        var reached = false;
        using var failing = _notifier.Subscribe(1, () => throw new InvalidOperationException("broken page"));
        using var working = _notifier.Subscribe(1, () =>
        {
            reached = true;
            return Task.CompletedTask;
        });

        await _notifier.NotifyAsync(1);

        Assert.True(reached);
    }

    [Fact]
    public async Task SubscribeAndNotify_ShouldNeitherLoseNorLeakSubscriptions_WhenManyThreadsRunAtOnce()
    {
        var calls = 0;
        using var steady = _notifier.Subscribe(7, () =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        });

        // Pages come and go while commands notify: the list is copied under the lock, so neither side sees it change.
        var churn = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                using var subscription = _notifier.Subscribe(7, () => Task.CompletedTask);
            }
        }));
        var notify = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await _notifier.NotifyAsync(7);
            }
        }));
        await Task.WhenAll(churn.Concat(notify));

        Assert.Equal(800, calls);
        Assert.Equal(1, _notifier.SubscriberCount);
    }

    [Fact]
    public async Task NotifyIfPresentAsync_ShouldDoNothing_WhenThereIsNoNotifier()
    {
        DashboardNotifier? none = null;

        await none.NotifyIfPresentAsync(1);
    }

    private static Task Record(List<string> calls, string name)
    {
        lock (calls)
        {
            calls.Add(name);
        }

        return Task.CompletedTask;
    }
}
