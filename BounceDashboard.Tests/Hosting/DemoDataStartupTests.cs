using System.Globalization;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Seeding;
using BounceDashboard.Web.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

/// <summary>A first production start must not write the demo contacts; only Development seeds them by default.</summary>
public sealed class DemoDataStartupTests
{
    private static async Task<int> CountContactsAsync(ConfiguredBounceDashboardApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BounceDbContext>();
        return await db.Contacts.CountAsync();
    }

    [Fact]
    public async Task UseBounceDashboardAsync_ShouldAddNoContacts_WhenProductionStartsOnAnEmptyDatabase()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();

        Assert.Equal(0, await CountContactsAsync(app));
        Assert.DoesNotContain(app.Logs.Logs, e => e.Level >= LogLevel.Warning && e.Category.Contains("BounceDashboard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UseBounceDashboardAsync_ShouldSeedAndWarn_WhenDemoDataIsTurnedOnExplicitlyInProduction()
    {
        (string Key, string? Value)[] settings =
        [
            ("Database:SeedDemoData", "true"),
            ("Database:DemoContacts", DemoDataSize.MinimumContacts.ToString(CultureInfo.InvariantCulture)),
            ("Database:DemoCampaigns", "1"),
        ];
        await using var app = await ConfiguredBounceDashboardApp.Production(settings).StartAsync();

        Assert.Equal(DemoDataSize.MinimumContacts, await CountContactsAsync(app));
        var warning = Assert.Single(app.Logs.Logs, e => e.Level == LogLevel.Warning && e.Message.Contains("Database:SeedDemoData", StringComparison.Ordinal));
        Assert.Contains("Production", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DatabaseOptions_ShouldNotSeedDemoData_WhenNothingIsConfigured()
    {
        Assert.False(new DatabaseOptions().SeedDemoData);
    }
}
