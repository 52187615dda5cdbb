using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Cli;

/// <summary>The host the database verbs (<c>ingest</c>, <c>reclassify</c>, <c>send</c>) build: the app's configuration, database, rules, inbound and sending services.</summary>
internal static class CliHost
{
    /// <summary>The app's own configuration: appsettings, the environment (ASPNETCORE_ENVIRONMENT as for the web app), environment variables.</summary>
    /// <remarks>
    /// Without a file watcher on the settings: the content root is the folder the command runs in, which may hold the
    /// database, and a watcher there wakes on every write of a long <c>ingest</c> (about a second of CPU per run).
    /// </remarks>
    public static HostApplicationBuilder CreateDefaultBuilder()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new KeyValuePair<string, string?>("hostBuilder:reloadConfigOnChange", "false")]);
        return Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"),
            ContentRootPath = Directory.GetCurrentDirectory(),
            Configuration = configuration,
        });
    }

    /// <summary>
    /// Builds the host, migrates the database and resolves <typeparamref name="TService"/>; on a configuration error
    /// (a missing tracking key) writes the validation messages and returns null.
    /// </summary>
    public static async Task<(IHost Host, TService Service)?> StartAsync<TService>(
        Func<HostApplicationBuilder> createBuilder, string verb, TextWriter errorOutput, CancellationToken cancellationToken)
        where TService : notnull
    {
        var builder = createBuilder();

        // Standard output carries one JSON line per message; every log line goes to standard error, and EF Core's
        // SQL only when configured (a new database would otherwise print its whole migration).
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.AddBounceDashboardData();
        builder.AddBounceDashboardRules();
        builder.AddBounceDashboardInbound();
        builder.AddBounceDashboardSending();
        // The campaign editor's commands enqueue Hangfire jobs, and the command line has no Hangfire: no verb uses them,
        // and in Development (ValidateOnBuild) their registration alone stopped every database verb at start.
        builder.Services.RemoveAll<CampaignDraftCommands>();
        var host = builder.Build();
        try
        {
            await host.Services.GetRequiredService<DatabaseInitializer>().MigrateAsync(cancellationToken);
            return (host, host.Services.GetRequiredService<TService>());
        }
        catch (OptionsValidationException ex)
        {
            host.Dispose();
            foreach (var failure in ex.Failures)
            {
                await errorOutput.WriteLineAsync($"{verb}: {failure}");
            }

            return null;
        }
    }
}
