using BounceDashboard.Web.Hosting;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace BounceDashboard.Tests.Polling;

/// <summary><c>Hangfire:Role</c>: which instances run a Hangfire server (the wiring only; the database is never opened).</summary>
public sealed class JobsRoleTests
{
    private const string SqlServer = "Server=127.0.0.1,1;Database=BounceDashboard;User Id=none;Password=none;TrustServerCertificate=True";

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    private static Dictionary<string, string?> OnSqlServer(string? role) => new()
    {
        ["Database:Provider"] = "SqlServer",
        ["ConnectionStrings:SqlServer"] = SqlServer,
        ["Hangfire:Role"] = role,
    };

    /// <summary>The hosted services registered as Hangfire's server (AddHangfireServer registers it through a factory).</summary>
    private static int HangfireServers(IServiceCollection services) =>
        services.Count(d => d.ServiceType == typeof(IHostedService)
            && (d.ImplementationType ?? d.ImplementationFactory?.Method.ReturnType ?? d.ImplementationInstance?.GetType()) == typeof(BackgroundJobServerHostedService));

    [Theory]
    [InlineData(null, 1)]
    [InlineData("All", 1)]
    [InlineData("Worker", 1)]
    [InlineData("Web", 0)]
    public void AddBounceDashboardJobs_ShouldRunAHangfireServerOnlyOutsideTheWebRole_WhenARoleIsConfigured(string? role, int servers)
    {
        var builder = Builder(OnSqlServer(role));
        builder.AddBounceDashboardData();

        builder.AddBounceDashboardJobs();

        Assert.Equal(servers, HangfireServers(builder.Services));
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(IBackgroundJobClient));
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(IRecurringJobManager));
    }

    [Theory]
    [InlineData("Web")]
    [InlineData("Worker")]
    public void AddBounceDashboardJobs_ShouldRefuseNamingTheSettings_WhenARoleIsSetOnSqlite(string role)
    {
        var builder = Builder(new() { ["Hangfire:Role"] = role });
        builder.AddBounceDashboardData();

        var error = Assert.Throws<InvalidOperationException>(builder.AddBounceDashboardJobs);

        Assert.Contains("Hangfire:Role", error.Message, StringComparison.Ordinal);
        Assert.Contains("SqlServer", error.Message, StringComparison.Ordinal);
    }
}
