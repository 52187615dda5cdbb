using System.Security.Claims;
using BounceDashboard.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace BounceDashboard.Web.Identity;

/// <summary>
/// A signed-in user's display preferences, remembered per user (not per browser) as Identity user claims, so no schema
/// change is needed for each new preference. Each call opens its own scope: the Identity stores' DbContext is never held
/// for the life of a Blazor circuit.
/// </summary>
public sealed class UserPreferences(IServiceScopeFactory scopes)
{
    /// <summary>The claim type of the dark-mode preference ("true"/"false").</summary>
    public const string DarkModeClaim = "bouncedashboard:dark-mode";

    /// <summary>The user's dark-mode choice, or null when they never chose (the page then follows the system).</summary>
    public async Task<bool?> GetDarkModeAsync(ClaimsPrincipal principal)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return null;
        }

        var claim = (await users.GetClaimsAsync(user)).FirstOrDefault(c => c.Type == DarkModeClaim);
        return claim is null ? null : bool.TryParse(claim.Value, out var dark) && dark;
    }

    /// <summary>Remembers the user's choice; a principal that is not a stored user changes nothing.</summary>
    public async Task SetDarkModeAsync(ClaimsPrincipal principal, bool dark)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return;
        }

        var value = dark ? "true" : "false";
        var existing = (await users.GetClaimsAsync(user)).Where(c => c.Type == DarkModeClaim).ToList();
        if (existing.Count == 1 && existing[0].Value == value)
        {
            return;
        }

        if (existing.Count > 0)
        {
            await users.RemoveClaimsAsync(user, existing);
        }

        var result = await users.AddClaimAsync(user, new Claim(DarkModeClaim, value));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not save the dark-mode preference of user {user.Id}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
