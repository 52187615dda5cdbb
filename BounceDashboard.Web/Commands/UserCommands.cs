using System.Security.Claims;
using System.Text;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Security;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Identity;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Commands;

/// <summary>
/// The outcome of a user command, with a message the page can show and, for a created user or a password reset, the
/// one-time link (a path on this site) to hand to the user. The link is shown once and never stored.
/// </summary>
public sealed record UserCommandResult(CommandStatus Status, string Message, string? OneTimeLink = null)
{
    public bool Succeeded => Status == CommandStatus.Done;
}

public interface IUserCommands
{
    /// <summary>
    /// Creates a user with a role (Admin only). With <paramref name="initialPassword"/> the user signs in with it; without,
    /// the result carries a one-time set-password link. Audited (<see cref="AuditAction.CreateUser"/>).
    /// </summary>
    Task<UserCommandResult> CreateAsync(ClaimsPrincipal user, string email, string role, string? initialPassword, CancellationToken cancellationToken = default);

    /// <summary>Gives a user another role (Admin only); the last active Admin keeps theirs. Audited.</summary>
    Task<UserCommandResult> ChangeRoleAsync(ClaimsPrincipal user, string userId, string role, CancellationToken cancellationToken = default);

    /// <summary>Disables a user (Admin only): no sign-in, open sessions end at their next check. Not the last active Admin, not oneself. Audited.</summary>
    Task<UserCommandResult> DisableAsync(ClaimsPrincipal user, string userId, CancellationToken cancellationToken = default);

    /// <summary>Enables a disabled user again (Admin only). Audited.</summary>
    Task<UserCommandResult> EnableAsync(ClaimsPrincipal user, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Issues a one-time password-reset link for a user (Admin only). Earlier links stop working and the user's open
    /// sessions end at their next check. Audited.
    /// </summary>
    Task<UserCommandResult> ResetPasswordAsync(ClaimsPrincipal user, string userId, CancellationToken cancellationToken = default);

    /// <summary>The signed-in user changes their own password (Identity's password rules). Audited.</summary>
    Task<UserCommandResult> ChangeOwnPasswordAsync(ClaimsPrincipal user, string currentPassword, string newPassword, CancellationToken cancellationToken = default);

    /// <summary>True when the link's user exists and its code is a valid, unused reset token.</summary>
    Task<bool> IsResetLinkValidAsync(string userId, string code, CancellationToken cancellationToken = default);

    /// <summary>Sets a password through a one-time link (anonymous). Audited as the user changing their own password.</summary>
    Task<UserCommandResult> SetPasswordWithLinkAsync(string userId, string code, string newPassword, CancellationToken cancellationToken = default);
}

/// <summary>
/// User administration on ASP.NET Core Identity. The role is checked here, on the server, whatever the page showed.
/// Each command opens its own scope (Identity's stores and their DbContext never outlive it), runs in one transaction
/// with its audit entry, and commands run one at a time in this process, so two admins cannot demote each other past
/// the last-Admin rule. Logs name users by id, never by address.
/// </summary>
public sealed class UserCommands(IServiceScopeFactory scopes, TimeProvider time, ILogger<UserCommands> logger) : IUserCommands, IDisposable
{
    private const string InvalidLink = "This link is invalid, has expired or was already used. Ask an admin for a new one.";

    private static readonly string[] AssignableRoles = [Roles.Admin, Roles.Marketer];

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The path of a one-time set-password link.</summary>
    public static string LinkFor(string userId, string token) =>
        $"{AccountPaths.ResetPassword}?userId={Uri.EscapeDataString(userId)}&code={WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token))}";

