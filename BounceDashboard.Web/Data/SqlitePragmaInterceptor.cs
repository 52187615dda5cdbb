using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BounceDashboard.Web.Data;

/// <summary>
/// Sets every SQLite connection the app opens to write-ahead logging with <c>synchronous=NORMAL</c>, the combination
/// SQLite's documentation recommends for WAL. A commit then appends to the WAL file without waiting for the disk; the
/// WAL is synced at checkpoints. Durability trade-off: a commit survives a crash of the application (the process can
/// be killed at any point and every committed transaction is there on restart, and the database is never corrupted),
/// but a power loss or an operating-system crash can roll back the last transactions committed before it. The default
/// rollback journal with <c>synchronous=FULL</c> syncs the disk several times per commit, which limited ingest to about
/// 250 messages per second. Readers no longer block the writer, and the writer no longer blocks readers.
/// </summary>
/// <remarks>
/// WAL mode is stored in the database file; setting it again on an open is a no-op. An in-memory database keeps its
/// <c>memory</c> journal (the pragma answers "memory" and changes nothing).
/// </remarks>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    public const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";

    public static SqlitePragmaInterceptor Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
