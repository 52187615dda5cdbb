using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Components;
using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Identity;
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
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            // Formatting follows the browser's languages; there are no translated texts, so the UI culture follows too.
            options.SetDefaultCulture(DisplayCulture.Supported[0])
                .AddSupportedCultures(DisplayCulture.Supported)
                .AddSupportedUICultures(DisplayCulture.Supported);
            options.FallBackToParentCultures = true;
        });
        builder.Services.AddSingleton<UserPreferences>();

        builder.AddBounceDashboardQueries();

        // Commands the pages call (each checks the user's role)
        builder.Services.AddScoped<IAudienceCommands, AudienceCommands>();
    }

    public static void MapBounceDashboardUi(this WebApplication app)
    {
        // Stylesheets and scripts are needed by the login page, before anyone signs in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAudienceExport();
    }
}
