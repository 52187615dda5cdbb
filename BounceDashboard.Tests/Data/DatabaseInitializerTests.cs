using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace BounceDashboard.Tests.Data;

public sealed class DatabaseInitializerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private ServiceProvider CreateServices(bool seedDemoData = false)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _temp.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = "Data Source=app.db",
            ["Database:SeedDemoData"] = seedDemoData ? "true" : "false",
            ["Database:DemoContacts"] = "400",
            ["Database:DemoCampaigns"] = "6",
        });
        builder.Services.AddLogging();
        builder.AddBounceDashboardData();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public async Task InitializeAsync_ShouldCreateAndMigrateTheFile_WhenTheDatabaseDoesNotExist()
    {
        await using var services = CreateServices();

        await services.InitializeBounceDashboardDataAsync();

        Assert.True(File.Exists(Path.Combine(_temp.Path, "app.db")));
        await using var db = await services.GetRequiredService<IDbContextFactory<BounceDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal("wal", await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync());
    }

    [Fact]
    public async Task InitializeAsync_ShouldChangeNothing_WhenRunTwice()
    {
        await using var services = CreateServices();
        await services.InitializeBounceDashboardDataAsync();

        await services.InitializeBounceDashboardDataAsync();

        await using var db = await services.GetRequiredService<IDbContextFactory<BounceDbContext>>().CreateDbContextAsync();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task InitializeAsync_ShouldAddTheDemoDataOnce_WhenTheDatabaseIsNewAndSeedingIsOn()
    {
        await using var services = CreateServices(seedDemoData: true);

        await services.InitializeBounceDashboardDataAsync();
        await services.InitializeBounceDashboardDataAsync();

        await using var db = await services.GetRequiredService<IDbContextFactory<BounceDbContext>>().CreateDbContextAsync();
        Assert.Equal(400, await db.Contacts.CountAsync());
        Assert.Equal(6, await db.Campaigns.CountAsync());
        Assert.True(await db.Deliveries.AnyAsync());
    }

    [Fact]
    public async Task InitializeAsync_ShouldLeaveTheDatabaseEmpty_WhenSeedingIsOff()
    {
        await using var services = CreateServices(seedDemoData: false);

        await services.InitializeBounceDashboardDataAsync();

        await using var db = await services.GetRequiredService<IDbContextFactory<BounceDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Contacts.AnyAsync());
    }
}
