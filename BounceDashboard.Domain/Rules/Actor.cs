using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Rules;

/// <summary>
/// Who asks for an admin action, as the web app authenticated them (built from the ClaimsPrincipal server-side).
/// The domain re-checks the role so no caller can skip it by mistake.
/// </summary>
public sealed record Actor(string Name, IReadOnlyCollection<string> Roles)
{
    public bool IsAdmin => Roles.Contains(Security.Roles.Admin, StringComparer.Ordinal);

    /// <summary>Throws <see cref="ForbiddenActionException"/> unless the actor is an Admin; <paramref name="action"/> completes "only an Admin can ...".</summary>
    public void EnsureAdmin(string action)
    {
        if (!IsAdmin)
        {
            throw new ForbiddenActionException($"'{Name}' is not an Admin: only an Admin can {action}.");
        }
    }
}

/// <summary>Thrown when an actor lacks the role an action needs. The web layer maps it to 403 (or a refusal on the page).</summary>
public sealed class ForbiddenActionException(string message) : DomainException(message);