    public Task<UserCommandResult> CreateAsync(ClaimsPrincipal user, string email, string role, string? initialPassword, CancellationToken cancellationToken = default) =>
        AsAdminAsync(user, nameof(CreateAsync), "create users", async (actor, users, db) =>
        {
            if (!EmailAddress.TryNormalize(email, out var address))
            {
                return Invalid($"'{email}' is not a valid e-mail address.");
            }

            if (!IsAssignable(role))
            {
                return Invalid($"'{role}' is not a role: choose {Roles.Admin} or {Roles.Marketer}.");
            }

            if (await users.FindByEmailAsync(address) is not null)
            {
                return Invalid($"A user with the address {address} already exists.");
            }

            var created = new ApplicationUser { UserName = address, Email = address, EmailConfirmed = true };
            var withPassword = !string.IsNullOrEmpty(initialPassword);
            var result = withPassword ? await users.CreateAsync(created, initialPassword!) : await users.CreateAsync(created);
            if (!result.Succeeded)
            {
                return Invalid(Describe(result));
            }

            result = await users.AddToRoleAsync(created, role);
            if (!result.Succeeded)
            {
                return Invalid(Describe(result));
            }

            string? link = null;
            if (!withPassword)
            {
                link = LinkFor(created.Id, await users.GeneratePasswordResetTokenAsync(created));
            }

            Audit(db, actor, AuditAction.CreateUser, address,
                $"Role {role}; " + (withPassword ? "initial password set by the admin" : "one-time set-password link issued"));
            logger.LogInformation("User {UserId} created in role {Role}", created.Id, role);
            return new UserCommandResult(
                CommandStatus.Done,
                withPassword ? $"{address} can now sign in as {role}." : $"{address} was created as {role}. Give them the one-time link to set a password.",
                link);
        }, cancellationToken);

    public Task<UserCommandResult> ChangeRoleAsync(ClaimsPrincipal user, string userId, string role, CancellationToken cancellationToken = default) =>
        AsAdminAsync(user, nameof(ChangeRoleAsync), "change roles", async (actor, users, db) =>
        {
            if (!IsAssignable(role))
            {
                return Invalid($"'{role}' is not a role: choose {Roles.Admin} or {Roles.Marketer}.");
            }

            if (await users.FindByIdAsync(userId) is not { } target)
            {
                return NotFound();
            }

            var current = await users.GetRolesAsync(target);
            if (current.Count == 1 && current[0] == role)
            {
                return Invalid($"{target.Email} is already {role}.");
            }

            if (current.Contains(Roles.Admin) && role != Roles.Admin && await IsLastActiveAdminAsync(users, target))
            {
                return Invalid($"{target.Email} is the last active Admin: make another user Admin first.");
            }

            var result = await users.RemoveFromRolesAsync(target, current);
            if (result.Succeeded)
            {
                result = await users.AddToRoleAsync(target, role);
            }

            if (result.Succeeded)
            {
                // The role is in the user's sign-in cookie: a new stamp makes them sign in again and get the new one.
                result = await users.UpdateSecurityStampAsync(target);
            }

            if (!result.Succeeded)
            {
                return Invalid(Describe(result));
            }

            var before = current.Count == 0 ? "no role" : string.Join(", ", current);
            Audit(db, actor, AuditAction.ChangeUserRole, target.Email!, $"{before} -> {role}");
            logger.LogInformation("User {UserId} now has role {Role}", target.Id, role);
            return Done($"{target.Email} is now {role}. They sign in again to get the new role.");
        }, cancellationToken);

