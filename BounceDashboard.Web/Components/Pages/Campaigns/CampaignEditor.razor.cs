using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Common;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace BounceDashboard.Web.Components.Pages.Campaigns;

/// <summary>
/// Creates and edits a Draft campaign: fields with per-field validation (the rules of <see cref="CampaignDraft"/>),
/// HTML and text previews, one or more audiences with the distinct count they reach, a test send, send now (after a
/// confirmation naming the audiences and the distinct sendable count) and
/// scheduling. Any other state is shown read-only. Reads through <see cref="ICampaignEditorQueries"/>; every change goes
/// through <see cref="CampaignDraftCommands"/>, which checks the user's role.
/// </summary>
public partial class CampaignEditor
{
    private MudForm? _form;
    private EditorModel? _model;
    private IReadOnlyList<AudienceOption> _audiences = [];
    private CampaignReach? _reach;
    private bool _reachLoading;
    private string? _reachError;
    private int _reachVersion;
    private long? _campaignId;
    private long? _loadedFor;
    private CampaignState _state = CampaignState.Draft;
    private DateTimeOffset? _scheduledFor;
    private bool _notFound;
    private string? _loadError;
    private bool _busy;
    private string? _testRecipients;
    private List<string> _testErrors = [];
    private DateTime? _scheduleDate;
    private TimeSpan? _scheduleTime;
    private string? _previewHtml;
    private string _previewGenerated = string.Empty;

    [Parameter]
    public long? Id { get; set; }

    [Inject]
    private ICampaignEditorQueries Queries { get; set; } = null!;

    [Inject]
    private CampaignDraftCommands Commands { get; set; } = null!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    [Inject]
    private BrowserTimeZone TimeZone { get; set; } = null!;

    [Inject]
    private ILogger<CampaignEditor> Logger { get; set; } = null!;

    private bool ReadOnly => _state != CampaignState.Draft;

    private string Title => _campaignId is null ? "New campaign" : "Edit campaign";

    private string Heading => _campaignId is null ? "New campaign" : _model?.Name is { Length: > 0 } name && ReadOnly ? name : "Edit campaign";

    private string StateText => _state switch
    {
        CampaignState.InProgress => "in progress",
        CampaignState.Sent => "sent",
        CampaignState.Paused => "paused",
        _ => _state.ToString().ToLowerInvariant(),
    };

    private string SendingDomainText =>
        EmailAddress.TryNormalize(_model?.FromAddress, out var address)
            ? $"Sending domain: {EmailAddress.DomainOf(address)}"
            : "Its domain is the sending domain reports group by.";

    private string AudienceHelp => _model is { AudienceIds.Count: > 0 }
        ? string.Empty
        : "Choose one or more: needed to send or schedule; a draft can be saved without.";

