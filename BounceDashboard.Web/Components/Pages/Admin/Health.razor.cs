using System.Globalization;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Components.Pages.Admin;

/// <summary>The admin health page: read once, then again every <see cref="RefreshInterval"/> while it is open.</summary>
public sealed partial class Health : IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    internal const string LoadError =
        "The health figures could not be read. The page tries again every 30 seconds; if it keeps failing, check the application's log.";

    private readonly CancellationTokenSource _stop = new();
    private CancellationToken _stopping;
    private HealthSnapshot? _snapshot;
    private string? _error;
    private bool _refreshing;

    [Inject]
    private IHealthQueries Queries { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IOptions<JobsOptions> JobsOptions { get; set; } = default!;

    [Inject]
    private ILogger<Health> Logger { get; set; } = default!;

    private string DashboardPath => JobsOptions.Value.DashboardPath;

    protected override Task OnInitializedAsync()
    {
        // Taken once: the source is disposed with the page, a token taken earlier stays usable.
        _stopping = _stop.Token;
        return LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _ = RefreshLoopAsync();
        }
    }

    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(RefreshInterval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping))
            {
                await InvokeAsync(async () =>
                {
                    await LoadAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
    }

    private async Task RefreshNowAsync()
    {
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _refreshing = true;
        try
        {
            _snapshot = await Queries.GetAsync(_stopping);
            _error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Reading the health figures failed");
            _error = LoadError;
        }
        finally
        {
            _refreshing = false;
        }
    }

    private static string Count(long value) => value.ToString("N0", DisplayCulture.Value);

    private static string Count(long? value) => value is { } v ? Count(v) : "–";

    /// <summary>Bytes in the largest unit that keeps the number at or above 1 (1024-based, as file sizes are shown).</summary>
    internal static string Bytes(long? bytes, CultureInfo culture)
    {
        if (bytes is not { } value)
        {
            return "unknown";
        }

        string[] units = ["bytes", "KB", "MB", "GB", "TB"];
        double size = value;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return unit == 0 ? $"{value.ToString("N0", culture)} bytes" : $"{size.ToString("N1", culture)} {units[unit]}";
    }

    private static string JobLabel(string id) => id switch
    {
        JobIds.DispatchDeliveries => "Send and retry due deliveries",
        JobIds.PurgeRawContent => "Purge old raw messages",
        JobsHealthReader.SendCampaignId => "Start a campaign (on demand)",
        _ when id.StartsWith(JobIds.PollMailbox(string.Empty), StringComparison.Ordinal) => $"Poll mailbox {id[JobIds.PollMailbox(string.Empty).Length..]}",
        _ => id,
    };

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
