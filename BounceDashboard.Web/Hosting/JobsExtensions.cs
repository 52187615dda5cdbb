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
    /// <summary>
    /// Hangfire client, and a server unless <c>Hangfire:Role</c> is Web; storage follows <c>Database:Provider</c>.
    /// Needs the data registrations (the provider is read from them).
    /// </summary>
    public static void AddBounceDashboardJobs(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(JobsOptions.SectionName);
        builder.Services.AddOptions<JobsOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The role decides whether a server is registered, so it is read and checked now.
        var jobs = section.Get<JobsOptions>() ?? new JobsOptions();
        var provider = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;
        if (jobs.Role != JobsRole.All && provider != DatabaseProvider.SqlServer)
        {
            throw new InvalidOperationException(
                $"Hangfire:Role {jobs.Role} needs Database:Provider SqlServer: with {provider}, jobs are kept in memory in each " +
                "process, so a job enqueued by a web instance would never reach a worker. Use Role All (the default).");
        }

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
        if (jobs.RunsServer)
        {
            builder.Services.AddHangfireServer((services, server) =>
                server.WorkerCount = services.GetRequiredService<IOptions<JobsOptions>>().Value.WorkerCount);
        }
    }

    /// <summary>
    /// The dashboard sits behind sign-in (fallback policy) and opens to Admins only (filter). Every instance, whatever
    /// its role, registers the recurring jobs under the same ids: AddOrUpdate replaces, so they exist once in the storage.
    /// </summary>
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
