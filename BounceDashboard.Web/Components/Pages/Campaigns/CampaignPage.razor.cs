using System.Security.Claims;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Notifications;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace BounceDashboard.Web.Components.Pages.Campaigns;

/// <summary>
/// One campaign's response: header, figures, chart, breakdowns and recipients. While the campaign is in progress or
/// paused it subscribes to <see cref="DashboardNotifier"/> after the first render and reloads on a notification, at
/// most once per <see cref="RefreshInterval"/> (eShop OrdersRefreshOnStatusChange.razor).
/// </summary>
public sealed partial class CampaignPage : IDisposable
{
    /// <summary>The shortest time between two reloads caused by notifications.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _disposed = new();
    private CampaignResponse? _response;
    private bool _notFound;
    private string? _error;
    private bool _busy;
    private IDisposable? _subscription;
    private DateTimeOffset _lastLoad;
    private int _refreshPending;
    private List<ChartSeries<double>> _series = [];
    private string[] _labels = [];

    [Parameter]
    public long Id { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private ICampaignResponseQueries Queries { get; set; } = default!;

    [Inject]
    private CampaignCommands Commands { get; set; } = default!;

    [Inject]
    private DashboardNotifier Notifier { get; set; } = default!;

    [Inject]
    private BrowserTimeZone TimeZone { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private string Title => _response?.Campaign.Name ?? (_notFound ? "Campaign not found" : "Campaign");

    protected override async Task OnParametersSetAsync()
    {
        if (_response?.Campaign.Id != Id)
        {
            _response = null;
            _notFound = false;
            _subscription?.Dispose();
            _subscription = null;
        }

        await LoadAsync();
    }

    protected override void OnInitialized() => TimeZone.Changed += OnZoneChanged;

    protected override void OnAfterRender(bool firstRender)
    {
        // Subscribe once the page is interactive and live; stop listening when the campaign is no longer in progress.
        var live = _response?.Campaign.IsLive == true;
        if (live && _subscription is null)
        {
            _subscription = Notifier.Subscribe(Id, OnNotifiedAsync);
        }
        else if (!live && _subscription is not null)
        {
            _subscription.Dispose();
            _subscription = null;
        }
    }

    /// <summary>Runs on the committing thread: only starts a refresh (once, however many notifications come meanwhile).</summary>
    private Task OnNotifiedAsync()
    {
        if (Interlocked.Exchange(ref _refreshPending, 1) == 0)
        {
            _ = RefreshSoonAsync();
        }

        return Task.CompletedTask;
    }

    private async Task RefreshSoonAsync()
    {
        try
        {
            var wait = _lastLoad + RefreshInterval - Time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, Time, _disposed.Token);
            }

            // Cleared before loading, so an event committed during the load brings one more refresh.
            Volatile.Write(ref _refreshPending, 0);
            await InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            });
        }
        catch (Exception) when (_disposed.IsCancellationRequested)
        {
            // The page went away while waiting or loading.
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    private async Task LoadAsync()
    {
        _lastLoad = Time.GetUtcNow();
        try
        {
            var response = await Queries.GetAsync(Id, _disposed.Token);
            _notFound = response is null;
            _response = response;
            _error = null;
            BuildChart();
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The page went away.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The figures already shown stay; the alert says they could not be brought up to date.
            _error = _response is null
                ? "The campaign could not be loaded. Reload the page to try again."
                : "The figures could not be refreshed; they show the last values read. Reload the page to try again.";
        }
    }

    private void BuildChart()
    {
        var timeline = _response?.Timeline ?? CampaignTimeline.Empty;
        var points = timeline.Points;
        _series =
        [
            new ChartSeries<double> { Name = "Sent", Data = points.Select(p => (double)p.Sent).ToArray() },
            new ChartSeries<double> { Name = "Bounced", Data = points.Select(p => (double)p.Bounced).ToArray() },
            new ChartSeries<double> { Name = "Opened", Data = points.Select(p => (double)p.Opened).ToArray() },
            new ChartSeries<double> { Name = "Clicked", Data = points.Select(p => (double)p.Clicked).ToArray() },
        ];
        _labels = ChartLabels(timeline, TimeZone);
    }

    /// <summary>
    /// Labels in the browser's time zone; with many points only every n-th is written (every 6 hours, every 7 days), so
    /// they do not overlap on a tablet.
    /// </summary>
    public static string[] ChartLabels(CampaignTimeline timeline, BrowserTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(zone);
        var hourly = timeline.Bucket == TimelineBucket.Hour;
        var step = hourly ? (timeline.Points.Count > 24 ? 6 : 1) : (timeline.Points.Count > 14 ? 7 : 1);
        return timeline.Points
            .Select((p, i) => i % step != 0 ? string.Empty : zone.Format(p.Start, hourly ? "g" : "d"))
            .ToArray();
    }

    private void OnZoneChanged() => _ = InvokeAsync(() =>
    {
        BuildChart();
        StateHasChanged();
    });

    private async Task PauseAsync()
    {
        var dialog = await Dialogs.ShowAsync<PauseCampaignDialog>(
            "Pause sending",
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is null || result.Canceled || result.Data is not string reason)
        {
            return;
        }

        await ChangeStateAsync(user => Commands.PauseAsync(Id, reason, user), "Sending paused.");
    }

    private Task ResumeAsync() =>
        ChangeStateAsync(user => Commands.ResumeAsync(Id, "Resumed on the campaign page", user), "Sending resumed.");

    private async Task ChangeStateAsync(Func<ClaimsPrincipal, Task<CampaignState>> change, string done)
    {
        _busy = true;
        try
        {
            var user = AuthenticationState is null ? new ClaimsPrincipal() : (await AuthenticationState).User;
            await change(user);
            Snackbar.Add(done, Severity.Success);
        }
        catch (DomainException ex)
        {
            // The domain's messages are written for people (an illegal transition names both states; a refusal says who may).
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Snackbar.Add("The campaign could not be changed. Try again in a moment.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }

        await LoadAsync();
    }

    private static string Count(int value) => value.ToString("N0", DisplayCulture.Value);

    private static string Rate(double? value) => value is { } v ? v.ToString("P1", DisplayCulture.Value) : "–";

    private static string FromText(CampaignHeader campaign) =>
        string.IsNullOrWhiteSpace(campaign.FromName) ? campaign.FromAddress : $"{campaign.FromName} <{campaign.FromAddress}>";

    private sealed record Card(string Key, string Title, string Value, string? Note);

    private static IEnumerable<Card> Cards(CampaignCounts counts)
    {
        yield return new Card("sent", "Sent", Count(counts.Sent), null);
        yield return new Card("delivered", "Delivered", Count(counts.Delivered), $"{Rate(counts.DeliveredRate())} of sent");
        yield return new Card("in-progress", "In progress", Count(counts.InProgress), null);
        yield return new Card("bounce-rate", "Bounce rate", Rate(counts.BounceRate()), "soft + hard, of sent");
        yield return new Card("soft-bounced", "Soft bounced", Count(counts.SoftBounced), null);
        yield return new Card("hard-bounced", "Hard bounced", Count(counts.HardBounced), null);
        yield return new Card("opens", "Unique opens", Count(counts.UniqueOpens), $"{Rate(counts.OpenRate())} of delivered");
        yield return new Card("clicks", "Unique clicks", Count(counts.UniqueClicks), $"{Rate(counts.ClickRate())} of delivered");
    }

    public void Dispose()
    {
        TimeZone.Changed -= OnZoneChanged;
        _subscription?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
