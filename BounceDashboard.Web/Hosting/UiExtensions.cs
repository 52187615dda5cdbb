using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Components;
using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Identity;
using BounceDashboard.Web.Notifications;
using MudBlazor.Services;

namespace BounceDashboard.Web.Hosting;

public static class UiExtensions
{
    /// <summary>Blazor Server with MudBlazor, and the query services the pages read through.</summary>
    public static void AddBounceDashboardUi(this IHostApplicationBuilder builder)
    {
        // A campaign body reaches the server in one change event: SignalR's default 32 KB limit would drop the circuit
        // for an ordinary newsletter. Room for the longest body (UTF-8, up to 4 bytes a character) and the event's envelope.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(options => options.MaximumReceiveMessageSize = (Campaign.BodyMaxLength * 4L) + (64 * 1024));
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
        // One instance: it runs user commands one at a time (the last-Admin rule), each in its own scope.
        builder.Services.AddSingleton<IUserCommands, UserCommands>();

        // Live refresh: commands notify after their commit, open pages reload
        builder.Services.AddSingleton<DashboardNotifier>();
    }

    public static void MapBounceDashboardUi(this WebApplication app)
    {
        // Stylesheets and scripts are needed by the login page, before anyone signs in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAudienceExport();
        app.MapAuditLogExport();
        app.MapSuppressionExport();
    }
}
