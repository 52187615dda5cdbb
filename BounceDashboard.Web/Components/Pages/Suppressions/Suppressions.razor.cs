using System.Globalization;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace BounceDashboard.Web.Components.Pages.Suppressions;

/// <summary>
/// The suppression list: filters in the URL (<see cref="SuppressionListView"/>), entries paged and sorted by the database
/// through <see cref="ISuppressionQueries"/>, Admin actions through <see cref="ISuppressionCommands"/> (which checks the
/// role again on the server: a Marketer sees no action and would be refused anyway).
/// </summary>
public sealed partial class Suppressions : IDisposable
{
    private const string LoadError =
        "The suppression list could not be loaded. Try again in a moment; if it keeps failing, tell your administrator.";

    private MudDataGrid<SuppressionRow>? _grid;
    private SuppressionListView? _view;
    private SuppressionFilter? _lastFilter;
    private DateRange? _range;
    private int? _total;
    private string? _error;
    private bool _isAdmin;
    private bool _authChecked;
    private bool _showImport;

    [Inject]
    private ISuppressionQueries Queries { get; set; } = default!;

    [Inject]
    private ISuppressionCommands Commands { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Inject]
    private BrowserTimeZone TimeZone { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private ILogger<Suppressions> Logger { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "q")]
    public string? Search { get; set; }

    [SupplyParameterFromQuery(Name = "reason")]
    public string? Reason { get; set; }

