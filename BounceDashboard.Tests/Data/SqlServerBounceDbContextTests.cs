using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>SQL Server cannot run here: these prove its model builds and its migration script generates, offline.</summary>
public class SqlServerBounceDbContextTests
{
    // Never opened: building the model and scripting migrations need no server.
    private const string UnreachableServer = "Server=sqlserver.invalid;Database=BounceDashboard;User Id=none;Password=none;TrustServerCertificate=true";

    private static SqlServerBounceDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SqlServerBounceDbContext>().UseSqlServer(UnreachableServer).Options);

    [Fact]
    public void GenerateScript_ShouldCreateEveryTableAndIndexOfTheModel_WhenScriptingFromEmpty()
    {
        using var db = CreateContext();

        var script = db.GetService<IMigrator>().GenerateScript();

        foreach (var entityType in db.Model.GetEntityTypes())
        {
            var table = entityType.GetTableName();
            Assert.True(script.Contains($"CREATE TABLE [{table}]", StringComparison.Ordinal), $"no CREATE TABLE for {table}");
            foreach (var index in entityType.GetIndexes())
            {
                var name = index.GetDatabaseName();
                Assert.True(script.Contains($"INDEX [{name}] ON [{table}]", StringComparison.Ordinal), $"no index {name} on {table}");
            }
        }
    }

    [Fact]
    public void GenerateScript_ShouldIncludeTheIdentityTables_WhenScriptingFromEmpty()
    {
        using var db = CreateContext();

        var script = db.GetService<IMigrator>().GenerateScript();

        Assert.Contains("CREATE TABLE [AspNetUsers]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [AspNetRoles]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [AspNetUserRoles]", script, StringComparison.Ordinal);
    }

    [Fact]
    public void HasPendingModelChanges_ShouldBeFalse_WhenTheMigrationsAreUpToDate()
    {
        using var db = CreateContext();

        Assert.False(db.Database.HasPendingModelChanges(),
            "The SQL Server model differs from its last migration: add a migration to Data/Migrations/SqlServer.");
    }

    [Fact]
    public void GetMigrations_ShouldListOnlySqlServerMigrations_WhenAskedByTheSqlServerContext()
    {
        using var db = CreateContext();

        var migrations = db.Database.GetMigrations().ToList();

        Assert.NotEmpty(migrations);
        var assembly = db.GetService<IMigrationsAssembly>();
        Assert.All(assembly.Migrations.Values, type =>
            Assert.Equal("BounceDashboard.Web.Data.Migrations.SqlServer", type.Namespace));
    }

    [Theory]
    [InlineData("Contacts")]
    [InlineData("Deliveries")]
    public void GenerateScript_ShouldGiveTheTableARowVersion_WhenTwoEventsCanChangeItAtOnce(string table)
    {
        // Issue 9: optimistic concurrency on SQL Server is the server's own rowversion.
        using var db = CreateContext();

        var script = db.GetService<IMigrator>().GenerateScript();
        var entity = db.Model.GetEntityTypes().Single(e => e.GetTableName() == table);
        var token = entity.FindProperty(Web.Data.Configurations.ConcurrencyTokens.RowVersion);

        Assert.NotNull(token);
        Assert.True(token.IsConcurrencyToken);
        Assert.Contains($"ALTER TABLE [{table}] ADD [RowVersion] rowversion", script, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateExecutionStrategy_ShouldRetryTransientFailures_WhenConfiguredAsTheAppDoes()
    {
        using var db = new SqlServerBounceDbContext(
            new DbContextOptionsBuilder<SqlServerBounceDbContext>().UseSqlServer(UnreachableServer, Web.Hosting.DataExtensions.SqlServerOptions).Options);

        Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure);
    }
}
