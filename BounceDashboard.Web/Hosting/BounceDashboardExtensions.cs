using BounceDashboard.Web.Api.Webhooks;
using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Tracking;

namespace BounceDashboard.Web.Hosting;

/// <summary>The composition root, one call per concern (eShop Extensions.cs style).</summary>
public static class BounceDashboardExtensions
{
    public static void AddBounceDashboard(this WebApplicationBuilder builder)
    {
        builder.AddBounceDashboardData();
        builder.AddBounceDashboardRules();
        builder.AddBounceDashboardInbound();
        builder.AddBounceDashboardSending();
        builder.AddBounceDashboardIdentity();
        builder.AddBounceDashboardDataProtection();
        builder.AddBounceDashboardUi();
        builder.AddBounceDashboardExports();
        builder.AddBounceDashboardWebhooks();
        builder.AddBounceDashboardJobs();
        builder.AddBounceDashboardReverseProxy();
        builder.AddBounceDashboardHealthChecks();
        builder.AddBounceDashboardApi();
    }

    /// <summary>Migrates and seeds the database, then builds the request pipeline.</summary>
    public static async Task UseBounceDashboardAsync(this WebApplication app)
    {
        app.WarnIfDemoDataOutsideDevelopment();
        await app.Services.InitializeBounceDashboardDataAsync();
        await app.SeedBounceDashboardIdentityAsync();

        // Before anything that reads the scheme or the client address (HSTS, cookies, redirects).
        app.UseBounceDashboardReverseProxy();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }

        // Figures and dates in the browser's culture (DisplayCulture); a circuit keeps the culture of its first request.
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: the API's rate limit is per key, and the key's principal is known only then.
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapBounceDashboardUi();
        app.MapAccountEndpoints();
        app.MapBounceDashboardJobs();
        app.MapBounceDashboardHealthChecks();
        app.MapBounceDashboardTracking();
        app.MapBounceDashboardExports();
        app.MapBounceDashboardApiAndDocument();
        app.MapWebhooks();
    }
}