    public Task<UserCommandResult> DisableAsync(ClaimsPrincipal user, string userId, CancellationToken cancellationToken = default) =>
        AsAdminAsync(user, nameof(DisableAsync), "disable users", async (actor, users, db) =>
        {
            if (await users.FindByIdAsync(userId) is not { } target)
            {
                return NotFound();
            }

            if (target.Id == users.GetUserId(user))
            {
                return Invalid("You cannot disable your own account. Ask another Admin.");
            }

            if (UserLockout.IsDisabled(target.LockoutEnd))
            {
                return Invalid($"{target.Email} is already disabled.");
            }

            if (await users.IsInRoleAsync(target, Roles.Admin) && await IsLastActiveAdminAsync(users, target))
            {
                return Invalid($"{target.Email} is the last active Admin and cannot be disabled.");
            }

            var result = await users.SetLockoutEnabledAsync(target, true);
            if (result.Succeeded)
            {
                result = await users.SetLockoutEndDateAsync(target, UserLockout.DisabledUntil);
            }

            if (result.Succeeded)
            {
                // A new stamp ends the user's open sessions at their next check (cookie and Blazor circuit).
                result = await users.UpdateSecurityStampAsync(target);
            }

            if (!result.Succeeded)
            {
                return Invalid(Describe(result));
            }

            Audit(db, actor, AuditAction.DisableUser, target.Email!, null);
            logger.LogInformation("User {UserId} disabled", target.Id);
            return Done($"{target.Email} is disabled and can no longer sign in.");
        }, cancellationToken);

    public Task<UserCommandResult> EnableAsync(ClaimsPrincipal user, string userId, CancellationToken cancellationToken = default) =>
        AsAdminAsync(user, nameof(EnableAsync), "enable users", async (actor, users, db) =>
        {
            if (await users.FindByIdAsync(userId) is not { } target)
            {
                return NotFound();
            }

            if (!UserLockout.IsDisabled(target.LockoutEnd))
            {
                return Invalid($"{target.Email} is not disabled.");
            }

            var result = await users.SetLockoutEndDateAsync(target, null);
            if (result.Succeeded)
            {
                result = await users.ResetAccessFailedCountAsync(target);
            }

            if (!result.Succeeded)
            {
                return Invalid(Describe(result));
            }

            Audit(db, actor, AuditAction.EnableUser, target.Email!, null);
            logger.LogInformation("User {UserId} enabled", target.Id);
            return Done($"{target.Email} can sign in again.");
        }, cancellationToken);

    public Task<UserCommandResult> ResetPasswordAsync(ClaimsPrincipal user, string userId, CancellationToken cancellationToken = default) =>
        AsAdminAsync(user, nameof(ResetPasswordAsync), "reset passwords", async (actor, users, db) =>
        {
            if (await users.FindByIdAsync(userId) is not { } target)
            {
                return NotFound();
            }

            // A new stamp first: earlier links (tokens carry the stamp) and open sessions stop working.
            var result = await users.UpdateSecurityStampAsync(target);
            if (!result.Succeeded)
            {
                return Invalid(Describe(result));
            }

            var link = LinkFor(target.Id, await users.GeneratePasswordResetTokenAsync(target));
            Audit(db, actor, AuditAction.ResetUserPassword, target.Email!, "One-time link issued; earlier links and sessions ended");
            logger.LogInformation("Password reset link issued for user {UserId}", target.Id);
            return new UserCommandResult(CommandStatus.Done, $"A one-time link for {target.Email} is ready. It is shown only now.", link);
        }, cancellationToken);

