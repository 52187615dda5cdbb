using System.Globalization;
using System.Text;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.Data.Sqlite;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>
/// Bulk inserts for SQLite: one prepared INSERT per table whose parameters are reused for every row, one transaction
/// per batch, WAL with synchronous=OFF for the session (a crash costs only the seed, which can be rerun). Indexes stay
/// in place, so the database is ready to query when the seed ends. Foreign keys are checked once at the end
/// (<c>PRAGMA foreign_key_check</c>) rather than per row, so tables may be written in any order. The connection's own
/// settings are restored on dispose.
/// </summary>
/// <remarks>
/// Single-row statements on purpose: Microsoft.Data.Sqlite binds parameters by name on every execution, and SQLite
/// looks names up linearly, so a multi-row statement with thousands of parameters costs more than it saves.
/// </remarks>
public sealed class SqliteBulkInserter : IBulkInserter
{
    private readonly SqliteConnection _connection;
    private readonly string _restore;
    private readonly Dictionary<BulkTable, (SqliteCommand Command, SqliteParameter[] Parameters)> _commands = [];

    private SqliteBulkInserter(SqliteConnection connection, string restore)
    {
        _connection = connection;
        _restore = restore;
    }

    /// <summary>Opens the connection if needed and sets the session's pragmas. The caller keeps ownership of the connection.</summary>
    public static async Task<SqliteBulkInserter> OpenAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        var foreignKeys = await ScalarAsync(connection, "PRAGMA foreign_keys", cancellationToken);
        var synchronous = await ScalarAsync(connection, "PRAGMA synchronous", cancellationToken);
        var cacheSize = await ScalarAsync(connection, "PRAGMA cache_size", cancellationToken);
        var restore = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA foreign_keys={foreignKeys}; PRAGMA synchronous={synchronous}; PRAGMA cache_size={cacheSize};");
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-524288; PRAGMA temp_store=MEMORY;", cancellationToken);
        return new SqliteBulkInserter(connection, restore);
    }

    public Task WriteAsync(IReadOnlyList<BulkRows> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var transaction = _connection.BeginTransaction();
        foreach (var (table, rows) in batch)
        {
            var (command, parameters) = GetCommand(table);
            command.Transaction = transaction;
            var columns = table.Columns;
            foreach (var row in rows)
            {
                for (var c = 0; c < parameters.Length; c++)
                {
                    parameters[c].Value = columns[c].ToProvider(row[c]);
                }

                command.ExecuteNonQuery();
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await using (var check = _connection.CreateCommand())
        {
            check.CommandText = "PRAGMA foreign_key_check";
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException(
                    $"Bulk insert left a broken reference: a row of {reader.GetString(0)} points to a missing {reader.GetString(2)}.");
            }
        }

        // The statistics tables, counted once from the loaded rows: the triggers ran while rows arrived in any order.
        foreach (var sql in StatisticsTriggers.SqliteRebuild().Concat(AudienceStatisticsTriggers.SqliteRebuild()))
        {
            await ExecuteAsync(_connection, sql, cancellationToken);
        }

        // Statistics for the planner on the big tables (sampled, so it takes seconds), then fold the WAL back in.
        await ExecuteAsync(_connection, "PRAGMA analysis_limit=1000; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (command, _) in _commands.Values)
        {
            await command.DisposeAsync();
        }

        _commands.Clear();
        await ExecuteAsync(_connection, _restore, CancellationToken.None);
    }

    private (SqliteCommand Command, SqliteParameter[] Parameters) GetCommand(BulkTable table)
    {
        if (_commands.TryGetValue(table, out var cached))
        {
            return cached;
        }

        var command = _connection.CreateCommand();
        var parameters = table.Columns
            .Select((_, i) => command.Parameters.Add(new SqliteParameter(string.Create(CultureInfo.InvariantCulture, $"$p{i}"), DBNull.Value)))
            .ToArray();
        command.CommandText = new StringBuilder()
            .Append("INSERT INTO \"").Append(table.Name).Append("\" (")
            .AppendJoin(", ", table.Columns.Select(c => $"\"{c.Name}\""))
            .Append(") VALUES (")
            .AppendJoin(", ", parameters.Select(p => p.ParameterName))
            .Append(')')
            .ToString();
        cached = (command, parameters);
        _commands.Add(table, cached);
        return cached;
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
