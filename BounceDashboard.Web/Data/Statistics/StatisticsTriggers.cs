using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Tracking;

namespace BounceDashboard.Web.Data.Statistics;

/// <summary>
/// The SQL that keeps <see cref="CampaignStatistics"/>, <see cref="CampaignDomainStatistics"/> and
/// <see cref="CampaignActivity"/> right: triggers that add each change's delta in the writing transaction (SQLite: one
/// row trigger per table and event, each a single upsert; SQL Server: one statement trigger per table over
/// <c>inserted</c> minus <c>deleted</c>, a MERGE), and the statements that fill the tables from existing rows when the
/// migration creates them. Version 1, as created by migration <c>CampaignStatistics</c>; a later change gets a new
/// version and a new migration, so old migrations replay what they created.
/// </summary>
public static class StatisticsTriggers
{
    /// <summary>The delivery states, as stored (enum names), each with its counter column of the same name.</summary>
    private static readonly string[] States = Enum.GetNames<DeliveryState>();

    private const long TicksPerHour = TimeSpan.TicksPerHour;

    private static readonly string Bounce = nameof(MessageKind.Bounce);
    private static readonly string Open = nameof(TrackingEventKind.Open);
    private static readonly string Click = nameof(TrackingEventKind.Click);

    // ---- SQLite -------------------------------------------------------------------------------------------------

