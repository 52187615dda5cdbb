using BounceDashboard.Web.Queries;

namespace BounceDashboard.Web.Hosting;

public static class QueryExtensions
{
    /// <summary>
    /// The read side the pages, exports and benchmarks use: query services that open one DbContext per call from the
    /// factory. Needs <see cref="DataExtensions.AddBounceDashboardData"/>.
    /// </summary>
    public static void AddBounceDashboardQueries(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ICampaignQueries, CampaignQueries>();
        builder.Services.AddScoped<ICampaignResponseQueries, CampaignResponseQueries>();
        builder.Services.AddScoped<IAudienceQueries, AudienceQueries>();
        builder.Services.AddScoped<IDeliveryQueries, DeliveryQueries>();
        builder.Services.AddScoped<IContactQueries, ContactQueries>();
        builder.Services.AddScoped<ICampaignEditorQueries, CampaignEditorQueries>();
        builder.Services.AddScoped<IReviewQueueQueries, ReviewQueueQueries>();
        builder.Services.AddScoped<ISuppressionQueries, SuppressionQueries>();
        builder.Services.AddScoped<BounceReportQueries>();
        builder.Services.AddScoped<IBounceReportQueries>(sp => sp.GetRequiredService<BounceReportQueries>());
        builder.Services.AddScoped<IBounceReportOptions>(sp => sp.GetRequiredService<BounceReportQueries>());
        builder.Services.AddScoped<IAuditLogQueries, AuditLogQueries>();
        builder.Services.AddScoped<IUserQueries, UserQueries>();

        // Admin health and settings (the job side reads Hangfire's JobStorage, registered by AddBounceDashboardJobs)
        builder.Services.AddScoped<IHealthQueries, HealthQueries>();
        builder.Services.AddSingleton<IConfigurationOrigins, ConfigurationOrigins>();
        builder.Services.AddScoped<ISettingsQueries, SettingsQueries>();
    }
}
