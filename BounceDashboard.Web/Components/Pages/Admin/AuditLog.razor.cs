using BounceDashboard.Domain.Audit;
using BounceDashboard.Web.Components.Shared;
using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BounceDashboard.Web.Components.Pages.Admin;

/// <summary>
/// The audit log: filters in the URL (<see cref="AuditLogView"/>), pages read by the database through
/// <see cref="IAuditLogQueries"/>, newest first; the CSV download carries the same filters.
/// </summary>
public sealed partial class AuditLog : IDisposable
{
    private const string LoadError = "The audit log could not be loaded. Try again in a moment; if it keeps failing, tell your administrator.";

    private static readonly AuditAction[] Actions = Enum.GetValues<AuditAction>()
        .OrderBy(AuditActionChip.LabelOf, StringComparer.CurrentCulture)
        .ToArray();

    private MudDataGrid<AuditLogRow>? _grid;
    private AuditLogView _view = AuditLogView.Empty;
    private AuditLogFilter _filter = AuditLogFilter.None;
    private DateRange? _range;
    private IReadOnlyList<string> _actors = [];
    private string? _error;

    [Inject]
    private IAuditLogQueries Queries { get; set; } = default!;

    [Inject]
    private BrowserTimeZone TimeZone { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private ILogger<AuditLog> Logger { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "actor")]
    public string? Actor { get; set; }

    [SupplyParameterFromQuery(Name = "action")]
    public string? Action { get; set; }

    [SupplyParameterFromQuery(Name = "target")]
    public string? Target { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    private string DownloadUrl => AuditLogExport.UrlOf(_view, TimeZone.Zone);

    /// <summary>The known actors, and the URL's actor even when it is not among them (so the select shows it).</summary>
    private IEnumerable<string> ActorChoices =>
        _view.Actor is { } actor && !_actors.Contains(actor, StringComparer.Ordinal) ? _actors.Prepend(actor) : _actors;

    /// <summary>A target that is an address links to the contact's page (the contacts search).</summary>
    public static string? ContactHref(string target) =>
        target.Contains('@', StringComparison.Ordinal) && !target.Contains(' ', StringComparison.Ordinal)
            ? "/contacts?search=" + Uri.EscapeDataString(target)
            : null;

    protected override async Task OnInitializedAsync()
    {
        TimeZone.Changed += OnZoneChanged;
        try
        {
            _actors = await Queries.ActorsAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Logger.LogError(exception, "The audit log could not list its actors");
            Snackbar.Add("The list of actors could not be loaded; the log still shows everyone.", Severity.Warning);
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        var view = AuditLogView.Parse(Actor, Action, Target, From, To);
        if (view == _view && _grid is not null)
        {
            return;
        }

        _view = view;
        _filter = view.ToFilter(TimeZone.Zone);
        _range = view.From is null && view.To is null
            ? null
            : new DateRange(view.From?.ToDateTime(TimeOnly.MinValue), view.To?.ToDateTime(TimeOnly.MinValue));
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task<GridData<AuditLogRow>> LoadAsync(GridState<AuditLogRow> state, CancellationToken cancellationToken)
    {
        try
        {
            var page = await Queries.PageAsync(_filter, new PageRequest(state.Page, state.PageSize), cancellationToken);
            if (_error is not null)
            {
                _error = null;
                _ = InvokeAsync(StateHasChanged);
            }

            return new GridData<AuditLogRow> { Items = page.Items, TotalItems = page.TotalCount };
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Logger.LogError(exception, "The audit log could not be loaded");
            _error = LoadError;
            Snackbar.Add(LoadError, Severity.Error);
            _ = InvokeAsync(StateHasChanged);
            return new GridData<AuditLogRow> { Items = [], TotalItems = 0 };
        }
    }

    private Task OnActorChangedAsync(string? actor) => NavigateAsync(_view with { Actor = actor });

    private Task OnActionChangedAsync(AuditAction? action) => NavigateAsync(_view with { Action = action });

    private Task OnTargetChangedAsync(string? target) =>
        NavigateAsync(_view with { Target = string.IsNullOrWhiteSpace(target) ? null : target.Trim() });

    private Task OnRangeChangedAsync(DateRange? range) => NavigateAsync(_view with
    {
        From = range?.Start is { } start ? DateOnly.FromDateTime(start) : null,
        To = range?.End is { } end ? DateOnly.FromDateTime(end) : null,
    });

    private Task ClearAsync() => NavigateAsync(AuditLogView.Empty);

    /// <summary>Puts the filters in the URL; the router sets the query parameters again and the grid reloads.</summary>
    private Task NavigateAsync(AuditLogView view)
    {
        if (view != _view)
        {
            Navigation.NavigateTo(view.ToUri());
        }

        return Task.CompletedTask;
    }

    private void OnZoneChanged() => _ = InvokeAsync(async () =>
    {
        // The period's days are the browser's: once its zone is known they cover other instants.
        _filter = _view.ToFilter(TimeZone.Zone);
        if (_grid is not null && (_view.From is not null || _view.To is not null))
        {
            await _grid.ReloadServerData();
        }

        StateHasChanged();
    });

    public void Dispose() => TimeZone.Changed -= OnZoneChanged;
}
