using System.Data;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.Data.SqlClient;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>
/// Bulk inserts for SQL Server through <see cref="SqlBulkCopy"/>: explicit ids kept (the generator links rows by id),
/// one transaction per batch. Tables may arrive in any order, so constraints are not checked row by row; at the end
/// every written table is re-checked (<c>WITH CHECK CHECK CONSTRAINT ALL</c>), which fails on a broken reference and
/// leaves the foreign keys trusted by the optimiser.
/// </summary>
public sealed class SqlServerBulkInserter(SqlConnection connection) : IBulkInserter
{
    // Without FireTriggers (faster): CompleteAsync counts the statistics tables again once the load is done.
    private const SqlBulkCopyOptions CopyOptions = SqlBulkCopyOptions.KeepIdentity | SqlBulkCopyOptions.TableLock;

    private readonly List<string> _written = [];

    public async Task WriteAsync(IReadOnlyList<BulkRows> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (connection.State != ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (table, rows) in batch)
        {
            using var data = ToDataTable(table, rows);
            using var copy = new SqlBulkCopy(connection, CopyOptions, transaction)
            {
                DestinationTableName = $"[{table.Name}]",
                BulkCopyTimeout = 0,
                EnableStreaming = true,
            };
            foreach (var column in table.Columns)
            {
                copy.ColumnMappings.Add(column.Name, column.Name);
            }

            await copy.WriteToServerAsync(data, cancellationToken);
            if (!_written.Contains(table.Name))
            {
                _written.Add(table.Name);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        foreach (var table in _written)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"ALTER TABLE [{table}] WITH CHECK CHECK CONSTRAINT ALL";
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var sql in StatisticsTriggers.SqlServerRebuild().Concat(AudienceStatisticsTriggers.SqlServerRebuild()))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The rows in provider types, one DataTable column per model column.</summary>
    public static DataTable ToDataTable(BulkTable table, IReadOnlyList<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        var data = new DataTable(table.Name) { Locale = System.Globalization.CultureInfo.InvariantCulture };
        foreach (var column in table.Columns)
        {
            data.Columns.Add(column.Name, column.ProviderType);
        }

        var values = new object[table.Columns.Count];
        foreach (var row in rows)
        {
            for (var c = 0; c < values.Length; c++)
            {
                values[c] = table.Columns[c].ToProvider(row[c]);
            }

            data.Rows.Add(values);
        }

        return data;
    }
}
