using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>The app's SQLite connections run in WAL mode with synchronous=NORMAL (one sync per checkpoint, not per commit).</summary>
public sealed class SqlitePragmaTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private SqliteBounceDbContext Open() => new(new DbContextOptionsBuilder<SqliteBounceDbContext>()
        .UseSqlite($"Data Source={Path.Combine(_temp.Path, "pragmas.db")}")
        .Options);

    private static async Task<string> PragmaAsync(BounceDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [Fact]
    public async Task OpenConnection_ShouldUseWalWithSynchronousNormal_WhenTheContextOpensAFileDatabase()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();

        await db.Database.OpenConnectionAsync();

        Assert.Equal("wal", await PragmaAsync(db, "journal_mode"));
        Assert.Equal("1", await PragmaAsync(db, "synchronous"));
    }
}
