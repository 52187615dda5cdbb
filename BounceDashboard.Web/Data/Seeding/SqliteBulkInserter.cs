using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>
/// Bulk inserts for SQLite: prepared multi-row INSERT statements whose parameters are reused, one transaction per
/// batch, WAL with synchronous=OFF for the session (the seed can be rerun; a crash costs only the seed). Indexes stay in
/// place, so the database is ready to query when the seed ends.
/// </summary>
public sealed class SqliteBulkInserter : IBulkInserter
{
    private const int RowsPerStatement = 64;

    private readonly SqliteConnection _connection;
    private readonly Dictionary<(BulkTable Table, int Rows), (SqliteCommand Command, SqliteParameter[] Parameters)> _commands = [];

    private SqliteBulkInserter(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens the connection if needed and sets the session's pragmas. The caller keeps ownership of the connection.</summary>
    public static async Task<SqliteBulkInserter> OpenAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;", cancellationToken);
        return new SqliteBulkInserter(connection);
    }

    public Task WriteAsync(IReadOnlyList<BulkRows> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var transaction = _connection.BeginTransaction();
        foreach (var (table, rows) in batch)
        {
            var start = 0;
            for (; start + RowsPerStatement <= rows.Count; start += RowsPerStatement)
            {
                Execute(table, rows, start, RowsPerStatement, transaction);
            }

            for (; start < rows.Count; start++)
            {
                Execute(table, rows, start, 1, transaction);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken) =>
        // Statistics for the planner on the big tables (sampled, so it takes seconds), then fold the WAL back in.
        await ExecuteAsync(_connection, "PRAGMA analysis_limit=1000; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA synchronous=NORMAL;", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var (command, _) in _commands.Values)
        {
            await command.DisposeAsync();
        }

        _commands.Clear();
    }

    private void Execute(BulkTable table, IReadOnlyList<object?[]> rows, int start, int count, SqliteTransaction transaction)
    {
        var (command, parameters) = GetCommand(table, count);
        command.Transaction = transaction;
        var columns = table.Columns;
        var p = 0;
        for (var r = start; r < start + count; r++)
        {
            var row = rows[r];
            for (var c = 0; c < columns.Count; c++)
            {
                parameters[p++].Value = columns[c].ToProvider(row[c]);
            }
        }

        command.ExecuteNonQuery();
    }

    private (SqliteCommand Command, SqliteParameter[] Parameters) GetCommand(BulkTable table, int rowCount)
    {
        if (_commands.TryGetValue((table, rowCount), out var cached))
        {
            return cached;
        }

        var sql = new StringBuilder()
            .Append("INSERT INTO \"").Append(table.Name).Append("\" (")
            .AppendJoin(", ", table.Columns.Select(c => $"\"{c.Name}\""))
            .Append(") VALUES ");
        var command = _connection.CreateCommand();
        var parameters = new SqliteParameter[rowCount * table.Columns.Count];
        for (var r = 0; r < rowCount; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var index = (r * table.Columns.Count) + c;
                var name = string.Create(CultureInfo.InvariantCulture, $"$p{index}");
                sql.Append(c == 0 ? string.Empty : ", ").Append(name);
                parameters[index] = command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        cached = (command, parameters);
        _commands.Add((table, rowCount), cached);
        return cached;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
