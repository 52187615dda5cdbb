using BounceDashboard.Web.Data;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Options;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.SqlServer;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Hosting;

public static class JobsExtensions
{
    /// <summary>Hangfire client and server; storage follows <c>Database:Provider</c>.</summary>
    public static void AddBounceDashboardJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>()
            .BindConfiguration(JobsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddHangfire((services, configuration) =>
        {
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();

            var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            switch (database.Provider)
            {
                case DatabaseProvider.Sqlite:
                    // Job state that matters lives in our tables, so losing this queue on restart costs one cycle.
                    configuration.UseInMemoryStorage(new InMemoryStorageOptions());
                    break;
                case DatabaseProvider.SqlServer:
                    var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseOptions.SqlServerConnectionStringName)
                        ?? throw new InvalidOperationException("ConnectionStrings:SqlServer is required when Database:Provider is SqlServer.");
                    configuration.UseSqlServerStorage(connectionString, new SqlServerStorageOptions());
                    break;
                default:
                    throw new InvalidOperationException($"Unknown Database:Provider '{database.Provider}'.");
            }
        });
        builder.Services.AddHangfireServer((services, server) =>
            server.WorkerCount = services.GetRequiredService<IOptions<JobsOptions>>().Value.WorkerCount);
    }

    /// <summary>The dashboard sits behind sign-in (fallback policy) and opens to Admins only (filter).</summary>
    public static void MapBounceDashboardJobs(this WebApplication app)
    {
        var jobs = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
        app.MapHangfireDashboard(jobs.DashboardPath, new DashboardOptions
        {
            Authorization = [new HangfireDashboardAuthorizationFilter()],
            DisplayStorageConnectionString = false,
        });
        RecurringJobs.Register(
            app.Services.GetRequiredService<IRecurringJobManager>(),
            app.Services.GetRequiredService<IOptions<MailboxesOptions>>().Value.Mailboxes);
    }
}
