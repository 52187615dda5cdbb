using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;

namespace BounceDashboard.Web.Components.Pages.Admin;

/// <summary>
/// The API keys page: the list through <see cref="IApiKeyQueries"/>, create and revoke through
/// <see cref="IApiKeyCommands"/> (which checks the Admin role on the server). A new key's secret is kept in this
/// component only until the admin closes it or leaves; revoking asks first.
/// </summary>
public sealed partial class ApiKeys
{
    private const string LoadError = "The API keys could not be loaded. Try again in a moment.";

    private IReadOnlyList<ApiKeyRow>? _keys;
    private CreatedApiKey? _created;
    private string? _name;
    private string _role = Domain.Security.Roles.Marketer;
    private string? _error;
    private bool _busy;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private IApiKeyQueries Queries { get; set; } = default!;

    [Inject]
    private IApiKeyCommands Commands { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ILogger<ApiKeys> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if ((await AuthenticationState).User.IsInRole(Domain.Security.Roles.Admin))
        {
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            _keys = await Queries.ListAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Logger.LogError(exception, "The API keys could not be loaded");
            _keys = [];
            _error = LoadError;
        }
    }

    private async Task CreateAsync()
    {
        _busy = true;
        _error = null;
        _created = null;
        try
        {
            var result = await Commands.CreateAsync((await AuthenticationState).User, _name ?? string.Empty, _role);
            if (result.Key is { } key)
            {
                _created = key;
                _name = null;
                await LoadAsync();
            }
            else
            {
                _error = result.Result.Message;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RevokeAsync(ApiKeyRow key)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Revoke the key '{key.Name}'?",
            "Every request with it answers 401 from now on. This cannot be undone: make a new key if it is needed again.",
            yesText: "Revoke",
            cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        _busy = true;
        try
        {
            var result = await Commands.RevokeAsync((await AuthenticationState).User, key.Id);
            if (result.Succeeded)
            {
                Snackbar.Add(result.Message, Severity.Success);
                await LoadAsync();
            }
            else
            {
                _error = result.Message;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task CopyAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", _created?.Secret);
        }
        catch (JSException)
        {
            // The clipboard can be refused (no HTTPS, no permission); the key stays selectable.
        }
    }
}
