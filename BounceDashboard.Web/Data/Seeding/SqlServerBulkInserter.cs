using System.Data;
using Microsoft.Data.SqlClient;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>
/// Bulk inserts for SQL Server through <see cref="SqlBulkCopy"/>: explicit ids kept (the generator links rows by id),
/// constraints checked so the foreign keys stay trusted, one transaction per batch.
/// </summary>
public sealed class SqlServerBulkInserter(SqlConnection connection) : IBulkInserter
{
    private const SqlBulkCopyOptions CopyOptions =
        SqlBulkCopyOptions.KeepIdentity | SqlBulkCopyOptions.CheckConstraints | SqlBulkCopyOptions.TableLock;

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
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
