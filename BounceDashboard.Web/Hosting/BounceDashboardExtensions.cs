namespace BounceDashboard.Web.Hosting;

/// <summary>The composition root, one call per concern (eShop Extensions.cs style).</summary>
public static class BounceDashboardExtensions
{
    public static void AddBounceDashboard(this WebApplicationBuilder builder)
    {
        builder.AddBounceDashboardData();
        builder.AddBounceDashboardRules();
        builder.AddBounceDashboardInbound();
        builder.AddBounceDashboardIdentity();
        builder.AddBounceDashboardUi();
        builder.AddBounceDashboardJobs();
    }

    /// <summary>Migrates and seeds the database, then builds the request pipeline.</summary>
    public static async Task UseBounceDashboardAsync(this WebApplication app)
    {
        await app.Services.InitializeBounceDashboardDataAsync();
        await app.SeedBounceDashboardIdentityAsync();

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapBounceDashboardUi();
        app.MapAccountEndpoints();
        app.MapBounceDashboardJobs();
    }
}
