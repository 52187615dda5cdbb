using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Configurations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SQLitePCL;

namespace BounceDashboard.Web.Queries;

/// <summary>
/// The CSV and Excel exports' row reader on SQLite: the same query the EF path runs (the same filter, order and index),
/// stepped with SQLite's own API so that the columns with few distinct values (the sending domain or IP, the enhanced
/// status, the reason, the normalised pattern) are turned into strings once per distinct value instead of once per
/// row. On a 12-month export of 700,000 bounces the per-row strings and the materialiser were most of the read's CPU.
/// Other providers read through EF (<see cref="BounceReportQueries"/>); a test checks both give the same rows.
/// </summary>
internal static class SqliteBounceDetailReader
{
    /// <summary>Whether <paramref name="db"/> can be read this way (an SQLite connection).</summary>
    public static bool Supports(BounceDbContext db) => db.Database.GetDbConnection() is SqliteConnection;

    /// <summary>The bounces of <paramref name="slice"/>, newest first, as the export's rows.</summary>
    public static IEnumerable<BounceDetailRow> Read(
        BounceDbContext db, BounceReportFilter slice, IReadOnlyDictionary<long, string> campaigns, CancellationToken cancellationToken)
    {
        var sql = Sql(db.Model, slice.GroupBy, slice.CampaignId is not null);
        db.Database.OpenConnection();
        try
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            Check(raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement), connection);
            using (statement)
            {
                Check(raw.sqlite3_bind_text(statement, 1, nameof(MessageKind.Bounce)), connection);
                Check(raw.sqlite3_bind_int64(statement, 2, slice.From.UtcTicks), connection);
                Check(raw.sqlite3_bind_int64(statement, 3, slice.To.UtcTicks), connection);
                if (slice.CampaignId is { } campaignId)
                {
                    Check(raw.sqlite3_bind_int64(statement, 4, campaignId), connection);
                }

                var groups = new Utf8Values<string>(text => text);
                var statuses = new Utf8Values<string>(text => text);
                var patterns = new Utf8Values<string>(text => text);
                var reasons = new Utf8Values<BounceReason>(Enum.Parse<BounceReason>);
                int step;
                while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    long? campaign = raw.sqlite3_column_type(statement, 4) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int64(statement, 4);
                    yield return new BounceDetailRow(
                        raw.sqlite3_column_int64(statement, 0),
                        new DateTimeOffset(raw.sqlite3_column_int64(statement, 1), TimeSpan.Zero),
                        groups.Get(statement, 2),
                        Text(statement, 3) ?? string.Empty,
                        campaign,
                        campaign is { } id ? campaigns.GetValueOrDefault(id) : null,
                        raw.sqlite3_column_int64(statement, 5) != 0,
                        reasons.Get(statement, 6),
                        statuses.Get(statement, 7),
                        Text(statement, 8),
                        patterns.Get(statement, 9) ?? string.Empty);
                }

                if (step != raw.SQLITE_DONE)
                {
                    Check(step, connection);
                }
            }
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }

    /// <summary>The query, with the table's and columns' names from the EF model (so a rename there reaches it).</summary>
    internal static string Sql(IModel model, BounceReportGrouping grouping, bool byCampaign)
    {
        var entity = model.FindEntityType(typeof(BounceEvent)) ?? throw new InvalidOperationException("BounceEvent is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) =>
            "\"" + (entity.FindProperty(property) ?? throw new InvalidOperationException($"BounceEvent.{property} is not mapped.")).GetColumnName(table) + "\"";

        var group = grouping == BounceReportGrouping.SendingIp ? BounceEventColumns.SendingIp : BounceEventColumns.SendingDomain;
        var sql = new StringBuilder()
            .Append("SELECT ")
            .AppendJoin(", ", new[]
            {
                nameof(BounceEvent.Id), nameof(BounceEvent.ReceivedAt), group, nameof(BounceEvent.Recipient), BounceEventColumns.CampaignId,
                nameof(BounceEvent.Hard), nameof(BounceEvent.Reason), nameof(BounceEvent.EnhancedStatus), nameof(BounceEvent.Diagnostic),
                nameof(BounceEvent.Pattern),
            }.Select(Column))
            .Append(" FROM \"").Append(table.Name).Append('"')
            .Append(" WHERE ").Append(Column(nameof(BounceEvent.Kind))).Append(" = ?1")
            .Append(" AND ").Append(Column(nameof(BounceEvent.ReceivedAt))).Append(" >= ?2")
            .Append(" AND ").Append(Column(nameof(BounceEvent.ReceivedAt))).Append(" < ?3");
        if (byCampaign)
        {
            sql.Append(" AND ").Append(Column(BounceEventColumns.CampaignId)).Append(" = ?4");
        }

        return sql.Append(" ORDER BY ").Append(Column(nameof(BounceEvent.ReceivedAt))).Append(" DESC, ")
            .Append(Column(nameof(BounceEvent.Id))).Append(" DESC").ToString();
    }

    private static string? Text(sqlite3_stmt statement, int column) =>
        raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL ? null : Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, column));

    private static void Check(int result, SqliteConnection connection)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), result);
        }
    }

    /// <summary>
    /// The values of one column with few distinct values, decoded (and parsed) once each: a value's UTF-8 bytes are
    /// looked up by their hash and compared byte for byte. Past <see cref="MaxEntries"/> distinct values it decodes
    /// without keeping. SQL NULL reads as <c>default</c>.
    /// </summary>
    private sealed class Utf8Values<T>(Func<string, T> parse)
    {
        private const int MaxEntries = 4096;
        private readonly Dictionary<int, List<(byte[] Bytes, T Value)>> _byHash = [];
        private int _count;

        public T? Get(sqlite3_stmt statement, int column)
        {
            if (raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL)
            {
                return default;
            }

            var bytes = raw.sqlite3_column_blob(statement, column);
            var hash = new HashCode();
            hash.AddBytes(bytes);
            var key = hash.ToHashCode();
            if (_byHash.TryGetValue(key, out var entries))
            {
                foreach (var (known, value) in entries)
                {
                    if (bytes.SequenceEqual(known))
                    {
                        return value;
                    }
                }
            }

            var parsed = parse(Encoding.UTF8.GetString(bytes));
            if (_count < MaxEntries)
            {
                _count++;
                if (entries is null)
                {
                    _byHash[key] = entries = [];
                }

                entries.Add((bytes.ToArray(), parsed));
            }

            return parsed;
        }
    }
}
