using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>Whether a user can sign in.</summary>
public enum UserStatus
{
    Active = 0,
    /// <summary>Disabled by an admin: signing in is refused and open sessions end at their next check.</summary>
    Disabled = 1,
    /// <summary>Locked for a while after too many wrong passwords (Identity's lockout); it ends by itself.</summary>
    LockedOut = 2,
}

/// <summary>
/// How a disabled account is stored: Identity's lockout with no end (<see cref="DisabledUntil"/>), so Identity itself
/// refuses the sign-in, with no column of our own.
/// </summary>
public static class UserLockout
{
    public static readonly DateTimeOffset DisabledUntil = DateTimeOffset.MaxValue;

    public static bool IsDisabled(DateTimeOffset? lockoutEnd) => lockoutEnd == DisabledUntil;

    public static UserStatus StatusOf(DateTimeOffset? lockoutEnd, DateTimeOffset now) =>
        IsDisabled(lockoutEnd) ? UserStatus.Disabled : lockoutEnd > now ? UserStatus.LockedOut : UserStatus.Active;
}

/// <summary>A user as the users page lists them; <see cref="Role"/> is null for a user without a role.</summary>
public sealed record UserRow(string Id, string Email, string? Role, UserStatus Status, DateTimeOffset? LockedUntil);

public interface IUserQueries
{
    /// <summary>A page of users by address, optionally those whose address starts with <paramref name="search"/>.</summary>
    Task<PagedResult<UserRow>> ListAsync(string? search, PageRequest page, CancellationToken cancellationToken = default);
}

/// <summary>
/// The users' read side, straight from Identity's tables: the user's normalised e-mail (the unique
/// <c>EmailIndex</c>/<c>UserNameIndex</c> answer the prefix as a range and the order) and their role by key.
/// </summary>
public sealed class UserQueries(IDbContextFactory<BounceDbContext> dbFactory, TimeProvider time) : IUserQueries
{
    public async Task<PagedResult<UserRow>> ListAsync(string? search, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var prefix = search.Trim().ToUpperInvariant();
            var upper = DeliveryQueries.NextPrefix(prefix);
#pragma warning disable CA1309 // Translated to SQL's own (binary) comparison; EF has no translation for the overload with a StringComparison.
            users = users.Where(u => string.Compare(u.NormalizedEmail, prefix) >= 0 && string.Compare(u.NormalizedEmail, upper) < 0);
#pragma warning restore CA1309
        }

        var total = await users.CountAsync(cancellationToken);
        if (total == 0 || page.Skip >= total)
        {
            return new PagedResult<UserRow>([], total);
        }

        var rows = await users
            .OrderBy(u => u.NormalizedEmail)
            .Skip(page.Skip)
            .Take(page.Take)
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.UserName,
                u.LockoutEnd,
                Role = (from ur in db.UserRoles
                        join r in db.Roles on ur.RoleId equals r.Id
                        where ur.UserId == u.Id
                        orderby r.Name
                        select r.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var items = rows
            .Select(u =>
            {
                var status = UserLockout.StatusOf(u.LockoutEnd, now);
                return new UserRow(u.Id, u.Email ?? u.UserName ?? u.Id, u.Role, status, status == UserStatus.LockedOut ? u.LockoutEnd : null);
            })
            .ToList();
        return new PagedResult<UserRow>(items, total);
    }
}
