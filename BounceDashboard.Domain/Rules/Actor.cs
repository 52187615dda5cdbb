using BounceDashboard.Domain.Security;

namespace BounceDashboard.Domain.Rules;

/// <summary>
/// Who asks for an admin action, as the web app authenticated them (built from the ClaimsPrincipal server-side).
/// The domain re-checks the role so no caller can skip it by mistake.
/// </summary>
public sealed record Actor(string Name, IReadOnlyCollection<string> Roles)
{
    public bool IsAdmin => Roles.Contains(Security.Roles.Admin, StringComparer.Ordinal);
}