    [SupplyParameterFromQuery(Name = "source")]
    public string? Source { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [SupplyParameterFromQuery(Name = "lifted")]
    public string? Lifted { get; set; }

    protected override async Task OnInitializedAsync()
    {
        TimeZone.Changed += OnZoneChanged;
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        _isAdmin = user.IsInRole(Roles.Admin);
        _authChecked = true;
    }

    protected override async Task OnParametersSetAsync()
    {
        var view = SuppressionListView.Parse(Search, Reason, Source, From, To, Lifted);
        if (view == _view)
        {
            return;
        }

        _view = view;
        _range = view.From is null && view.To is null
            ? null
            : new DateRange(view.From?.ToDateTime(TimeOnly.MinValue), view.To?.ToDateTime(TimeOnly.MinValue));
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private static SuppressionSortField SortFieldOf(string? column) => column switch
    {
        nameof(SuppressionRow.Email) => SuppressionSortField.Email,
        nameof(SuppressionRow.Reason) => SuppressionSortField.Reason,
        _ => SuppressionSortField.CreatedAt,
    };

    private async Task<GridData<SuppressionRow>> LoadAsync(GridState<SuppressionRow> state, CancellationToken cancellationToken)
    {
        if (_view is null)
        {
            return new GridData<SuppressionRow> { Items = [], TotalItems = 0 };
        }

        var filter = _view.ToFilter(TimeZone.Zone);
        _lastFilter = filter;
        var sort = state.SortDefinitions.FirstOrDefault();
        try
        {
            var page = await Queries.ListAsync(
                filter,
                SortFieldOf(sort?.SortBy),
                sort?.Descending ?? true,
                new PageRequest(state.Page, state.PageSize),
                cancellationToken);
            _total = page.TotalCount;
            _error = null;
            _ = InvokeAsync(StateHasChanged);
            return new GridData<SuppressionRow> { Items = page.Items, TotalItems = page.TotalCount };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the suppression list failed");
            _total = null;
            ShowError(LoadError);
            return new GridData<SuppressionRow> { Items = [], TotalItems = 0 };
        }
    }

    private static string ByWhom(SuppressionRow row) =>
        row.CreatedBy == SuppressionEntry.SystemActor ? "the rules" : row.CreatedBy;

    /// <summary>Why, when no bounce event or note says it: what the reason itself means.</summary>
    private static string NoCause(SuppressionRow row) => row.Reason switch
    {
        SuppressionReason.Unsubscribe => "The recipient unsubscribed",
        SuppressionReason.AutoUnsubscribe => "Bounced in consecutive campaigns without any activity",
        SuppressionReason.ConfirmedBounce => "Hard bounces in consecutive campaigns",
        SuppressionReason.Complaint => "A spam complaint",
        _ when row.Source == SuppressionSource.Rules => "Decided by the rules",
        _ => "No reason recorded",
    };

    private string LiftedText(SuppressionRow row) =>
        $"Lifted {(row.LiftedAt is { } at ? TimeZone.Format(at) : "")} by {row.LiftedBy}: {row.LiftReason}";

    private void ShowError(string message)
    {
        _error = message;
        Snackbar.Add(message, Severity.Error);
        _ = InvokeAsync(StateHasChanged);
    }

    private Task OnSearchChangedAsync(string? value) => NavigateAsync(_view! with { Search = string.IsNullOrWhiteSpace(value) ? null : value.Trim() }, replace: true);

    private Task OnReasonChangedAsync(SuppressionReason? value) => NavigateAsync(_view! with { Reason = value });

    private Task OnSourceChangedAsync(SuppressionSource? value) => NavigateAsync(_view! with { Source = value });

    private Task OnIncludeLiftedChangedAsync(bool value) => NavigateAsync(_view! with { IncludeLifted = value });

    private Task OnRangeChangedAsync(DateRange? range) => NavigateAsync(_view! with
    {
        From = range?.Start is { } start ? DateOnly.FromDateTime(start) : null,
        To = range?.End is { } end ? DateOnly.FromDateTime(end) : null,
    });

    /// <summary>Puts the view in the URL; the router sets the query parameters again, and the grid reloads.</summary>
    private Task NavigateAsync(SuppressionListView view, bool replace = false)
    {
        Navigation.NavigateTo(view.ToUri(), replace: replace);
        return Task.CompletedTask;
    }

    private async Task AddAsync()
    {
        var dialog = await Dialogs.ShowAsync<SuppressAddressDialog>(
            "Add an address to the suppression list",
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is null || result.Canceled || result.Data is not SuppressAddressDialog.Answer answer)
        {
            return;
        }

        await RunAsync(user => Commands.SuppressAsync(user, answer.Email, answer.Reason), "Adding an address");
    }

    private async Task ReactivateAsync(SuppressionRow row)
    {
        var parameters = new DialogParameters<ReactivateDialog>
        {
            { d => d.Email, row.Email },
            { d => d.Count, 1 },
            { d => d.Complaints, row.Reason == SuppressionReason.Complaint ? 1 : 0 },
        };
        var dialog = await Dialogs.ShowAsync<ReactivateDialog>(
            "Reactivate " + row.Email,
            parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is null || result.Canceled || result.Data is not ReactivateDialog.Answer answer)
        {
            return;
        }

        await RunAsync(user => Commands.ReactivateAsync(user, row.Email, answer.Reason, answer.ComplaintsConfirmed), "Reactivating an address");
    }

    private async Task ReactivateFilteredAsync()
    {
        if (_view is null)
        {
            return;
        }

        var filter = _view.ToFilter(TimeZone.Zone);
        SuppressionSelection selection;
        try
        {
            selection = await Queries.SelectionAsync(filter);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Counting the suppression entries to reactivate failed");
            ShowError("The selection could not be counted. Try again in a moment.");
            return;
        }

        if (selection.Active == 0)
        {
            Snackbar.Add("No address in force matches this filter: nothing to reactivate.", Severity.Info);
            return;
        }

        if (selection.Active > SuppressionCommands.MaxBulkReactivation)
        {
            Snackbar.Add(
                string.Create(DisplayCulture.Value, $"The filter selects {selection.Active:N0} addresses; a bulk reactivation lifts at most {SuppressionCommands.MaxBulkReactivation:N0}. Narrow the filter first."),
                Severity.Warning);
            return;
        }

        var parameters = new DialogParameters<ReactivateDialog>
        {
            { d => d.Count, selection.Active },
            { d => d.Complaints, selection.Complaints },
        };
        var dialog = await Dialogs.ShowAsync<ReactivateDialog>(
            string.Create(DisplayCulture.Value, $"Reactivate {selection.Active:N0} addresses"),
            parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is null || result.Canceled || result.Data is not ReactivateDialog.Answer answer)
        {
            return;
        }

        await RunAsync(
            async user =>
            {
                var done = await Commands.ReactivateManyAsync(user, filter, answer.Reason, answer.ComplaintsConfirmed);
                return new CommandResult(done.Status, done.Message);
            },
            "Reactivating the filtered addresses");
    }

    private async Task OnImportedAsync()
    {
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    /// <summary>Runs a command as the signed-in user, shows its message, and reloads the list when it changed something.</summary>
    private async Task RunAsync(Func<System.Security.Claims.ClaimsPrincipal, Task<CommandResult>> command, string what)
    {
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            var result = await command(user);
            Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Error);
            if (result.Succeeded && _grid is not null)
            {
                await _grid.ReloadServerData();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "{Action} failed", what);
            ShowError(string.Create(CultureInfo.InvariantCulture, $"{what} failed and nothing was changed. Try again in a moment."));
        }
    }

    private void OnZoneChanged() => _ = InvokeAsync(async () =>
    {
        // Days are the browser's: once its zone is known, the same dates cover other instants.
        if (_grid is not null && (_view?.From is not null || _view?.To is not null))
        {
            await _grid.ReloadServerData();
        }

        StateHasChanged();
    });

    public void Dispose() => TimeZone.Changed -= OnZoneChanged;
}
