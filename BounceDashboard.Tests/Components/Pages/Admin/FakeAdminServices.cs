using System.Runtime.CompilerServices;
using System.Security.Claims;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Tests.Components.Pages.Admin;

public sealed class FakeAuditLogQueries : IAuditLogQueries
{
    public List<AuditLogRow> Rows { get; } = [];

    public List<string> Actors { get; } = [];

    public List<AuditLogFilter> Filters { get; } = [];

    /// <summary>When set, every page waits on this task (the loading state).</summary>
    public TaskCompletionSource? Pending { get; set; }

    /// <summary>When set, every page throws it (the error state).</summary>
    public Exception? Failure { get; set; }

    public async Task<PagedResult<AuditLogRow>> PageAsync(AuditLogFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        Filters.Add(filter);
        if (Pending is not null)
        {
            await Pending.Task;
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        return new PagedResult<AuditLogRow>(Rows.Skip(page.Skip).Take(page.Take).ToList(), Rows.Count);
    }

    public Task<IReadOnlyList<string>> ActorsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(Actors);

    public async IAsyncEnumerable<AuditLogRow> StreamAsync(AuditLogFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var row in Rows)
        {
            await Task.Yield();
            yield return row;
        }
    }
}

public sealed class FakeUserQueries : IUserQueries
{
    public List<UserRow> Users { get; } = [];

    public TaskCompletionSource? Pending { get; set; }

    public Exception? Failure { get; set; }

    public async Task<PagedResult<UserRow>> ListAsync(string? search, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (Pending is not null)
        {
            await Pending.Task;
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        var rows = Users.Where(u => search is null || u.Email.StartsWith(search, StringComparison.OrdinalIgnoreCase)).ToList();
        return new PagedResult<UserRow>(rows.Skip(page.Skip).Take(page.Take).ToList(), rows.Count);
    }
}

public sealed class FakeUserCommands : IUserCommands
{
    public List<(ClaimsPrincipal User, string Email, string Role, string? Password)> Created { get; } = [];

    public UserCommandResult CreateResult { get; set; } = new(CommandStatus.Done, "new@example.org was created as Marketer.", "/Account/ResetPassword?userId=u-9&code=abc");

    public Task<UserCommandResult> CreateAsync(ClaimsPrincipal user, string email, string role, string? initialPassword, CancellationToken cancellationToken = default)
    {
        Created.Add((user, email, role, initialPassword));
        return Task.FromResult(CreateResult);
    }

    public Task<UserCommandResult> ChangeRoleAsync(ClaimsPrincipal user, string userId, string role, CancellationToken cancellationToken = default) =>
        Task.FromResult(new UserCommandResult(CommandStatus.Done, "Changed."));

    public Task<UserCommandResult> DisableAsync(ClaimsPrincipal user, string userId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new UserCommandResult(CommandStatus.Done, "Disabled."));

    public Task<UserCommandResult> EnableAsync(ClaimsPrincipal user, string userId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new UserCommandResult(CommandStatus.Done, "Enabled."));

    public Task<UserCommandResult> ResetPasswordAsync(ClaimsPrincipal user, string userId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new UserCommandResult(CommandStatus.Done, "Link ready.", "/Account/ResetPassword?userId=u&code=c"));

    public Task<UserCommandResult> ChangeOwnPasswordAsync(ClaimsPrincipal user, string currentPassword, string newPassword, CancellationToken cancellationToken = default) =>
        Task.FromResult(new UserCommandResult(CommandStatus.Done, "Changed."));

    public Task<bool> IsResetLinkValidAsync(string userId, string code, CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<UserCommandResult> SetPasswordWithLinkAsync(string userId, string code, string newPassword, CancellationToken cancellationToken = default) =>
        Task.FromResult(new UserCommandResult(CommandStatus.Done, "Set."));
}
