using BounceDashboard.Web.Components;
using BounceDashboard.Web.Notifications;
using BounceDashboard.Web.Queries;
using MudBlazor.Services;

namespace BounceDashboard.Web.Hosting;

public static class UiExtensions
{
    /// <summary>Blazor Server with MudBlazor, and the query services the pages read through.</summary>
    public static void AddBounceDashboardUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddScoped<BrowserTimeZone>();

        // Read side: one DbContext per call, from the factory
        builder.Services.AddScoped<ICampaignQueries, CampaignQueries>();
        builder.Services.AddScoped<ICampaignResponseQueries, CampaignResponseQueries>();

        // Live refresh: commands notify after their commit, open pages reload
        builder.Services.AddSingleton<DashboardNotifier>();
    }

    public static void MapBounceDashboardUi(this WebApplication app)
    {
        // Stylesheets and scripts are needed by the login page, before anyone signs in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
