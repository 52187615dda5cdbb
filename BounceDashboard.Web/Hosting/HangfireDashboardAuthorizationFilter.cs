using BounceDashboard.Domain.Security;
using Hangfire.Dashboard;

namespace BounceDashboard.Web.Hosting;

/// <summary>Opens the Hangfire dashboard to signed-in Admins only (Hangfire's default allows any local request).</summary>
public sealed class HangfireDashboardAuthorizationFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Admin);
    }
}