    /// <summary>SQLite: the triggers, one statement each.</summary>
    public static IReadOnlyList<string> SqliteCreate()
    {
        var counters = string.Join(", ", States.Select(Quote));
        string Deltas(string? newRow, string? oldRow) => string.Join(", ", States.Select(s =>
            $"{Flag(newRow, $"{newRow}.\"State\" = '{s}'")} - {Flag(oldRow, $"{oldRow}.\"State\" = '{s}'")}"));
        string Opened(string? newRow, string? oldRow, string column) =>
            $"{Flag(newRow, $"{newRow}.\"{column}\" IS NOT NULL")} - {Flag(oldRow, $"{oldRow}.\"{column}\" IS NOT NULL")}";
        var addCounters = string.Join(", ", States.Select(s => $"{Quote(s)} = {Quote(s)} + excluded.{Quote(s)}"));

        string CampaignUpsert(string row, string? newRow, string? oldRow) =>
            $"INSERT INTO \"CampaignStatistics\" (\"CampaignId\", {counters}, \"Opened\", \"Clicked\") " +
            $"VALUES ({row}.\"CampaignId\", {Deltas(newRow, oldRow)}, {Opened(newRow, oldRow, "OpenedAt")}, {Opened(newRow, oldRow, "ClickedAt")}) " +
            $"ON CONFLICT (\"CampaignId\") DO UPDATE SET {addCounters}, \"Opened\" = \"Opened\" + excluded.\"Opened\", \"Clicked\" = \"Clicked\" + excluded.\"Clicked\";";

        string DomainUpsert(string row, string? newRow, string? oldRow, string condition = "1") =>
            $"INSERT INTO \"CampaignDomainStatistics\" (\"CampaignId\", \"Domain\", {counters}) " +
            $"SELECT {row}.\"CampaignId\", {SqliteDomainOf("c.\"Email\"")}, {Deltas(newRow, oldRow)} " +
            $"FROM \"Contacts\" AS c WHERE c.\"Id\" = {row}.\"ContactId\" AND {condition} " +
            $"ON CONFLICT (\"CampaignId\", \"Domain\") DO UPDATE SET {addCounters};";

        // "WHERE" is required before ON CONFLICT in INSERT ... SELECT (SQLite's parsing ambiguity rule).
        string Activity(string campaign, string hourOf, string counts, string from = "", string where = "1") =>
            $"INSERT INTO \"CampaignActivity\" (\"CampaignId\", \"Hour\", \"Attempts\", \"Bounces\", \"Opens\", \"Clicks\") " +
            $"SELECT {campaign}, {hourOf} - {hourOf} % {TicksPerHour}, {counts} {from} WHERE {where} " +
            "ON CONFLICT (\"CampaignId\", \"Hour\") DO UPDATE SET \"Attempts\" = \"Attempts\" + excluded.\"Attempts\", " +
            "\"Bounces\" = \"Bounces\" + excluded.\"Bounces\", \"Opens\" = \"Opens\" + excluded.\"Opens\", \"Clicks\" = \"Clicks\" + excluded.\"Clicks\";";

        const string changed =
            "OLD.\"State\" <> NEW.\"State\" OR (OLD.\"OpenedAt\" IS NULL) <> (NEW.\"OpenedAt\" IS NULL) " +
            "OR (OLD.\"ClickedAt\" IS NULL) <> (NEW.\"ClickedAt\" IS NULL)";
        string CountedBounce(string row) => $"{row}.\"CampaignId\" IS NOT NULL AND {row}.\"Kind\" = '{Bounce}'";
        const string ofDelivery = "FROM \"Deliveries\" AS d";

        return
        [
            "CREATE TRIGGER \"TR_Deliveries_Statistics_Insert\" AFTER INSERT ON \"Deliveries\" BEGIN " +
                CampaignUpsert("NEW", "NEW", null) + " " + DomainUpsert("NEW", "NEW", null) + " END;",
            // The domain breakdown counts states only: a first open alone changes nothing there.
            $"CREATE TRIGGER \"TR_Deliveries_Statistics_Update\" AFTER UPDATE OF \"State\", \"OpenedAt\", \"ClickedAt\" ON \"Deliveries\" WHEN {changed} BEGIN " +
                CampaignUpsert("NEW", "NEW", "OLD") + " " + DomainUpsert("NEW", "NEW", "OLD", "OLD.\"State\" <> NEW.\"State\"") + " END;",
            "CREATE TRIGGER \"TR_Deliveries_Statistics_Delete\" AFTER DELETE ON \"Deliveries\" BEGIN " +
                CampaignUpsert("OLD", null, "OLD") + " " + DomainUpsert("OLD", null, "OLD") + " END;",
            "CREATE TRIGGER \"TR_DeliveryAttempts_Activity_Insert\" AFTER INSERT ON \"DeliveryAttempts\" BEGIN " +
                Activity("d.\"CampaignId\"", "NEW.\"StartedAt\"", "1, 0, 0, 0", ofDelivery, "d.\"Id\" = NEW.\"DeliveryId\"") + " END;",
            $"CREATE TRIGGER \"TR_BounceEvents_Activity_Insert\" AFTER INSERT ON \"BounceEvents\" WHEN {CountedBounce("NEW")} BEGIN " +
                Activity("NEW.\"CampaignId\"", "NEW.\"ReceivedAt\"", "0, 1, 0, 0") + " END;",
            // A bounce matched to its send later, or read again as another kind, moves into (or out of) a campaign's hours.
            "CREATE TRIGGER \"TR_BounceEvents_Activity_Update\" AFTER UPDATE OF \"CampaignId\", \"Kind\" ON \"BounceEvents\" " +
                "WHEN OLD.\"CampaignId\" IS NOT NEW.\"CampaignId\" OR OLD.\"Kind\" IS NOT NEW.\"Kind\" BEGIN " +
                Activity("OLD.\"CampaignId\"", "OLD.\"ReceivedAt\"", "0, -1, 0, 0", where: CountedBounce("OLD")) + " " +
                Activity("NEW.\"CampaignId\"", "NEW.\"ReceivedAt\"", "0, 1, 0, 0", where: CountedBounce("NEW")) + " END;",
            "CREATE TRIGGER \"TR_TrackingEvents_Activity_Insert\" AFTER INSERT ON \"TrackingEvents\" BEGIN " +
                Activity("d.\"CampaignId\"", "NEW.\"OccurredAt\"", $"0, 0, NEW.\"Kind\" = '{Open}', NEW.\"Kind\" = '{Click}'",
                    ofDelivery, "d.\"Id\" = NEW.\"DeliveryId\"") + " END;",
        ];
    }

    /// <summary>SQLite: fills the three tables from the rows already there (run once, after the triggers exist).</summary>
    public static IReadOnlyList<string> SqliteFill()
    {
        var counters = string.Join(", ", States.Select(Quote));
        var sums = string.Join(", ", States.Select(s => $"SUM(d.\"State\" = '{s}')"));
        return
        [
            $"INSERT INTO \"CampaignStatistics\" (\"CampaignId\", {counters}, \"Opened\", \"Clicked\") " +
                $"SELECT d.\"CampaignId\", {sums}, SUM(d.\"OpenedAt\" IS NOT NULL), SUM(d.\"ClickedAt\" IS NOT NULL) " +
                "FROM \"Deliveries\" AS d GROUP BY d.\"CampaignId\";",
            $"INSERT INTO \"CampaignDomainStatistics\" (\"CampaignId\", \"Domain\", {counters}) " +
                $"SELECT d.\"CampaignId\", {SqliteDomainOf("c.\"Email\"")}, {sums} " +
                "FROM \"Deliveries\" AS d JOIN \"Contacts\" AS c ON c.\"Id\" = d.\"ContactId\" GROUP BY 1, 2;",
            "INSERT INTO \"CampaignActivity\" (\"CampaignId\", \"Hour\", \"Attempts\", \"Bounces\", \"Opens\", \"Clicks\") " +
                "SELECT \"CampaignId\", \"Hour\", SUM(\"Attempts\"), SUM(\"Bounces\"), SUM(\"Opens\"), SUM(\"Clicks\") FROM (" +
                $"SELECT d.\"CampaignId\" AS \"CampaignId\", a.\"StartedAt\" - a.\"StartedAt\" % {TicksPerHour} AS \"Hour\", 1 AS \"Attempts\", 0 AS \"Bounces\", 0 AS \"Opens\", 0 AS \"Clicks\" " +
                "FROM \"DeliveryAttempts\" AS a JOIN \"Deliveries\" AS d ON d.\"Id\" = a.\"DeliveryId\" " +
                $"UNION ALL SELECT e.\"CampaignId\", e.\"ReceivedAt\" - e.\"ReceivedAt\" % {TicksPerHour}, 0, 1, 0, 0 " +
                $"FROM \"BounceEvents\" AS e WHERE e.\"CampaignId\" IS NOT NULL AND e.\"Kind\" = '{Bounce}' " +
                $"UNION ALL SELECT d.\"CampaignId\", t.\"OccurredAt\" - t.\"OccurredAt\" % {TicksPerHour}, 0, 0, t.\"Kind\" = '{Open}', t.\"Kind\" = '{Click}' " +
                "FROM \"TrackingEvents\" AS t JOIN \"Deliveries\" AS d ON d.\"Id\" = t.\"DeliveryId\"" +
                ") GROUP BY \"CampaignId\", \"Hour\";",
        ];
    }

    /// <summary>
    /// SQLite: counts the three tables again from the source rows. For bulk loads (the demo generator), whose rows may
    /// arrive before the rows they point to (foreign keys are checked at the end), so a trigger could not see them.
    /// </summary>
    public static IReadOnlyList<string> SqliteRebuild() =>
        ["DELETE FROM \"CampaignActivity\";", "DELETE FROM \"CampaignDomainStatistics\";", "DELETE FROM \"CampaignStatistics\";", .. SqliteFill()];

    /// <summary>SQLite: drops the triggers (the migration's Down).</summary>
    public static IReadOnlyList<string> SqliteDrop() =>
        TriggerNames.Select(name => $"DROP TRIGGER IF EXISTS \"{name}\";").ToList();

    // ---- SQL Server ---------------------------------------------------------------------------------------------

    /// <summary>
    /// SQL Server: the triggers. Each runs through EXEC, so it is the first statement of its own batch also inside a
    /// generated migration script, as CREATE TRIGGER must be.
    /// </summary>
    public static IReadOnlyList<string> SqlServerCreate() => SqlServerTriggers().Select(Exec).ToList();

    private static IEnumerable<string> SqlServerTriggers()
    {
        var counters = string.Join(", ", States.Select(Bracket));
        var sums = string.Join(", ", States.Select(s => $"SUM(CASE WHEN x.[State] = N'{s}' THEN x.[Sign] ELSE 0 END) AS {Bracket(s)}"));
        var add = string.Join(", ", States.Select(s => $"{Bracket(s)} = t.{Bracket(s)} + s.{Bracket(s)}"));
        var values = string.Join(", ", States.Select(s => $"s.{Bracket(s)}"));
        const string changes =
            "SELECT i.[CampaignId], i.[ContactId], i.[State], CASE WHEN i.[OpenedAt] IS NULL THEN 0 ELSE 1 END AS [Opened], " +
            "CASE WHEN i.[ClickedAt] IS NULL THEN 0 ELSE 1 END AS [Clicked], 1 AS [Sign] FROM inserted AS i " +
            "UNION ALL SELECT o.[CampaignId], o.[ContactId], o.[State], CASE WHEN o.[OpenedAt] IS NULL THEN 0 ELSE 1 END, " +
            "CASE WHEN o.[ClickedAt] IS NULL THEN 0 ELSE 1 END, -1 FROM deleted AS o";

        string ActivityMerge(string source) =>
            $"MERGE [CampaignActivity] WITH (HOLDLOCK) AS t USING ({source}) AS s ON t.[CampaignId] = s.[CampaignId] AND t.[Hour] = s.[Hour] " +
            "WHEN MATCHED THEN UPDATE SET [Attempts] = t.[Attempts] + s.[Attempts], [Bounces] = t.[Bounces] + s.[Bounces], " +
            "[Opens] = t.[Opens] + s.[Opens], [Clicks] = t.[Clicks] + s.[Clicks] " +
            "WHEN NOT MATCHED THEN INSERT ([CampaignId], [Hour], [Attempts], [Bounces], [Opens], [Clicks]) " +
            "VALUES (s.[CampaignId], s.[Hour], s.[Attempts], s.[Bounces], s.[Opens], s.[Clicks]);";

        return
        [
            "CREATE TRIGGER [TR_Deliveries_Statistics] ON [Deliveries] AFTER INSERT, UPDATE, DELETE AS BEGIN SET NOCOUNT ON; " +
                $"MERGE [CampaignStatistics] WITH (HOLDLOCK) AS t USING (SELECT x.[CampaignId], {sums}, SUM(x.[Opened] * x.[Sign]) AS [Opened], " +
                $"SUM(x.[Clicked] * x.[Sign]) AS [Clicked] FROM ({changes}) AS x GROUP BY x.[CampaignId]) AS s ON t.[CampaignId] = s.[CampaignId] " +
                $"WHEN MATCHED THEN UPDATE SET {add}, [Opened] = t.[Opened] + s.[Opened], [Clicked] = t.[Clicked] + s.[Clicked] " +
                $"WHEN NOT MATCHED THEN INSERT ([CampaignId], {counters}, [Opened], [Clicked]) VALUES (s.[CampaignId], {values}, s.[Opened], s.[Clicked]); " +
                $"MERGE [CampaignDomainStatistics] WITH (HOLDLOCK) AS t USING (SELECT x.[CampaignId], {SqlServerDomainOf("c.[Email]")} AS [Domain], {sums} " +
                $"FROM ({changes}) AS x JOIN [Contacts] AS c ON c.[Id] = x.[ContactId] GROUP BY x.[CampaignId], {SqlServerDomainOf("c.[Email]")}) AS s " +
                "ON t.[CampaignId] = s.[CampaignId] AND t.[Domain] = s.[Domain] " +
                $"WHEN MATCHED THEN UPDATE SET {add} " +
                $"WHEN NOT MATCHED THEN INSERT ([CampaignId], [Domain], {counters}) VALUES (s.[CampaignId], s.[Domain], {values}); END",
            "CREATE TRIGGER [TR_DeliveryAttempts_Activity] ON [DeliveryAttempts] AFTER INSERT AS BEGIN SET NOCOUNT ON; " +
                ActivityMerge($"SELECT d.[CampaignId], {SqlServerHourOf("i.[StartedAt]")} AS [Hour], COUNT(*) AS [Attempts], 0 AS [Bounces], 0 AS [Opens], 0 AS [Clicks] " +
                    $"FROM inserted AS i JOIN [Deliveries] AS d ON d.[Id] = i.[DeliveryId] GROUP BY d.[CampaignId], {SqlServerHourOf("i.[StartedAt]")}") + " END",
            "CREATE TRIGGER [TR_BounceEvents_Activity] ON [BounceEvents] AFTER INSERT, UPDATE, DELETE AS BEGIN SET NOCOUNT ON; " +
                ActivityMerge($"SELECT x.[CampaignId], {SqlServerHourOf("x.[ReceivedAt]")} AS [Hour], 0 AS [Attempts], SUM(x.[Sign]) AS [Bounces], 0 AS [Opens], 0 AS [Clicks] " +
                    $"FROM (SELECT i.[CampaignId], i.[ReceivedAt], 1 AS [Sign] FROM inserted AS i WHERE i.[CampaignId] IS NOT NULL AND i.[Kind] = N'{Bounce}' " +
                    $"UNION ALL SELECT o.[CampaignId], o.[ReceivedAt], -1 FROM deleted AS o WHERE o.[CampaignId] IS NOT NULL AND o.[Kind] = N'{Bounce}') AS x " +
                    $"GROUP BY x.[CampaignId], {SqlServerHourOf("x.[ReceivedAt]")}") + " END",
            "CREATE TRIGGER [TR_TrackingEvents_Activity] ON [TrackingEvents] AFTER INSERT AS BEGIN SET NOCOUNT ON; " +
                ActivityMerge($"SELECT d.[CampaignId], {SqlServerHourOf("i.[OccurredAt]")} AS [Hour], 0 AS [Attempts], 0 AS [Bounces], " +
                    $"SUM(CASE WHEN i.[Kind] = N'{Open}' THEN 1 ELSE 0 END) AS [Opens], SUM(CASE WHEN i.[Kind] = N'{Click}' THEN 1 ELSE 0 END) AS [Clicks] " +
                    $"FROM inserted AS i JOIN [Deliveries] AS d ON d.[Id] = i.[DeliveryId] GROUP BY d.[CampaignId], {SqlServerHourOf("i.[OccurredAt]")}") + " END",
        ];
    }

    /// <summary>SQL Server: fills the three tables from the rows already there.</summary>
    public static IReadOnlyList<string> SqlServerFill()
    {
        var counters = string.Join(", ", States.Select(Bracket));
        var sums = string.Join(", ", States.Select(s => $"SUM(CASE WHEN d.[State] = N'{s}' THEN 1 ELSE 0 END)"));
        return
        [
            $"INSERT INTO [CampaignStatistics] ([CampaignId], {counters}, [Opened], [Clicked]) SELECT d.[CampaignId], {sums}, " +
                "SUM(CASE WHEN d.[OpenedAt] IS NULL THEN 0 ELSE 1 END), SUM(CASE WHEN d.[ClickedAt] IS NULL THEN 0 ELSE 1 END) " +
                "FROM [Deliveries] AS d GROUP BY d.[CampaignId];",
            $"INSERT INTO [CampaignDomainStatistics] ([CampaignId], [Domain], {counters}) SELECT d.[CampaignId], {SqlServerDomainOf("c.[Email]")}, {sums} " +
                $"FROM [Deliveries] AS d JOIN [Contacts] AS c ON c.[Id] = d.[ContactId] GROUP BY d.[CampaignId], {SqlServerDomainOf("c.[Email]")};",
            "INSERT INTO [CampaignActivity] ([CampaignId], [Hour], [Attempts], [Bounces], [Opens], [Clicks]) " +
                "SELECT x.[CampaignId], x.[Hour], SUM(x.[Attempts]), SUM(x.[Bounces]), SUM(x.[Opens]), SUM(x.[Clicks]) FROM (" +
                $"SELECT d.[CampaignId], {SqlServerHourOf("a.[StartedAt]")} AS [Hour], 1 AS [Attempts], 0 AS [Bounces], 0 AS [Opens], 0 AS [Clicks] " +
                "FROM [DeliveryAttempts] AS a JOIN [Deliveries] AS d ON d.[Id] = a.[DeliveryId] " +
                $"UNION ALL SELECT e.[CampaignId], {SqlServerHourOf("e.[ReceivedAt]")}, 0, 1, 0, 0 FROM [BounceEvents] AS e " +
                $"WHERE e.[CampaignId] IS NOT NULL AND e.[Kind] = N'{Bounce}' " +
                $"UNION ALL SELECT d.[CampaignId], {SqlServerHourOf("t.[OccurredAt]")}, 0, 0, CASE WHEN t.[Kind] = N'{Open}' THEN 1 ELSE 0 END, " +
                $"CASE WHEN t.[Kind] = N'{Click}' THEN 1 ELSE 0 END FROM [TrackingEvents] AS t JOIN [Deliveries] AS d ON d.[Id] = t.[DeliveryId]" +
                ") AS x GROUP BY x.[CampaignId], x.[Hour];",
        ];
    }

    /// <summary>SQL Server: counts the three tables again from the source rows (after a bulk copy, which skips triggers).</summary>
    public static IReadOnlyList<string> SqlServerRebuild() =>
        ["DELETE FROM [CampaignActivity];", "DELETE FROM [CampaignDomainStatistics];", "DELETE FROM [CampaignStatistics];", .. SqlServerFill()];

    /// <summary>SQL Server: drops the triggers (the migration's Down).</summary>
    public static IReadOnlyList<string> SqlServerDrop() =>
        SqlServerTriggerNames.Select(name => $"DROP TRIGGER IF EXISTS [{name}];").ToList();

    /// <summary>SQLite trigger names.</summary>
    public static IReadOnlyList<string> TriggerNames { get; } =
    [
        "TR_Deliveries_Statistics_Insert", "TR_Deliveries_Statistics_Update", "TR_Deliveries_Statistics_Delete",
        "TR_DeliveryAttempts_Activity_Insert", "TR_BounceEvents_Activity_Insert", "TR_BounceEvents_Activity_Update",
        "TR_TrackingEvents_Activity_Insert",
    ];

    /// <summary>SQL Server trigger names (also declared on the model with HasTrigger, so EF saves without OUTPUT).</summary>
    public static IReadOnlyList<string> SqlServerTriggerNames { get; } =
        ["TR_Deliveries_Statistics", "TR_DeliveryAttempts_Activity", "TR_BounceEvents_Activity", "TR_TrackingEvents_Activity"];

    private static string Quote(string name) => $"\"{name}\"";

    private static string Exec(string sql) => $"EXEC(N'{sql.Replace("'", "''", StringComparison.Ordinal)}');";

    private static string Bracket(string name) => $"[{name}]";

    /// <summary>1 when the row exists and the condition holds, else 0 (a missing row: an insert has no OLD).</summary>
    private static string Flag(string? row, string condition) => row is null ? "0" : $"({condition})";

    private static string SqliteDomainOf(string email) => $"lower(substr({email}, instr({email}, '@') + 1))";

    private static string SqlServerDomainOf(string email) =>
        $"LOWER(SUBSTRING({email}, CHARINDEX(N'@', {email}) + 1, {CampaignDomainStatistics.DomainMaxLength}))";

    private static string SqlServerHourOf(string instant) =>
        $"TODATETIMEOFFSET(DATEADD(hour, DATEDIFF(hour, 0, SWITCHOFFSET({instant}, 0)), CAST(0 AS datetime2)), 0)";
}
