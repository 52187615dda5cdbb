using BounceDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// A SQLite file in a temporary folder with the real migrations and WAL, opened by a new connection per context as the
/// app does: for tests where several contexts work at once (concurrency, parallel claims), which one shared in-memory
/// connection cannot run. Dispose it to clear the pools and delete the file.
/// </summary>
public sealed class SqliteFileDatabase : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly DbContextOptions<SqliteBounceDbContext> _options;

    private SqliteFileDatabase(string name, IInterceptor[] interceptors)
    {
        var connection = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_folder.Path, name),
            ForeignKeys = true,
            DefaultTimeout = 60,
        };
        _options = new DbContextOptionsBuilder<SqliteBounceDbContext>()
            .UseSqlite(connection.ToString())
            .AddInterceptors(interceptors)
            .Options;
        Factory = new ContextFactory(this);
    }

    public IDbContextFactory<BounceDbContext> Factory { get; }

    public static async Task<SqliteFileDatabase> CreateAsync(string name, params IInterceptor[] interceptors)
    {
        var database = new SqliteFileDatabase(name, interceptors);
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
        return database;
    }

    /// <summary>A file copy of an in-memory test database (<c>VACUUM INTO</c>), for reading it on several connections at once.</summary>
    public static async Task<SqliteFileDatabase> CopyOfAsync(SqliteDatabase source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var database = new SqliteFileDatabase("copy.db", []);
        await using var command = source.Connection.CreateCommand();
        command.CommandText = "VACUUM INTO $path";
        var path = command.CreateParameter();
        path.ParameterName = "$path";
        path.Value = Path.Combine(database._folder.Path, "copy.db");
        command.Parameters.Add(path);
        await command.ExecuteNonQueryAsync();
        return database;
    }

    public SqliteBounceDbContext CreateContext() => new(_options);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private sealed class ContextFactory(SqliteFileDatabase database) : IDbContextFactory<BounceDbContext>
    {
        public BounceDbContext CreateDbContext() => database.CreateContext();
    }
}