    public async Task<UserCommandResult> ChangeOwnPasswordAsync(
        ClaimsPrincipal user, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (SuppressionCommands.ActorFrom(user) is not { } actor)
        {
            return new UserCommandResult(CommandStatus.Forbidden, "Sign in to change your password.");
        }

        return await RunAsync(nameof(ChangeOwnPasswordAsync), async (users, db) =>
        {
            if (await users.GetUserAsync(user) is not { } self)
            {
                return new UserCommandResult(CommandStatus.Forbidden, "Sign in to change your password.");
            }

            if (string.IsNullOrEmpty(currentPassword) || string.IsNullOrEmpty(newPassword))
            {
                return Invalid("Enter your current password and a new one.");
            }

            var result = await users.ChangePasswordAsync(self, currentPassword, newPassword);
            if (!result.Succeeded)
            {
                return Invalid(result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch))
                    ? "The current password is not correct."
                    : Describe(result));
            }

            Audit(db, actor, AuditAction.ChangeOwnPassword, self.Email ?? actor.Name, null);
            logger.LogInformation("User {UserId} changed their password", self.Id);
            return Done("Your password is changed.");
        }, cancellationToken);
    }

    public async Task<bool> IsResetLinkValidAsync(string userId, string code, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(userId) || DecodeToken(code) is not { } token)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.FindByIdAsync(userId) is { } target
            && await users.VerifyUserTokenAsync(target, users.Options.Tokens.PasswordResetTokenProvider, UserManager<ApplicationUser>.ResetPasswordTokenPurpose, token);
    }

    public Task<UserCommandResult> SetPasswordWithLinkAsync(string userId, string code, string newPassword, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(SetPasswordWithLinkAsync), async (users, db) =>
        {
            if (string.IsNullOrEmpty(userId) || DecodeToken(code) is not { } token || await users.FindByIdAsync(userId) is not { } target)
            {
                return Invalid(InvalidLink);
            }

            var result = await users.ResetPasswordAsync(target, token, newPassword ?? string.Empty);
            if (!result.Succeeded)
            {
                return Invalid(result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)) ? InvalidLink : Describe(result));
            }

            Audit(db, new Actor(target.UserName ?? target.Id, new HashSet<string>()), AuditAction.ChangeOwnPassword, target.Email ?? target.Id,
                "Set through a one-time link");
            logger.LogInformation("User {UserId} set a password through a one-time link", target.Id);
            return Done("Your password is set. Sign in with it.");
        }, cancellationToken);

    public void Dispose() => _gate.Dispose();

    private Task<UserCommandResult> AsAdminAsync(
        ClaimsPrincipal user,
        string command,
        string what,
        Func<Actor, UserManager<ApplicationUser>, BounceDbContext, Task<UserCommandResult>> work,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (SuppressionCommands.ActorFrom(user) is not { IsAdmin: true } actor)
        {
            logger.LogWarning("{Command} refused: user {UserId} is not an Admin", command, user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "(no id)");
            return Task.FromResult(new UserCommandResult(CommandStatus.Forbidden, $"Only an Admin can {what}."));
        }

        return RunAsync(command, (users, db) => work(actor, users, db), cancellationToken);
    }

    /// <summary>
    /// One command: its own scope, one transaction for the Identity changes and the audit entry (committed only when the
    /// work succeeds), and one command at a time.
    /// </summary>
    private async Task<UserCommandResult> RunAsync(
        string command,
        Func<UserManager<ApplicationUser>, BounceDbContext, Task<UserCommandResult>> work,
        CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BounceDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var strategy = db.Database.CreateExecutionStrategy();
            return await strategy.ExecuteAsync(
                async ct =>
                {
                    db.ChangeTracker.Clear();
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    var result = await work(users, db);
                    if (result.Succeeded)
                    {
                        await db.SaveChangesAsync(ct);
                        await transaction.CommitAsync(ct);
                    }

                    return result;
                },
                cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "{Command} failed", command);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<bool> IsLastActiveAdminAsync(UserManager<ApplicationUser> users, ApplicationUser target)
    {
        if (UserLockout.IsDisabled(target.LockoutEnd))
        {
            return false;
        }

        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        return !admins.Any(a => a.Id != target.Id && !UserLockout.IsDisabled(a.LockoutEnd));
    }

    private void Audit(BounceDbContext db, Actor actor, AuditAction action, string target, string? details) =>
        db.AuditLogEntries.Add(AuditLogEntry.Record(time.GetUtcNow(), actor.Name, action, target, reason: null, details));

    private static bool IsAssignable(string? role) => role is not null && AssignableRoles.Contains(role, StringComparer.Ordinal);

    private static string? DecodeToken(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Describe(IdentityResult result) =>
        string.Join(" ", result.Errors.Select(e => e.Description.EndsWith('.') ? e.Description : e.Description + "."));

    private static UserCommandResult Done(string message) => new(CommandStatus.Done, message);

    private static UserCommandResult Invalid(string message) => new(CommandStatus.Invalid, message);

    private static UserCommandResult NotFound() => new(CommandStatus.NotFound, "No such user.");
}
