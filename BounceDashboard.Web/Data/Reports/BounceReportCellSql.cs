using BounceDashboard.Domain.Bounces;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Data.Reports;

/// <summary>
/// The two statements that write <see cref="BounceReportCell"/>s, per provider (brackets quote names on both): an atomic
/// add-to-cell (SQLite <c>INSERT … ON CONFLICT DO UPDATE</c>, SQL Server <c>MERGE … WITH (HOLDLOCK)</c>) and a rebuild of
/// the whole table from <c>BounceEvents</c> (<c>INSERT … SELECT … GROUP BY</c>).
/// </summary>
public static class BounceReportCellSql
{
    public const string Table = "BounceReportCells";

    private const string Columns = "[Day], [CampaignId], [SendingDomain], [SendingIp], [PatternHash], [Hard], [Reason]";

    /// <summary>Only final failures count in the bounce report (not delays, auto-replies, feedback or success reports).</summary>
    public static bool Counts(MessageKind kind) => kind == MessageKind.Bounce;

    /// <summary>Adds <paramref name="amount"/> (negative to take away) to one cell, creating it when missing.</summary>
    public static Task AddAsync(BounceDbContext db, BounceReportCellKey key, int amount, long exampleEventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        var sql = db.Database.IsSqlServer()
            ? $$"""
               MERGE [{{Table}}] WITH (HOLDLOCK) AS t
               USING (VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8})) AS s ([Day], [CampaignId], [SendingDomain], [SendingIp], [PatternHash], [Hard], [Reason], [Amount], [ExampleEventId])
               ON t.[Day] = s.[Day] AND t.[CampaignId] = s.[CampaignId] AND t.[SendingDomain] = s.[SendingDomain] AND t.[SendingIp] = s.[SendingIp]
                  AND t.[PatternHash] = s.[PatternHash] AND t.[Hard] = s.[Hard] AND t.[Reason] = s.[Reason]
               WHEN MATCHED THEN UPDATE SET [Amount] = t.[Amount] + s.[Amount],
                  [ExampleEventId] = CASE WHEN s.[ExampleEventId] > t.[ExampleEventId] THEN s.[ExampleEventId] ELSE t.[ExampleEventId] END
               WHEN NOT MATCHED THEN INSERT ({{Columns}}, [Amount], [ExampleEventId])
                  VALUES (s.[Day], s.[CampaignId], s.[SendingDomain], s.[SendingIp], s.[PatternHash], s.[Hard], s.[Reason], s.[Amount], s.[ExampleEventId]);
               """
            : $$"""
               INSERT INTO [{{Table}}] ({{Columns}}, [Amount], [ExampleEventId])
               VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8})
               ON CONFLICT ({{Columns}}) DO UPDATE SET [Amount] = [Amount] + excluded.[Amount],
                  [ExampleEventId] = max([ExampleEventId], excluded.[ExampleEventId]);
               """;
        return db.Database.ExecuteSqlRawAsync(
            sql,
            [key.Day, key.CampaignId, key.SendingDomain, key.SendingIp, key.PatternHash, key.Hard, key.Reason.ToString(), amount, exampleEventId],
            cancellationToken);
    }

    /// <summary>
    /// Empties the table and fills it again from every counted event: the seeder's bulk path (which bypasses the
    /// interceptor) and the one-time fill after the upgrade call it while nothing else writes bounce events.
    /// </summary>
    public static async Task RebuildAsync(BounceDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // SQLite stores DateTimeOffset as UTC ticks, so the day number is an integer division; SQL Server counts days from 0001-01-01.
        var day = db.Database.IsSqlServer()
            ? "DATEDIFF(day, CAST('0001-01-01' AS date), CAST(SWITCHOFFSET([ReceivedAt], '+00:00') AS date))"
            : $"([ReceivedAt] / {TimeSpan.TicksPerDay})";
        var keys = $"{day}, COALESCE([CampaignId], 0), COALESCE([SendingDomain], ''), COALESCE([SendingIp], ''), [PatternHash], [Hard], [Reason]";
        await db.Database.ExecuteSqlRawAsync($"DELETE FROM [{Table}];", cancellationToken);
        // Built from constants only (no user input).
        var insert = $"""
             INSERT INTO [{Table}] ({Columns}, [Amount], [ExampleEventId])
             SELECT {keys}, COUNT(*), MAX([Id]) FROM [BounceEvents]
             WHERE [Kind] = '{MessageKind.Bounce}'
             GROUP BY {keys};
             """;
        await db.Database.ExecuteSqlRawAsync(insert, cancellationToken);
    }
}

/// <summary>The key of one <see cref="BounceReportCell"/>.</summary>
public sealed record BounceReportCellKey(int Day, long CampaignId, string SendingDomain, string SendingIp, long PatternHash, bool Hard, BounceReason Reason);
