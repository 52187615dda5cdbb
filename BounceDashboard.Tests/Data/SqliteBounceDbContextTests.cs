using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xunit;

namespace BounceDashboard.Tests.Data;

public class SqliteBounceDbContextTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task MigrateAsync_ShouldApplyEveryMigration_WhenTheDatabaseIsNew()
    {
        await using var db = _database.CreateContext();

        var applied = await db.Database.GetAppliedMigrationsAsync();

        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public void HasPendingModelChanges_ShouldBeFalse_WhenTheMigrationsAreUpToDate()
    {
        using var db = _database.CreateContext();

        Assert.False(db.Database.HasPendingModelChanges(),
            "The SQLite model differs from its last migration: add a migration to Data/Migrations/Sqlite.");
    }

    [Fact]
    public void Migrations_ShouldComeOnlyFromTheSqliteSet_WhenAskedByTheSqliteContext()
    {
        using var db = _database.CreateContext();

        var assembly = db.GetService<IMigrationsAssembly>();

        Assert.NotEmpty(assembly.Migrations);
        Assert.All(assembly.Migrations.Values, type =>
            Assert.Equal("BounceDashboard.Web.Data.Migrations.Sqlite", type.Namespace));
    }

    [Fact]
    public async Task Migrations_ShouldCreateEveryTableAndIndexOfTheModel_WhenApplied()
    {
        await using var db = _database.CreateContext();
        var tables = await QueryNamesAsync("SELECT name FROM sqlite_master WHERE type = 'table'");
        var indexes = await QueryNamesAsync("SELECT name FROM sqlite_master WHERE type = 'index'");

        foreach (var entityType in db.Model.GetEntityTypes())
        {
            Assert.Contains(entityType.GetTableName()!, tables);
            foreach (var index in entityType.GetIndexes())
            {
                Assert.Contains(index.GetDatabaseName()!, indexes);
            }
        }
    }

    private async Task<HashSet<string>> QueryNamesAsync(string sql)
    {
        await using var command = _database.Connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
