using System.Data.Common;
using BounceDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// A private SQLite database in memory with the app's real migrations applied (Kavita AbstractDbTest.cs).
/// The connection stays open for the life of the object, because an in-memory database lives only as long
/// as its connection. Create one per test class through <see cref="CreateAsync"/>; dispose it afterwards.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly DbContextOptions<SqliteBounceDbContext> _options;

    private SqliteDatabase()
    {
        _connection = new SqliteConnection("Data Source=:memory:;Foreign Keys=True");
        _connection.Open();
        _options = new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite(_connection).Options;
        Factory = new ContextFactory(this);
    }

    /// <summary>The open connection, for raw SQL checks (PRAGMA index_list and the like).</summary>
    public DbConnection Connection => _connection;

    /// <summary>A factory over the same database, for services that take <see cref="IDbContextFactory{BounceDbContext}"/>.</summary>
    public IDbContextFactory<BounceDbContext> Factory { get; }

    public static async Task<SqliteDatabase> CreateAsync(CancellationToken cancellationToken = default)
    {
        var database = new SqliteDatabase();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync(cancellationToken);
        return database;
    }

    /// <summary>A new context on the shared connection; the caller disposes it.</summary>
    public BounceDbContext CreateContext() => new SqliteBounceDbContext(_options);

    /// <summary>Adds the entities in one SaveChanges through a context of its own.</summary>
    public async Task SeedAsync(params object[] entities)
    {
        await using var db = CreateContext();
        db.AddRange(entities);
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private sealed class ContextFactory(SqliteDatabase database) : IDbContextFactory<BounceDbContext>
    {
        public BounceDbContext CreateDbContext() => database.CreateContext();
    }
}
