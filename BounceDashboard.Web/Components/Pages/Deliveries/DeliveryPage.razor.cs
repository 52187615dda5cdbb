using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BounceDashboard.Web.Components.Pages.Deliveries;

/// <summary>One delivery: who it went to, and every attempt, bounce, open and click in time order.</summary>
public sealed partial class DeliveryPage
{
    private const string LoadError =
        "This delivery could not be loaded. Reload the page in a moment; if it keeps failing, tell your administrator.";

    private DeliveryTimeline? _timeline;
    private bool _loaded;
    private string? _error;

    [Parameter]
    public long Id { get; set; }

    [Inject]
    private IDeliveryQueries Queries { get; set; } = default!;

    [Inject]
    private ILogger<DeliveryPage> Logger { get; set; } = default!;

    private string Title => _timeline is { } timeline ? $"Delivery to {timeline.Header.Address}" : "Delivery";

    protected override async Task OnParametersSetAsync()
    {
        _loaded = false;
        _error = null;
        _timeline = null;
        try
        {
            _timeline = await Queries.TimelineAsync(Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading delivery {DeliveryId} failed", Id);
            _error = LoadError;
        }

        _loaded = true;
    }

    /// <summary>Only web addresses become links; anything else (javascript:, data:, mailto:) stays text.</summary>
    internal static bool IsWebLink(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static Color AttemptColor(DeliveryAttemptOutcome outcome) => outcome switch
    {
        DeliveryAttemptOutcome.Accepted => Color.Success,
        DeliveryAttemptOutcome.TransientFailure => Color.Warning,
        DeliveryAttemptOutcome.PermanentFailure => Color.Error,
        _ => Color.Default,
    };

    private static string OutcomeLabel(DeliveryAttemptOutcome outcome) => outcome switch
    {
        DeliveryAttemptOutcome.Pending => "waiting for the relay",
        DeliveryAttemptOutcome.Accepted => "accepted by the relay",
        DeliveryAttemptOutcome.TransientFailure => "temporary failure",
        DeliveryAttemptOutcome.PermanentFailure => "permanent failure",
        _ => outcome.ToString(),
    };

    private static string SourceLabel(BounceSource source) => source switch
    {
        BounceSource.Mailbox => "from the bounce mailbox",
        BounceSource.SmtpResponse => "SMTP reply at send time",
        BounceSource.Webhook => "from a webhook",
        BounceSource.Api => "posted to the API",
        _ => source.ToString(),
    };
}
