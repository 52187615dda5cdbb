using BounceDashboard.Web.Hosting;
using BounceDashboard.Web.Queries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BounceDashboard.Benchmarks.Pages;

/// <summary>
/// The pages' queries as a user runs them, on the app's own services (its DbContext factory, SQLite pragmas and query
/// services), against a seed-demo database. Ids are picked from the database, so any seed works.
/// </summary>
public static class PageScenarios
{
    /// <summary>The app's data and query services over the SQLite file at <paramref name="databasePath"/> (no migration run).</summary>
    public static IServiceProvider CreateServices(string databasePath)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration["Database:Provider"] = "Sqlite";
        builder.Configuration["ConnectionStrings:Sqlite"] = $"Data Source={databasePath}";
        builder.Logging.ClearProviders();
        builder.AddBounceDashboardData();
        builder.AddBounceDashboardQueries();
        return builder.Build().Services;
    }

    public static Task<IReadOnlyList<PageScenario>> ForAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        _ = services;
        _ = cancellationToken;
        IReadOnlyList<PageScenario> scenarios =
        [
            new("Campaigns", "first page", (sp, ct) => Scoped<ICampaignQueries>(sp, q => q.ListAsync(new PageRequest(0, 25), ct))),
        ];
        return Task.FromResult(scenarios);
    }

    private static async Task Scoped<TService>(IServiceProvider services, Func<TService, Task> call)
        where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        await call(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
