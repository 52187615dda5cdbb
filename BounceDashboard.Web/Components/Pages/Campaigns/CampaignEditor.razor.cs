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
/// HTML and text previews, a test send, send now (after a confirmation naming the audience and its sendable count) and
/// scheduling. Any other state is shown read-only. Reads through <see cref="ICampaignEditorQueries"/>; every change goes
/// through <see cref="CampaignDraftCommands"/>, which checks the user's role.
/// </summary>
public partial class CampaignEditor
{
    private MudForm? _form;
    private EditorModel? _model;
    private IReadOnlyList<AudienceOption> _audiences = [];
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

    private string AudienceHelp => _model?.AudienceId is null ? "Needed to send or schedule; a draft can be saved without one." : string.Empty;

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
    }

    private string AudienceText(long? audienceId)
    {
        if (audienceId is not { } id)
        {
            return string.Empty;
        }

        return _audiences.FirstOrDefault(a => a.Id == id) is { } audience
            ? $"{audience.Name} ({audience.Members.ToString("N0", DisplayCulture.Value)} members)"
            : $"Audience {id}";
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

            if (_model!.AudienceId is not { } audienceId)
            {
                Snackbar.Add("Choose an audience before sending.", Severity.Warning);
                return;
            }

            if (await Queries.GetReachAsync(audienceId) is not { } reach)
            {
                Snackbar.Add($"Audience {audienceId} no longer exists: choose another.", Severity.Warning);
                return;
            }

            if (reach.Sendable == 0)
            {
                Snackbar.Add($"None of the {reach.Members.ToString("N0", DisplayCulture.Value)} members of {reach.Name} can be mailed (suppressed or not active).", Severity.Warning);
                return;
            }

            var message =
                $"'{_model.Name}' goes to the audience {reach.Name}: {reach.Sendable.ToString("N0", DisplayCulture.Value)} of its " +
                $"{reach.Members.ToString("N0", DisplayCulture.Value)} members can be mailed (the others are suppressed or not active). " +
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

        public long? AudienceId { get; set; }

        public static EditorModel From(CampaignDraftView view) => new()
        {
            Name = view.Name,
            FromName = view.FromName,
            FromAddress = view.FromAddress,
            Subject = view.Subject,
            HtmlBody = view.HtmlBody,
            TextBody = view.TextBody is { } text && string.Equals(text, PlainTextPart.FromHtml(view.HtmlBody), StringComparison.Ordinal) ? null : view.TextBody,
            AudienceId = view.AudienceId,
        };

        public CampaignDraft ToDraft() => new(Name, FromName, FromAddress, Subject, HtmlBody, TextBody, AudienceId);
    }
}
