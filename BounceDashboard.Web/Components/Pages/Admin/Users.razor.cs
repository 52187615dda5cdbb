using System.Security.Claims;
using BounceDashboard.Domain.Security;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace BounceDashboard.Web.Components.Pages.Admin;

/// <summary>
/// The users page: a list read through <see cref="IUserQueries"/>, actions through <see cref="IUserCommands"/> (which
/// checks the role and the last-Admin rule on the server). Destructive changes are confirmed first; one-time links are
/// shown once in <see cref="OneTimeLinkDialog"/>.
/// </summary>
public sealed partial class Users
{
    private const string LoadError = "The users could not be loaded. Try again in a moment; if it keeps failing, tell your administrator.";

    private MudDataGrid<UserRow>? _grid;
    private string? _search;
    private string? _error;
    private string? _currentUserId;
    private bool _busy;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private IUserQueries Queries { get; set; } = default!;

    [Inject]
    private IUserCommands Commands { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ILogger<Users> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync() =>
        _currentUserId = (await AuthenticationState).User.FindFirstValue(ClaimTypes.NameIdentifier);

    private async Task<GridData<UserRow>> LoadAsync(GridState<UserRow> state, CancellationToken cancellationToken)
    {
        try
        {
            var page = await Queries.ListAsync(_search, new PageRequest(state.Page, state.PageSize), cancellationToken);
            if (_error is not null)
            {
                _error = null;
                _ = InvokeAsync(StateHasChanged);
            }

            return new GridData<UserRow> { Items = page.Items, TotalItems = page.TotalCount };
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Logger.LogError(exception, "The users could not be loaded");
            _error = LoadError;
            _ = InvokeAsync(StateHasChanged);
            return new GridData<UserRow> { Items = [], TotalItems = 0 };
        }
    }

    private Task OnSearchChangedAsync(string? value)
    {
        _search = value;
        return ReloadAsync();
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;

    private async Task CreateAsync()
    {
        var user = (await AuthenticationState).User;
        var parameters = new DialogParameters<CreateUserDialog>
        {
            { d => d.Save, (email, role, password) => Commands.CreateAsync(user, email, role, password) },
        };
        var dialog = await Dialogs.ShowAsync<CreateUserDialog>("New user", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var closed = await dialog.Result;
        if (closed is { Canceled: false, Data: UserCommandResult result })
        {
            await ShowOutcomeAsync(result);
            await ReloadAsync();
        }
    }

    private async Task ChangeRoleAsync(UserRow row, string role)
    {
        if (row.Role == Roles.Admin && role != Roles.Admin)
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync(
                $"Make {row.Email} a Marketer?",
                "They lose access to the admin pages (suppressions, review queue, users) and sign in again to get the new role.",
                yesText: "Make Marketer",
                cancelText: "Cancel");
            if (confirmed != true)
            {
                return;
            }
        }

        await RunAsync(user => Commands.ChangeRoleAsync(user, row.Id, role));
    }

    private async Task DisableAsync(UserRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Disable {row.Email}?",
            "They can no longer sign in, and their open sessions end within 5 minutes. You can enable them again later.",
            yesText: "Disable",
            cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(user => Commands.DisableAsync(user, row.Id));
        }
    }

    private Task EnableAsync(UserRow row) => RunAsync(user => Commands.EnableAsync(user, row.Id));

    private async Task ResetPasswordAsync(UserRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Reset the password of {row.Email}?",
            "You get a one-time link to give them. Earlier links stop working and their open sessions end; their current password still works until they use the link.",
            yesText: "Create link",
            cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(user => Commands.ResetPasswordAsync(user, row.Id));
        }
    }

    private async Task RunAsync(Func<ClaimsPrincipal, Task<UserCommandResult>> command)
    {
        _busy = true;
        try
        {
            var result = await command((await AuthenticationState).User);
            await ShowOutcomeAsync(result);
            if (result.Succeeded)
            {
                await ReloadAsync();
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Logger.LogError(exception, "A user command failed");
            Snackbar.Add("The change could not be saved. Try again in a moment.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ShowOutcomeAsync(UserCommandResult result)
    {
        if (!result.Succeeded)
        {
            Snackbar.Add(result.Message, Severity.Warning);
            return;
        }

        if (result.OneTimeLink is { } link)
        {
            var parameters = new DialogParameters<OneTimeLinkDialog>
            {
                { d => d.Link, Navigation.ToAbsoluteUri(link).ToString() },
                { d => d.Message, result.Message },
            };
            var dialog = await Dialogs.ShowAsync<OneTimeLinkDialog>("One-time link", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
            await dialog.Result;
            return;
        }

        Snackbar.Add(result.Message, Severity.Success);
    }
}
