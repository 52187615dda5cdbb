using BounceDashboard.Domain.Contacts;
using BounceDashboard.Web.Components.Shared;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using MudBlazor.Extensions;

namespace BounceDashboard.Web.Components.Pages.Contacts;

/// <summary>
/// The contacts list: a prefix search on the address and a tab per status with its count, both in the URL
/// (<c>/contacts?search=ann&amp;status=Error</c>), so other pages can link to an address.
/// </summary>
public sealed partial class Contacts
{
    private static readonly ContactStatus?[] Tabs =
        [null, ContactStatus.Active, ContactStatus.Error, ContactStatus.OptedOut, ContactStatus.ConfirmedBounce];

    private readonly Queue<(string? Search, ContactStatus? Status)> _pushed = new();
    private MudDataGrid<ContactRow>? _grid;
    private ContactStatusCounts? _counts;
    private string? _search;
    private ContactStatus? _status;
    private int _tabIndex;
    private string? _error;
    private MudTextField<string>? _searchField;

    [Inject]
    private IContactQueries Queries { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private ILogger<Contacts> Logger { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "search")]
    public string? Search { get; set; }

    [SupplyParameterFromQuery(Name = "status")]
    public string? Status { get; set; }

    private string? NormalizedSearch => new ContactFilter(_search).NormalizedSearch;

    private string NoMatchText =>
        NormalizedSearch is { } search
            ? $"No {(_status is { } s ? ContactStatusChip.LabelOf(s).ToLowerInvariant() + " " : string.Empty)}contact's address starts with \"{search}\". Check the spelling, shorten the search or pick the All tab."
            : "No contact has this status. Pick another tab to see the others.";

    /// <summary>The tab's stable id (tests and the URL): "all" or the status name.</summary>
    public static string TabId(ContactStatus? status) => status?.ToString() ?? "all";

    private string TabLabel(ContactStatus? status)
    {
        var label = status is { } s ? ContactStatusChip.LabelOf(s) : "All";
        return _counts is { } counts ? $"{label} ({counts.Of(status).ToString("N0", DisplayCulture.Value)})" : label;
    }

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _counts = await Queries.CountsAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Counting contacts by status failed");
            ShowError("The contacts could not be counted. Reload the page in a moment; if it keeps failing, tell your administrator.");
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        var status = Enum.TryParse<ContactStatus>(Status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : (ContactStatus?)null;

        // The page's own URL updates come back here in order; one the user has since typed past must not undo the typing.
        if (_pushed.TryPeek(out var pushed) && pushed == (Search, status))
        {
            _pushed.Dequeue();
            return;
        }

        _pushed.Clear();
        if (Search == _search && status == _status)
        {
            return;
        }

        _search = Search;
        _status = status;
        _tabIndex = Array.IndexOf(Tabs, status);
        await ReloadAsync();
    }

    private bool IsExactMatch(ContactRow row) => NormalizedSearch is { } search && string.Equals(row.Email, search, StringComparison.Ordinal);

    private async Task<GridData<ContactRow>> LoadAsync(GridState<ContactRow> state, CancellationToken cancellationToken)
    {
        var filter = new ContactFilter(_search, _status);
        try
        {
            // Without a search the tab's count is the total, so the page skips counting again.
            int? total = filter.NormalizedSearch is null && _counts is { } counts ? counts.Of(_status) : null;
            var page = await Queries.SearchAsync(filter, new PageRequest(state.Page, state.PageSize), total, cancellationToken);
            if (_error is not null)
            {
                _error = null;
                _ = InvokeAsync(StateHasChanged);
            }

            return new GridData<ContactRow> { Items = page.Items, TotalItems = page.TotalCount };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading contacts failed");
            ShowError("The contacts could not be loaded. Try again in a moment.");
            return new GridData<ContactRow> { Items = [], TotalItems = 0 };
        }
    }

    private void ShowError(string message)
    {
        _error = message;
        Snackbar.Add(message, Severity.Error);
        _ = InvokeAsync(StateHasChanged);
    }

    private async Task OnSearchChangedAsync(string? value)
    {
        _search = string.IsNullOrWhiteSpace(value) ? null : value;
        UpdateUrl();
        await ReloadAsync();
    }

    /// <summary>
    /// Enter on a whole address that exists opens its contact page. It reads the text as typed (the list follows after a
    /// short pause) and asks for that address itself, so a quick Enter does not act on the previous search.
    /// </summary>
    private async Task OnSearchKeyUpAsync(KeyboardEventArgs args)
    {
        var text = _searchField?.GetState(x => x.Text) ?? _search;
        if (args.Key != "Enter" || new ContactFilter(text).NormalizedSearch is not { } address)
        {
            return;
        }

        try
        {
            var match = await Queries.SearchAsync(new ContactFilter(address), new PageRequest(0, 1));
            if (match.Items.Count > 0 && string.Equals(match.Items[0].Email, address, StringComparison.Ordinal))
            {
                Navigation.NavigateTo($"/contacts/{match.Items[0].Id}");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Looking up a contact by address failed");
            ShowError("The contact could not be looked up. Try again in a moment.");
        }
    }

    private async Task OnTabChangedAsync(int index)
    {
        _tabIndex = index;
        _status = Tabs[index];
        UpdateUrl();
        await ReloadAsync();
    }

    /// <summary>Keeps the URL in step (replacing the history entry), so a reload or a shared link shows the same list.</summary>
    private void UpdateUrl()
    {
        _pushed.Enqueue((_search, _status));
        var uri = Navigation.GetUriWithQueryParameters("/contacts", new Dictionary<string, object?>
        {
            ["search"] = _search,
            ["status"] = _status?.ToString(),
        });
        Navigation.NavigateTo(uri, replace: true);
    }

    private async Task ReloadAsync()
    {
        if (_grid is not null)
        {
            _grid.NavigateTo(Page.First);
            await _grid.ReloadServerData();
        }
    }
}