    /// <summary>The text part as it will be sent: the author's, or the one generated from the HTML.</summary>
    private string PreviewText
    {
        get
        {
            if (_model is null)
            {
                return string.Empty;
            }

            if (!string.IsNullOrWhiteSpace(_model.TextBody))
            {
                return _model.TextBody;
            }

            // Generated once per HTML change, not on every render.
            if (!ReferenceEquals(_previewHtml, _model.HtmlBody))
            {
                _previewHtml = _model.HtmlBody;
                _previewGenerated = PlainTextPart.FromHtml(_model.HtmlBody);
            }

            return _previewGenerated;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_model is not null && _loadedFor == Id)
        {
            return;
        }

        _loadedFor = Id;
        _model = null;
        _notFound = false;
        _loadError = null;
        try
        {
            _audiences = await Queries.ListAudiencesAsync();
            if (Id is not { } id)
            {
                _campaignId = null;
                _state = CampaignState.Draft;
                _model = new EditorModel();
                return;
            }

            var view = await Queries.GetAsync(id);
            if (view is null)
            {
                _notFound = true;
                return;
            }

            Show(view);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "The campaign editor could not load campaign {CampaignId}", Id);
            _loadError = "The campaign could not be loaded. Reload the page to try again; if it keeps failing, tell an administrator.";
        }
    }

    private void Show(CampaignDraftView view)
    {
        _campaignId = view.Id;
        _state = view.State;
        _scheduledFor = view.ScheduledFor;
        _model = EditorModel.From(view);
        _ = RefreshReachAsync();
    }

    private string AudienceText(long audienceId) =>
        _audiences.FirstOrDefault(a => a.Id == audienceId) is { } audience
            ? $"{audience.Name} ({audience.Members.ToString("N0", DisplayCulture.Value)} members)"
            : $"Audience {audienceId}";

    /// <summary>The closed select's text: the chosen audiences' names (counts are in the summary below).</summary>
    private string AudiencesText(IReadOnlyList<string> _) =>
        string.Join(", ", (_model?.AudienceIds ?? [])
            .Select(id => _audiences.FirstOrDefault(a => a.Id == id)?.Name ?? $"Audience {id}")
            .Order(StringComparer.CurrentCulture));

    private async Task OnAudiencesChangedAsync(IEnumerable<long>? ids)
    {
        _model!.AudienceIds = [.. (ids ?? []).Distinct().Order()];
        await RefreshReachAsync();
    }

    /// <summary>Counts whom the chosen audiences reach; a later choice wins over a count still running.</summary>
    private async Task RefreshReachAsync()
    {
        var version = ++_reachVersion;
        var ids = _model?.AudienceIds ?? [];
        _reachError = null;
        if (ids.Count == 0)
        {
            _reach = null;
            _reachLoading = false;
            return;
        }

        _reachLoading = true;
        try
        {
            var reach = await Queries.GetReachAsync(ids);
            if (version != _reachVersion)
            {
                return;
            }

            _reach = reach;
            _reachError = reach is null ? "One of the chosen audiences no longer exists: choose again." : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "The campaign editor could not count the reach of audiences {AudienceIds}", ids);
            if (version == _reachVersion)
            {
                _reach = null;
                _reachError = "The recipients could not be counted. Try again; if it keeps failing, tell an administrator.";
            }
        }
        finally
        {
            if (version == _reachVersion)
            {
                _reachLoading = false;
                await InvokeAsync(StateHasChanged);
            }
        }
    }

    private async Task SaveAsync()
    {
        if (await SaveDraftAsync() is not null)
        {
            Snackbar.Add("Draft saved.", Severity.Success);
        }
    }

    private async Task SendTestAsync()
    {
        var recipients = TestRecipients.Parse(_testRecipients);
        _testErrors = [.. recipients.Errors];
        if (!recipients.IsValid)
        {
            return;
        }

        await RunAsync("send the test", async user =>
        {
            if (await SaveDraftCoreAsync(user) is not { } id)
            {
                return;
            }

            var count = await Commands.SendTestAsync(id, recipients.Addresses, user);
            Snackbar.Add($"Test sent to {count.ToString("N0", DisplayCulture.Value)} {(count == 1 ? "address" : "addresses")}.", Severity.Success);
        });
    }

    private async Task SendNowAsync()
    {
        await RunAsync("send the campaign", async user =>
        {
            if (await SaveDraftCoreAsync(user) is not { } id)
            {
                return;
            }

            if (_model!.AudienceIds.Count == 0)
            {
                Snackbar.Add("Choose at least one audience before sending.", Severity.Warning);
                return;
            }

            if (await Queries.GetReachAsync(_model.AudienceIds) is not { } reach)
            {
                Snackbar.Add("One of the chosen audiences no longer exists: choose again.", Severity.Warning);
                return;
            }

            var members = reach.Members.ToString("N0", DisplayCulture.Value);
            if (reach.Sendable == 0)
            {
                Snackbar.Add($"None of the {members} members of {reach.Names} can be mailed (suppressed or not active).", Severity.Warning);
                return;
            }

            var audiences = reach.Audiences.Count == 1
                ? $"the audience {reach.Names}: {reach.Sendable.ToString("N0", DisplayCulture.Value)} of its {members} members"
                : $"the audiences {reach.Names}: {reach.Sendable.ToString("N0", DisplayCulture.Value)} of their {members} distinct members (each contact once)";
            var message =
                $"'{_model.Name}' goes to {audiences} can be mailed (the others are suppressed or not active). " +
                "Sending starts at once and cannot be undone.";
            var confirmed = await Dialogs.ShowMessageBoxAsync("Send this campaign now?", message, yesText: "Send now", cancelText: "Cancel");
            if (confirmed != true)
            {
                return;
            }

            await Commands.SendNowAsync(id, user);
            Snackbar.Add($"Sending {reach.Sendable.ToString("N0", DisplayCulture.Value)} messages.", Severity.Success);
            Navigation.NavigateTo($"/campaigns/{id}");
        });
    }

    private async Task ScheduleAsync()
    {
        if (_scheduleDate is not { } date || _scheduleTime is not { } timeOfDay)
        {
            Snackbar.Add("Choose a date and a time to schedule the campaign.", Severity.Warning);
            return;
        }

        if (!TryToUtc(date.Date + timeOfDay, TimeZone.Zone, out var sendAt))
        {
            Snackbar.Add("That time does not exist in your time zone (the clocks change then). Choose another.", Severity.Warning);
            return;
        }

        await RunAsync("schedule the campaign", async user =>
        {
            if (await SaveDraftCoreAsync(user) is not { } id)
            {
                return;
            }

            await Commands.ScheduleAsync(id, sendAt, user);
            Snackbar.Add($"Scheduled for {TimeZone.Format(sendAt)}.", Severity.Success);
            await ReloadAsync(id);
        });
    }

    private async Task UnscheduleAsync()
    {
        if (_campaignId is not { } id)
        {
            return;
        }

        await RunAsync("unschedule the campaign", async user =>
        {
            await Commands.UnscheduleAsync(id, user);
            Snackbar.Add("Unscheduled: the campaign is a draft again.", Severity.Success);
            await ReloadAsync(id);
        });
    }

    /// <summary>Validates and saves; returns the campaign's id, or null when the form is invalid or the save failed.</summary>
    private async Task<long?> SaveDraftAsync()
    {
        long? saved = null;
        await RunAsync("save the draft", async user => saved = await SaveDraftCoreAsync(user));
        return saved;
    }

    private async Task<long?> SaveDraftCoreAsync(System.Security.Claims.ClaimsPrincipal user)
    {
        if (_form is not null)
        {
            await _form.ValidateAsync();
            if (!_form.IsValid)
            {
                Snackbar.Add("Some fields need attention before the draft can be saved.", Severity.Warning);
                return null;
            }
        }

        var id = await Commands.SaveAsync(_campaignId, _model!.ToDraft(), user);
        if (_campaignId is null)
        {
            // The new draft now has an address of its own; the component stays (same page), so nothing reloads.
            _campaignId = id;
            _loadedFor = id;
            Navigation.NavigateTo($"/campaigns/{id}/edit", replace: true);
        }

        return id;
    }

    private async Task ReloadAsync(long id)
    {
        if (await Queries.GetAsync(id) is { } view)
        {
            Show(view);
        }
    }

    /// <summary>Runs an action for the signed-in user, with the buttons disabled and refusals shown in a snackbar.</summary>
    private async Task RunAsync(string what, Func<System.Security.Claims.ClaimsPrincipal, Task> action)
    {
        if (_busy)
        {
            return;
        }

        _busy = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            await action(user);
        }
        catch (DomainException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "The campaign editor could not {Action} for campaign {CampaignId}", what, _campaignId);
            Snackbar.Add($"Could not {what}: something went wrong on the server. Try again; if it keeps failing, tell an administrator.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>A wall-clock time in <paramref name="zone"/> as an instant; false for a time the clocks skip.</summary>
    internal static bool TryToUtc(DateTime local, TimeZoneInfo zone, out DateTimeOffset utc)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            utc = default;
            return false;
        }

        utc = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, zone), TimeSpan.Zero);
        return true;
    }

    /// <summary>The form's fields; a generated text part loads as blank, so it follows the HTML again when saved.</summary>
    private sealed class EditorModel
    {
        public string? Name { get; set; }

        public string? FromName { get; set; }

        public string? FromAddress { get; set; }

        public string? Subject { get; set; }

        public string? HtmlBody { get; set; }

        public string? TextBody { get; set; }

        public IReadOnlyList<long> AudienceIds { get; set; } = [];

        public static EditorModel From(CampaignDraftView view) => new()
        {
            Name = view.Name,
            FromName = view.FromName,
            FromAddress = view.FromAddress,
            Subject = view.Subject,
            HtmlBody = view.HtmlBody,
            TextBody = view.TextBody is { } text && string.Equals(text, PlainTextPart.FromHtml(view.HtmlBody), StringComparison.Ordinal) ? null : view.TextBody,
            AudienceIds = view.AudienceIds,
        };

        public CampaignDraft ToDraft() => new(Name, FromName, FromAddress, Subject, HtmlBody, TextBody, AudienceIds);
    }
}
