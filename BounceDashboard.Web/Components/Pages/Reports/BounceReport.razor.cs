using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BounceDashboard.Web.Components.Pages.Reports;

/// <summary>
/// The bounce report: filters in the URL (<see cref="BounceReportView"/>), rows paged by the database through
/// <see cref="IBounceReportQueries"/>, a row's bounces in <see cref="BounceReportDetailsDialog"/>.
/// </summary>
public sealed partial class BounceReport : IDisposable
{
    private MudDataGrid<BounceReportRow>? _grid;
    private BounceReportView? _view;
    private BounceReportFilter? _filter;
    private DateRange? _range;
    private IReadOnlyList<CampaignOption> _campaigns = [];
    private string? _error;

    [Inject]
    private IBounceReportQueries Queries { get; set; } = default!;

    [Inject]
    private IBounceReportOptions Options { get; set; } = default!;

    [Inject]
    private BrowserTimeZone TimeZone { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private ILogger<BounceReport> Logger { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [SupplyParameterFromQuery(Name = "campaign")]
    public long? Campaign { get; set; }

    [SupplyParameterFromQuery(Name = "group")]
    public string? Group { get; set; }

    private DateOnly Today => DateOnly.FromDateTime(TimeZone.ToLocal(Clock.GetUtcNow()).DateTime);

    private BounceReportGrouping GroupBy => _view?.GroupBy ?? BounceReportGrouping.SendingDomain;

    private string GroupLabel => GroupBy == BounceReportGrouping.SendingIp ? "Sending IP" : "Sending domain";

    private BounceReportPreset? ActivePreset => _view?.PresetFor(Today);

    protected override async Task OnInitializedAsync()
    {
        TimeZone.Changed += OnZoneChanged;
        try
        {
            _campaigns = await Options.CampaignsAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Logger.LogError(exception, "The bounce report could not list the campaigns");
            ShowError("The campaign list could not be loaded; the report still covers all campaigns.");
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        var view = BounceReportView.Parse(From, To, Campaign, Group, Today);
        if (view == _view)
        {
            return;
        }

        _view = view;
        _filter = view.ToFilter(TimeZone.Zone);
        _range = new DateRange(view.From.ToDateTime(TimeOnly.MinValue), view.To.ToDateTime(TimeOnly.MinValue));
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task<GridData<BounceReportRow>> LoadAsync(GridState<BounceReportRow> state, CancellationToken cancellationToken)
    {
        if (_filter is null)
        {
            return new GridData<BounceReportRow> { Items = [], TotalItems = 0 };
        }

        try
        {
            var page = await Queries.SummaryAsync(_filter, new PageRequest(state.Page, state.PageSize), cancellationToken);
            if (_error is not null)
            {
                _error = null;
                _ = InvokeAsync(StateHasChanged);
            }

            return new GridData<BounceReportRow> { Items = page.Items, TotalItems = page.TotalCount };
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Logger.LogError(exception, "The bounce report could not be loaded for {Filter}", _filter);
            ShowError("The bounce report could not be loaded. Try again in a moment, or choose a shorter period.");
            return new GridData<BounceReportRow> { Items = [], TotalItems = 0 };
        }
    }

    private void ShowError(string message)
    {
        _error = message;
        Snackbar.Add(message, Severity.Error);
        // The grid re-renders itself after loading; the alert sits outside it.
        _ = InvokeAsync(StateHasChanged);
    }

    private Task ApplyPresetAsync(BounceReportPreset preset) =>
        NavigateAsync(BounceReportView.Preset(preset, Today, _view?.CampaignId, GroupBy));

    private Task OnRangeChangedAsync(DateRange? range)
    {
        if (range?.Start is not { } start || range.End is not { } end || _view is null)
        {
            return Task.CompletedTask;
        }

        return NavigateAsync(_view with { From = DateOnly.FromDateTime(start), To = DateOnly.FromDateTime(end) });
    }

    private Task OnCampaignChangedAsync(long? campaignId) =>
        _view is null ? Task.CompletedTask : NavigateAsync(_view with { CampaignId = campaignId });

    private Task OnGroupChangedAsync(BounceReportGrouping grouping) =>
        _view is null || _view.GroupBy == grouping ? Task.CompletedTask : NavigateAsync(_view with { GroupBy = grouping });

    /// <summary>Puts the view in the URL; the router sets the query parameters again, and the grid reloads.</summary>
    private Task NavigateAsync(BounceReportView view)
    {
        Navigation.NavigateTo(view.ToUri(), replace: false);
        return Task.CompletedTask;
    }

    private Task OnRowClickAsync(DataGridRowClickEventArgs<BounceReportRow> args) => OpenDetailsAsync(args.Item);

    private async Task OpenDetailsAsync(BounceReportRow row)
    {
        if (_filter is null)
        {
            return;
        }

        var parameters = new DialogParameters<BounceReportDetailsDialog>
        {
            { d => d.Filter, _filter },
            { d => d.Row, row },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.ExtraLarge, FullWidth = true, CloseButton = true, CloseOnEscapeKey = true };
        await Dialogs.ShowAsync<BounceReportDetailsDialog>($"{row.Amount.ToString("N0", DisplayCulture.Value)} bounces", parameters, options);
    }

    private string CampaignName(long? id) =>
        id is null ? "All campaigns" : _campaigns.FirstOrDefault(c => c.Id == id)?.Name ?? $"Campaign {id}";

    private static string PresetLabel(BounceReportPreset preset) => preset switch
    {
        BounceReportPreset.Last7Days => "Last 7 days",
        BounceReportPreset.Last30Days => "Last 30 days",
        BounceReportPreset.Last90Days => "Last 90 days",
        BounceReportPreset.ThisMonth => "This month",
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown preset."),
    };

    private void OnZoneChanged() => _ = InvokeAsync(async () =>
    {
        // Days are the browser's: once its zone is known, the same dates cover other instants.
        if (_view is not null)
        {
            _filter = _view.ToFilter(TimeZone.Zone);
            if (_grid is not null)
            {
                await _grid.ReloadServerData();
            }
        }

        StateHasChanged();
    });

    public void Dispose() => TimeZone.Changed -= OnZoneChanged;
}
