using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BounceDashboard.Web.Components.Pages.Campaigns;

/// <summary>
/// The recipients grid of one campaign. The total for the pager is counted once per filter and kept for
/// <see cref="CountLifetime"/>: paging and sorting a 160,000-recipient campaign then costs one indexed page query each.
/// </summary>
public sealed partial class CampaignRecipients
{
    /// <summary>How long a filter's total is reused before it is counted again (an in-progress campaign keeps changing).</summary>
    public static readonly TimeSpan CountLifetime = TimeSpan.FromSeconds(30);

    private const string LoadError =
        "The recipients could not be loaded. Try again in a moment; if it keeps failing, tell your administrator.";

    private readonly Dictionary<RecipientFilter, (int Count, DateTimeOffset At)> _counts = [];
    private MudDataGrid<RecipientRow>? _grid;
    private string? _search;
    private DeliveryState? _state;
    private BounceReason? _reason;
    private string? _error;
    private RecipientFilter? _lastFilter;

    [Parameter, EditorRequired]
    public long CampaignId { get; set; }

    [Inject]
    private IDeliveryQueries Queries { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ILogger<CampaignRecipients> Logger { get; set; } = default!;

    private static string DeliveryHref(RecipientRow row) => $"/deliveries/{row.DeliveryId}";

    private static RecipientSortField SortFieldOf(string? column) => column switch
    {
        nameof(RecipientRow.State) => RecipientSortField.State,
        nameof(RecipientRow.LastAttemptAt) => RecipientSortField.LastAttempt,
        nameof(RecipientRow.Attempts) => RecipientSortField.Attempts,
        _ => RecipientSortField.Address,
    };

    private async Task<GridData<RecipientRow>> LoadAsync(GridState<RecipientRow> state, CancellationToken cancellationToken)
    {
        var filter = new RecipientFilter(CampaignId, _search, _state, _reason);
        _lastFilter = filter;
        var sort = state.SortDefinitions.FirstOrDefault();
        try
        {
            var total = await CountAsync(filter, cancellationToken);
            IReadOnlyList<RecipientRow> items = total == 0
                ? []
                : await Queries.RecipientsAsync(
                    filter,
                    SortFieldOf(sort?.SortBy),
                    sort?.Descending ?? false,
                    new PageRequest(state.Page, state.PageSize),
                    total,
                    cancellationToken);
            _error = null;
            return new GridData<RecipientRow> { Items = items, TotalItems = total };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the recipients of campaign {CampaignId} failed", CampaignId);
            _error = LoadError;
            StateHasChanged();
            return new GridData<RecipientRow> { Items = [], TotalItems = 0 };
        }
    }

    private async Task<int> CountAsync(RecipientFilter filter, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        if (_counts.TryGetValue(filter, out var cached) && now - cached.At < CountLifetime)
        {
            return cached.Count;
        }

        var count = await Queries.CountRecipientsAsync(filter, cancellationToken);
        _counts[filter] = (count, now);
        return count;
    }

    private Task OnSearchChangedAsync(string? value)
    {
        _search = value;
        return ReloadAsync();
    }

    private Task OnStateChangedAsync(DeliveryState? value)
    {
        _state = value;
        return ReloadAsync();
    }

    private Task OnReasonChangedAsync(BounceReason? value)
    {
        _reason = value;
        return ReloadAsync();
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;

    private void OnRowClick(DataGridRowClickEventArgs<RecipientRow> args) =>
        Navigation.NavigateTo(DeliveryHref(args.Item));
}
