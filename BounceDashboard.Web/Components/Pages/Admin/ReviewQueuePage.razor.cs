using BounceDashboard.Domain.Inbound;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace BounceDashboard.Web.Components.Pages.Admin;

/// <summary>
/// The review queue: counts by cause, the items oldest first, one item in full with its raw message as text, and the
/// admin's actions (each run by <see cref="IReviewCommands"/>, which checks the role again on the server).
/// </summary>
public sealed partial class ReviewQueuePage
{
    private const string LoadError = "The review queue could not be loaded. Try again in a moment; if it keeps failing, tell your administrator.";

    private MudDataGrid<ReviewItemRow>? _grid;
    private ReviewCounts? _counts;
    private ReviewItemKey? _selected;
    private ReviewItemDetail? _detail;
    private int _shownBytes = ReviewQueueQueries.ShownRawBytes;
    private string? _error;
    private bool _busy;

    /// <summary>The cause shown (from the URL, <c>?cause=Unmatched</c>); null for all.</summary>
    [SupplyParameterFromQuery(Name = "cause")]
    public string? CauseText { get; set; }

    [Inject]
    private IReviewQueueQueries Queries { get; set; } = default!;

    [Inject]
    private IReviewCommands Commands { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ILogger<ReviewQueuePage> Logger { get; set; } = default!;

    private ReviewCause? Cause => Enum.TryParse<ReviewCause>(CauseText, ignoreCase: true, out var cause) && Enum.IsDefined(cause) ? cause : null;

    private int ShownBytes => _shownBytes;

    protected override async Task OnParametersSetAsync()
    {
        await LoadCountsAsync();
        if (_grid is not null && _counts is { Total: > 0 })
        {
            await _grid.ReloadServerData();
        }
    }

    private static string N(int value) => value.ToString("N0", DisplayCulture.Value);

    private static string JoinStatus(ReviewRecipient r)
    {
        var parts = new[] { r.ReplyCode, r.EnhancedStatus }.Where(p => !string.IsNullOrEmpty(p)).ToArray();
        return parts.Length == 0 ? "–" : string.Join(' ', parts);
    }

    private async Task LoadCountsAsync()
    {
        try
        {
            _counts = await Queries.CountsAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the review queue's counts failed");
            _error = LoadError;
        }
    }

    private async Task<GridData<ReviewItemRow>> LoadAsync(GridState<ReviewItemRow> state, CancellationToken cancellationToken)
    {
        try
        {
            var page = await Queries.ItemsAsync(Cause, new PageRequest(state.Page, state.PageSize), cancellationToken);
            if (_selected is null && page.Items.Count > 0)
            {
                // The oldest item opens at once, so the admin can start at the top.
                await SelectAsync(page.Items[0].Key);
            }

            return new GridData<ReviewItemRow> { Items = page.Items, TotalItems = page.TotalCount };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the review queue's items failed");
            _error = LoadError;
            StateHasChanged();
            return new GridData<ReviewItemRow> { Items = [], TotalItems = 0 };
        }
    }

    private string RowClass(ReviewItemRow row, int index) =>
        row.Key == _selected ? "review-row review-row-selected mud-theme-primary-lighten" : "review-row";

    private Task OnRowClick(DataGridRowClickEventArgs<ReviewItemRow> args) => SelectAsync(args.Item.Key);

    private async Task SelectAsync(ReviewItemKey key)
    {
        _selected = key;
        _detail = null;
        _shownBytes = ReviewQueueQueries.ShownRawBytes;
        StateHasChanged();
        await LoadDetailAsync();
    }

    private async Task LoadDetailAsync()
    {
        if (_selected is not { } key)
        {
            return;
        }

        try
        {
            _detail = await Queries.DetailAsync(key, _shownBytes);
            if (_detail is null)
            {
                _selected = null;
                Snackbar.Add("That item no longer exists.", Severity.Warning);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading review item {Item} failed", key);
            _error = "The item could not be loaded. Try again in a moment.";
        }

        StateHasChanged();
    }

    private async Task ShowAllAsync()
    {
        _shownBytes = InboundMessage.MaxContentBytes;
        await LoadDetailAsync();
    }

    private void ShowCause(ReviewCause? cause)
    {
        _selected = null;
        _detail = null;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("cause", cause?.ToString()));
    }

    private async Task MatchAsync()
    {
        if (_detail is not { } detail)
        {
            return;
        }

        var parameters = new DialogParameters<ReviewMatchDialog>
        {
            { d => d.Detail, detail },
            { d => d.Search, (text, ct) => Queries.CandidatesAsync(text, detail.ReceivedAt, ct) },
            { d => d.MatchToDelivery, (deliveryId, note) => RunAsync(user => Commands.MatchToDeliveryAsync(user, detail.Key.Id, deliveryId, note)) },
            { d => d.MatchToContact, (email, note) => RunAsync(user => Commands.MatchToContactAsync(user, detail.Key.Id, email, note)) },
        };
        await ShowAsync<ReviewMatchDialog>("Match to a delivery", parameters);
    }

    private async Task ReclassifyAsync()
    {
        if (_detail is not { } detail)
        {
            return;
        }

        var parameters = new DialogParameters<ReviewReclassifyDialog>
        {
            { d => d.Detail, detail },
            { d => d.Reclassify, (reading, note) => RunAsync(user => Commands.ReclassifyAsync(user, detail.Key, reading, note)) },
        };
        await ShowAsync<ReviewReclassifyDialog>("Reclassify", parameters);
    }

    private async Task DismissAsync()
    {
        if (_detail is not { } detail)
        {
            return;
        }

        var parameters = new DialogParameters<ReviewDismissDialog>
        {
            { d => d.Dismiss, note => RunAsync(user => Commands.DismissAsync(user, detail.Key, note)) },
        };
        await ShowAsync<ReviewDismissDialog>($"Dismiss {detail.Key}", parameters);
    }

    private async Task ShowAsync<TDialog>(string title, DialogParameters<TDialog> parameters)
        where TDialog : ComponentBase
    {
        var dialog = await Dialogs.ShowAsync<TDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: CommandResult result })
        {
            Snackbar.Add(result.Message, Severity.Success);
            await RefreshAfterActionAsync();
        }
    }

    /// <summary>Runs a command as the signed-in user; a failure becomes a refusal the dialog shows (never a stack trace).</summary>
    private async Task<CommandResult> RunAsync(Func<System.Security.Claims.ClaimsPrincipal, Task<CommandResult>> command)
    {
        _busy = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            return await command(user);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "A review action on {Item} failed", _selected);
            return new CommandResult(CommandStatus.Invalid, "The action failed and nothing was changed. Reload the queue and try again.");
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RefreshAfterActionAsync()
    {
        _selected = null;
        _detail = null;
        await LoadCountsAsync();
        if (_grid is not null && _counts is { Total: > 0 })
        {
            await _grid.ReloadServerData();
        }

        StateHasChanged();
    }
}
