using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Components.Shared;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace BounceDashboard.Web.Components.Pages.Contacts;

/// <summary>
/// One contact: its status and what set it, its bounce counters, audiences, suppression entries and history (newest
/// first, more on request). Admins reactivate it from here; the command checks the role again on the server.
/// </summary>
public sealed partial class ContactPage
{
    /// <summary>History entries shown at first, and added by each "Show more".</summary>
    public const int HistoryPageSize = 50;

    private const string LoadError =
        "This contact could not be loaded. Reload the page in a moment; if it keeps failing, tell your administrator.";

    private ContactDetails? _contact;
    private ContactHistory? _history;
    private int _historyLimit = HistoryPageSize;
    private bool _loaded;
    private bool _loadingMore;
    private string? _error;
    private List<BreadcrumbItem> _breadcrumbs = [new("Contacts", "/contacts")];

    [Parameter]
    public long Id { get; set; }

    [Inject]
    private IContactQueries Queries { get; set; } = default!;

    [Inject]
    private ISuppressionCommands Commands { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Inject]
    private ILogger<ContactPage> Logger { get; set; } = default!;

    private string Title => _contact?.Email ?? "Contact";

    protected override async Task OnParametersSetAsync()
    {
        _loaded = false;
        _error = null;
        _contact = null;
        _history = null;
        _historyLimit = HistoryPageSize;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _contact = await Queries.GetAsync(Id);
            _breadcrumbs = [new("Contacts", "/contacts"), new(_contact?.Email ?? $"Contact {Id}", null, disabled: true)];
            if (_contact is not null)
            {
                _history = await Queries.HistoryAsync(Id, _historyLimit);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading contact {ContactId} failed", Id);
            _error = LoadError;
        }

        _loaded = true;
    }

    private async Task ShowMoreAsync()
    {
        _loadingMore = true;
        try
        {
            _historyLimit = Math.Min(_historyLimit + HistoryPageSize, ContactQueries.MaxHistory);
            _history = await Queries.HistoryAsync(Id, _historyLimit);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the history of contact {ContactId} failed", Id);
            Snackbar.Add("More history could not be loaded. Try again in a moment.", Severity.Error);
        }
        finally
        {
            _loadingMore = false;
        }
    }

    private async Task ReactivateAsync()
    {
        if (_contact is not { } contact)
        {
            return;
        }

        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        var parameters = new DialogParameters<ReactivateContactDialog>
        {
            { d => d.Email, contact.Email },
            { d => d.Status, contact.Status },
            { d => d.Suppression, contact.ActiveSuppression?.Reason },
            { d => d.Reactivate, (reason, complaintConfirmed) => Commands.ReactivateAsync(user, contact.Email, reason, complaintConfirmed) },
        };
        var dialog = await Dialogs.ShowAsync<ReactivateContactDialog>(
            $"Reactivate {contact.Email}?", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: CommandResult result })
        {
            Snackbar.Add(result.Message, Severity.Success);
            await LoadAsync();
        }
    }

    private static string N(int value) => value.ToString("N0", DisplayCulture.Value);

    private static string StatusExplained(ContactDetails contact) => contact.Status switch
    {
        ContactStatus.Error when contact.ErrorCause == ContactErrorCause.BadAddress =>
            "Error: the address itself is bad (a permanent failure naming it). Opens and clicks no longer reset it; only an admin's reactivation does.",
        ContactStatus.Error =>
            "Error: soft bounces in consecutive campaigns. No more mail goes to it until an admin reactivates it.",
        ContactStatus.OptedOut =>
            "Opted out: the contact unsubscribed, complained, or bounced in too many campaigns in a row. No more mail goes to it.",
        ContactStatus.ConfirmedBounce =>
            "Confirmed bounce: hard bounces in consecutive campaigns. Listed apart, not counted as active, and never mailed.",
        _ => ContactStatusChip.LabelOf(contact.Status),
    };

    private static string RowClass(ContactHistoryEntry entry) => entry switch
    {
        DeliveryHistoryEntry => "history-entry history-delivery",
        BounceHistoryEntry => "history-entry history-bounce",
        TrackingHistoryEntry { Kind: Domain.Tracking.TrackingEventKind.Click } => "history-entry history-click",
        TrackingHistoryEntry => "history-entry history-open",
        AuditHistoryEntry => "history-entry history-audit",
        _ => "history-entry",
    };
}
