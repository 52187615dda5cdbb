using BounceDashboard.Web.Data;
using BounceDashboard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

public class DataExtensionsTests
{
    private static HostApplicationBuilder CreateBuilder(string contentRoot, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return builder;
    }

    [Fact]
    public void ResolveSqliteConnectionString_ShouldPlaceTheFileInTheContentRoot_WhenThePathIsRelative()
    {
        var contentRoot = Path.Combine(Path.GetTempPath(), "app-root");

        var resolved = DataExtensions.ResolveSqliteConnectionString("Data Source=bouncedashboard.db", contentRoot);

        Assert.Equal($"Data Source={Path.Combine(contentRoot, "bouncedashboard.db")}", resolved);
    }

    [Fact]
    public void ResolveSqliteConnectionString_ShouldUseTheDefaultFile_WhenNothingIsConfigured()
    {
        var contentRoot = Path.Combine(Path.GetTempPath(), "app-root");

        var resolved = DataExtensions.ResolveSqliteConnectionString(null, contentRoot);

        Assert.Equal($"Data Source={Path.Combine(contentRoot, "bouncedashboard.db")}", resolved);
    }

    [Theory]
    [InlineData("Data Source=/var/lib/bounce/app.db")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=shared;Mode=Memory;Cache=Shared")]
    public void ResolveSqliteConnectionString_ShouldKeepTheDataSource_WhenItIsAbsoluteOrInMemory(string configured)
    {
        var resolved = DataExtensions.ResolveSqliteConnectionString(configured, "/somewhere/else");

        Assert.DoesNotContain("/somewhere/else", resolved, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddBounceDashboardData_ShouldRegisterSqliteContexts_WhenTheProviderIsSqlite()
    {
        var builder = CreateBuilder(Path.GetTempPath(),
            ("Database:Provider", "Sqlite"), ("ConnectionStrings:Sqlite", "Data Source=:memory:"));

        builder.AddBounceDashboardData();
        await using var services = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        var factory = services.GetRequiredService<IDbContextFactory<BounceDbContext>>();
        await using var created = await factory.CreateDbContextAsync();
        Assert.IsType<SqliteBounceDbContext>(created);
        await using var scope = services.CreateAsyncScope();
        Assert.IsType<SqliteBounceDbContext>(scope.ServiceProvider.GetRequiredService<BounceDbContext>());
        Assert.NotNull(services.GetRequiredService<DatabaseInitializer>());
    }

    [Fact]
    public async Task AddBounceDashboardData_ShouldRegisterSqlServerContexts_WhenTheProviderIsSqlServer()
    {
        var builder = CreateBuilder(Path.GetTempPath(),
            ("Database:Provider", "SqlServer"), ("ConnectionStrings:SqlServer", "Server=sqlserver.invalid;Database=x;TrustServerCertificate=true"));

        builder.AddBounceDashboardData();
        await using var services = builder.Services.BuildServiceProvider();

        await using var created = await services.GetRequiredService<IDbContextFactory<BounceDbContext>>().CreateDbContextAsync();
        Assert.IsType<SqlServerBounceDbContext>(created);
    }

    [Fact]
    public void AddBounceDashboardData_ShouldThrow_WhenSqlServerHasNoConnectionString()
    {
        var builder = CreateBuilder(Path.GetTempPath(), ("Database:Provider", "SqlServer"));

        var error = Assert.Throws<InvalidOperationException>(builder.AddBounceDashboardData);

        Assert.Contains("ConnectionStrings:SqlServer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddBounceDashboardData_ShouldThrow_WhenTheProviderIsUnknown()
    {
        var builder = CreateBuilder(Path.GetTempPath(), ("Database:Provider", "Oracle"));

        Assert.Throws<InvalidOperationException>(builder.AddBounceDashboardData);
    }
}
