using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Seeding;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace BounceDashboard.Web.Ingest;

/// <summary>
/// Inserts new rows of one entity type on SQLite through one prepared <c>INSERT ... RETURNING Id</c> on the context's
/// own connection and transaction, bypassing the change tracker: the ingest's bulk path for new messages and unmatched
/// events, which nothing else in the round changes. The columns and value converters (enums as strings, DateTimeOffset
/// as UTC ticks) come from the EF model (<see cref="BulkTable"/>), so a row is what <c>SaveChanges</c> would write.
/// </summary>
internal sealed class SqliteRowInserter<TEntity> : IDisposable
    where TEntity : class
{
    private static readonly ConcurrentDictionary<IModel, (BulkTable Table, int[] Columns, string Sql)> Tables = new();

    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;
    private readonly BulkTable _table;
    private readonly int[] _columns;

    private SqliteRowInserter(SqliteCommand command, BulkTable table, int[] columns)
    {
        _command = command;
        _table = table;
        _columns = columns;
        _parameters = [.. command.Parameters.Cast<SqliteParameter>()];
    }

    /// <summary>
    /// The inserter for <paramref name="db"/>, or null when the fast path does not apply: another provider than SQLite,
    /// or no transaction open on the context (the rows must commit or roll back with the rest of the round).
    /// </summary>
    public static SqliteRowInserter<TEntity>? TryCreate(BounceDbContext db)
    {
        if (!db.Database.IsSqlite()
            || db.Database.CurrentTransaction?.GetDbTransaction() is not SqliteTransaction transaction
            || db.Database.GetDbConnection() is not SqliteConnection connection)
        {
            return null;
        }

        var (table, columns, sql) = Tables.GetOrAdd(db.Model, Describe);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < columns.Length; i++)
        {
            command.Parameters.Add(new SqliteParameter(string.Create(CultureInfo.InvariantCulture, $"$p{i}"), DBNull.Value));
        }

        return new SqliteRowInserter<TEntity>(command, table, columns);
    }

    /// <summary>Inserts the entity's row (its id left to the database) and returns the new id.</summary>
    public long Insert(TEntity entity)
    {
        var row = _table.RowOf(entity);
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            _parameters[i].Value = _table.Columns[column].ToProvider(row[column]);
        }

        return Convert.ToInt64(_command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public void Dispose() => _command.Dispose();

    private static (BulkTable Table, int[] Columns, string Sql) Describe(IModel model)
    {
        var table = BulkTable.For<TEntity>(model);
        var entityType = model.FindEntityType(typeof(TEntity))!;
        var key = entityType.FindPrimaryKey()?.Properties is [{ } id] ? id.Name : throw new InvalidOperationException($"{typeof(TEntity).Name} has no single-column key.");
        var columns = Enumerable.Range(0, table.Columns.Count).Where(c => table.Columns[c].PropertyName != key).ToArray();
        var sql = new StringBuilder()
            .Append("INSERT INTO \"").Append(table.Name).Append("\" (")
            .AppendJoin(", ", columns.Select(c => $"\"{table.Columns[c].Name}\""))
            .Append(") VALUES (")
            .AppendJoin(", ", columns.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"$p{i}")))
            .Append(") RETURNING \"").Append(table.Columns[table.Ordinal(key)].Name).Append('"')
            .ToString();
        return (table, columns, sql);
    }
}
