namespace BounceDashboard.Web.Data.Statistics;

/// <summary>
/// The SQL that keeps <see cref="AudienceStatistics"/> right, in the writing transaction: a membership added or
/// removed counts under its contact's status and whether its address has a suppression in force; a contact whose
/// status (or address) changes moves its memberships between those counts; a suppression that comes into force or is
/// lifted (insert, delete, update of LiftedAt or Email) moves the memberships of the contact with that address between
/// suppressed and not. At most one suppression per address is in force (the filtered unique index
/// IX_SuppressionEntries_Email_Active), so an entry in force appearing or disappearing flips the address exactly.
/// SQLite: row triggers, each an <c>INSERT ... ON CONFLICT DO UPDATE</c> adding the delta; SQL Server: statement
/// triggers over <c>inserted</c> minus <c>deleted</c>, a <c>MERGE</c>, created through <c>EXEC(N'...')</c>.
/// Version 1, as created by migration <c>AudienceStatistics</c>; a later change gets a new version and migration.
/// </summary>
/// <remarks>
/// A deleted contact takes its memberships with it (cascade). SQLite runs the cascade after the contact row is gone, so
/// a BEFORE DELETE trigger on Contacts subtracts its memberships and the members' delete trigger skips rows whose
/// contact is gone. SQL Server has no BEFORE trigger (and no INSTEAD OF on a cascading table), so its members' trigger
/// counts again the few audiences that lost a member whose contact is gone. Both skip members of a deleted audience,
/// whose counts go with it (cascade).
/// </remarks>
public static class AudienceStatisticsTriggers
{
    private const string Table = "\"AudienceStatistics\"";

    // ---- SQLite -------------------------------------------------------------------------------------------------

    /// <summary>SQLite: the triggers, one statement each.</summary>
    public static IReadOnlyList<string> SqliteCreate()
    {
        // "WHERE" is required before ON CONFLICT in INSERT ... SELECT (SQLite's parsing ambiguity rule).
        static string Upsert(string audience, string status, string suppressed, string members, string from, string where) =>
            $"INSERT INTO {Table} (\"AudienceId\", \"Status\", \"Suppressed\", \"Members\") " +
            $"SELECT {audience}, {status}, {suppressed}, {members} FROM {from} WHERE {where} " +
            "ON CONFLICT (\"AudienceId\", \"Status\", \"Suppressed\") DO UPDATE SET \"Members\" = \"Members\" + excluded.\"Members\";";

        // A membership counted (+1) or uncounted (-1) under its contact's status and suppression, unless the contact
        // is gone (deleted: its BEFORE DELETE trigger subtracted it) or the audience is (its counts go with it).
        static string Member(string row, string sign) =>
            Upsert($"{row}.\"AudienceId\"", "c.\"Status\"", SqliteSuppressed("c.\"Email\""), sign, "\"Contacts\" AS c",
                $"c.\"Id\" = {row}.\"ContactId\" AND EXISTS (SELECT 1 FROM \"Audiences\" AS a WHERE a.\"Id\" = {row}.\"AudienceId\")");

        // The memberships of the contact with this address, moved into (+1) or out of (-1) the suppressed counts.
        static string Suppress(string email, int sign, string condition = "1") =>
            Upsert("m.\"AudienceId\"", "c.\"Status\"", "x.\"Suppressed\"", "x.\"Sign\"",
                $"\"Contacts\" AS c JOIN \"AudienceMembers\" AS m ON m.\"ContactId\" = c.\"Id\" " +
                $"CROSS JOIN (SELECT 1 AS \"Suppressed\", {sign} AS \"Sign\" UNION ALL SELECT 0, {-sign}) AS x",
                $"c.\"Email\" = {email} AND {condition}");

        const string suppressionChanged =
            "(OLD.\"LiftedAt\" IS NULL) <> (NEW.\"LiftedAt\" IS NULL) " +
            "OR (OLD.\"Email\" <> NEW.\"Email\" AND (OLD.\"LiftedAt\" IS NULL OR NEW.\"LiftedAt\" IS NULL))";

        return
        [
            "CREATE TRIGGER \"TR_AudienceMembers_Statistics_Insert\" AFTER INSERT ON \"AudienceMembers\" BEGIN " +
                Member("NEW", "1") + " END;",
            "CREATE TRIGGER \"TR_AudienceMembers_Statistics_Update\" AFTER UPDATE OF \"AudienceId\", \"ContactId\" ON \"AudienceMembers\" " +
                "WHEN OLD.\"AudienceId\" <> NEW.\"AudienceId\" OR OLD.\"ContactId\" <> NEW.\"ContactId\" BEGIN " +
                Member("OLD", "-1") + " " + Member("NEW", "1") + " END;",
            "CREATE TRIGGER \"TR_AudienceMembers_Statistics_Delete\" AFTER DELETE ON \"AudienceMembers\" BEGIN " +
                Member("OLD", "-1") + " END;",
            // Old counts out, new counts in: a status change, or an address moving on or off the suppression list.
            "CREATE TRIGGER \"TR_Contacts_AudienceStatistics_Update\" AFTER UPDATE OF \"Status\", \"Email\" ON \"Contacts\" " +
                "WHEN OLD.\"Status\" <> NEW.\"Status\" OR OLD.\"Email\" <> NEW.\"Email\" BEGIN " +
                Upsert("m.\"AudienceId\"", "x.\"Status\"", "x.\"Suppressed\"", "x.\"Sign\"",
                    $"\"AudienceMembers\" AS m CROSS JOIN (SELECT OLD.\"Status\" AS \"Status\", {SqliteSuppressed("OLD.\"Email\"")} AS \"Suppressed\", -1 AS \"Sign\" " +
                    $"UNION ALL SELECT NEW.\"Status\", {SqliteSuppressed("NEW.\"Email\"")}, 1) AS x",
                    "m.\"ContactId\" = NEW.\"Id\"") + " END;",
            // Before the row goes: the cascade that removes its memberships runs after it is gone, when the members'
            // trigger can no longer read its status.
            "CREATE TRIGGER \"TR_Contacts_AudienceStatistics_Delete\" BEFORE DELETE ON \"Contacts\" BEGIN " +
                Upsert("m.\"AudienceId\"", "OLD.\"Status\"", SqliteSuppressed("OLD.\"Email\""), "-1", "\"AudienceMembers\" AS m",
                    "m.\"ContactId\" = OLD.\"Id\"") + " END;",
            "CREATE TRIGGER \"TR_SuppressionEntries_AudienceStatistics_Insert\" AFTER INSERT ON \"SuppressionEntries\" " +
                "WHEN NEW.\"LiftedAt\" IS NULL BEGIN " + Suppress("NEW.\"Email\"", 1) + " END;",
            "CREATE TRIGGER \"TR_SuppressionEntries_AudienceStatistics_Update\" AFTER UPDATE OF \"LiftedAt\", \"Email\" ON \"SuppressionEntries\" " +
                $"WHEN {suppressionChanged} BEGIN " +
                Suppress("OLD.\"Email\"", -1, "OLD.\"LiftedAt\" IS NULL") + " " +
                Suppress("NEW.\"Email\"", 1, "NEW.\"LiftedAt\" IS NULL") + " END;",
            "CREATE TRIGGER \"TR_SuppressionEntries_AudienceStatistics_Delete\" AFTER DELETE ON \"SuppressionEntries\" " +
                "WHEN OLD.\"LiftedAt\" IS NULL BEGIN " + Suppress("OLD.\"Email\"", -1) + " END;",
        ];
    }

    /// <summary>SQLite: fills the table from the rows already there (run once, after the triggers exist).</summary>
    public static IReadOnlyList<string> SqliteFill() =>
    [
        $"INSERT INTO {Table} (\"AudienceId\", \"Status\", \"Suppressed\", \"Members\") " +
            $"SELECT m.\"AudienceId\", c.\"Status\", {SqliteSuppressed("c.\"Email\"")}, COUNT(*) " +
            "FROM \"AudienceMembers\" AS m JOIN \"Contacts\" AS c ON c.\"Id\" = m.\"ContactId\" GROUP BY 1, 2, 3;",
    ];

    /// <summary>SQLite: counts the table again from the source rows (bulk loads, whose rows arrive in any order).</summary>
    public static IReadOnlyList<string> SqliteRebuild() => [$"DELETE FROM {Table};", .. SqliteFill()];

    /// <summary>SQLite: drops the triggers (the migration's Down).</summary>
    public static IReadOnlyList<string> SqliteDrop() =>
        TriggerNames.Select(name => $"DROP TRIGGER IF EXISTS \"{name}\";").ToList();

    // ---- SQL Server ---------------------------------------------------------------------------------------------

    /// <summary>SQL Server: the triggers, each through EXEC so it is first in its own batch also in a generated script.</summary>
    public static IReadOnlyList<string> SqlServerCreate() =>
        SqlServerTriggers().Select(sql => $"EXEC(N'{sql.Replace("'", "''", StringComparison.Ordinal)}');").ToList();

    private static IEnumerable<string> SqlServerTriggers()
    {
        static string Merge(string source) =>
            $"MERGE [AudienceStatistics] WITH (HOLDLOCK) AS t USING ({source}) AS s " +
            "ON t.[AudienceId] = s.[AudienceId] AND t.[Status] = s.[Status] AND t.[Suppressed] = s.[Suppressed] " +
            "WHEN MATCHED THEN UPDATE SET [Members] = t.[Members] + s.[Members] " +
            "WHEN NOT MATCHED THEN INSERT ([AudienceId], [Status], [Suppressed], [Members]) " +
            "VALUES (s.[AudienceId], s.[Status], s.[Suppressed], s.[Members]);";

        const string audienceExists = "EXISTS (SELECT 1 FROM [Audiences] AS a WHERE a.[Id] = o.[AudienceId])";
        const string contactGone = "NOT EXISTS (SELECT 1 FROM [Contacts] AS c WHERE c.[Id] = o.[ContactId])";

        return
        [
            "CREATE TRIGGER [TR_AudienceMembers_Statistics] ON [AudienceMembers] AFTER INSERT, UPDATE, DELETE AS BEGIN SET NOCOUNT ON; " +
                Merge($"SELECT x.[AudienceId], c.[Status], {SqlServerSuppressed("sup")} AS [Suppressed], SUM(x.[Sign]) AS [Members] " +
                    "FROM (SELECT i.[AudienceId], i.[ContactId], 1 AS [Sign] FROM inserted AS i " +
                    "UNION ALL SELECT o.[AudienceId], o.[ContactId], -1 FROM deleted AS o) AS x " +
                    $"JOIN [Contacts] AS c ON c.[Id] = x.[ContactId] {SqlServerSuppressionJoin("sup", "c.[Email]")} " +
                    "WHERE EXISTS (SELECT 1 FROM [Audiences] AS a WHERE a.[Id] = x.[AudienceId]) " +
                    $"GROUP BY x.[AudienceId], c.[Status], {SqlServerSuppressed("sup")}") + " " +
                // Members whose contact is gone (a contact deleted, its memberships by cascade): their status is gone
                // too, so those audiences are counted again (rare: contacts are not deleted in the normal course).
                "DECLARE @recount TABLE ([AudienceId] bigint PRIMARY KEY); " +
                $"INSERT INTO @recount ([AudienceId]) SELECT DISTINCT o.[AudienceId] FROM deleted AS o WHERE {contactGone} AND {audienceExists}; " +
                "IF @@ROWCOUNT > 0 BEGIN " +
                "DELETE t FROM [AudienceStatistics] AS t JOIN @recount AS r ON r.[AudienceId] = t.[AudienceId]; " +
                SqlServerCount("JOIN @recount AS r ON r.[AudienceId] = m.[AudienceId]") + " END; END",
            "CREATE TRIGGER [TR_Contacts_AudienceStatistics] ON [Contacts] AFTER UPDATE AS BEGIN SET NOCOUNT ON; " +
                "IF NOT (UPDATE([Status]) OR UPDATE([Email])) RETURN; " +
                Merge("SELECT m.[AudienceId], x.[Status], x.[Suppressed], SUM(x.[Sign]) AS [Members] FROM (" +
                    $"SELECT i.[Id], i.[Status], {SqlServerSuppressed("si")} AS [Suppressed], 1 AS [Sign] FROM inserted AS i {SqlServerSuppressionJoin("si", "i.[Email]")} " +
                    $"UNION ALL SELECT d.[Id], d.[Status], {SqlServerSuppressed("sd")}, -1 FROM deleted AS d {SqlServerSuppressionJoin("sd", "d.[Email]")}) AS x " +
                    "JOIN [AudienceMembers] AS m ON m.[ContactId] = x.[Id] " +
                    "GROUP BY m.[AudienceId], x.[Status], x.[Suppressed] HAVING SUM(x.[Sign]) <> 0") + " END",
            "CREATE TRIGGER [TR_SuppressionEntries_AudienceStatistics] ON [SuppressionEntries] AFTER INSERT, UPDATE, DELETE AS BEGIN SET NOCOUNT ON; " +
                Merge("SELECT m.[AudienceId], c.[Status], v.[Suppressed], SUM(v.[Sign] * e.[Change]) AS [Members] FROM (" +
                    "SELECT x.[Email], SUM(x.[Sign]) AS [Change] FROM (" +
                    "SELECT i.[Email], 1 AS [Sign] FROM inserted AS i WHERE i.[LiftedAt] IS NULL " +
                    "UNION ALL SELECT o.[Email], -1 FROM deleted AS o WHERE o.[LiftedAt] IS NULL) AS x " +
                    "GROUP BY x.[Email] HAVING SUM(x.[Sign]) <> 0) AS e " +
                    "JOIN [Contacts] AS c ON c.[Email] = e.[Email] JOIN [AudienceMembers] AS m ON m.[ContactId] = c.[Id] " +
                    "CROSS JOIN (VALUES (1, 1), (0, -1)) AS v([Suppressed], [Sign]) " +
                    "GROUP BY m.[AudienceId], c.[Status], v.[Suppressed]") + " END",
        ];
    }

    /// <summary>SQL Server: fills the table from the rows already there.</summary>
    public static IReadOnlyList<string> SqlServerFill() => [SqlServerCount(string.Empty)];

    /// <summary>SQL Server: counts the table again from the source rows (after a bulk copy, which skips triggers).</summary>
    public static IReadOnlyList<string> SqlServerRebuild() => ["DELETE FROM [AudienceStatistics];", .. SqlServerFill()];

    /// <summary>SQL Server: drops the triggers (the migration's Down).</summary>
    public static IReadOnlyList<string> SqlServerDrop() =>
        SqlServerTriggerNames.Select(name => $"DROP TRIGGER IF EXISTS [{name}];").ToList();

    /// <summary>SQLite trigger names.</summary>
    public static IReadOnlyList<string> TriggerNames { get; } =
    [
        "TR_AudienceMembers_Statistics_Insert", "TR_AudienceMembers_Statistics_Update", "TR_AudienceMembers_Statistics_Delete",
        "TR_Contacts_AudienceStatistics_Update", "TR_Contacts_AudienceStatistics_Delete",
        "TR_SuppressionEntries_AudienceStatistics_Insert", "TR_SuppressionEntries_AudienceStatistics_Update",
        "TR_SuppressionEntries_AudienceStatistics_Delete",
    ];

    /// <summary>SQL Server trigger names (also declared on the model with HasTrigger, so EF saves without OUTPUT).</summary>
    public static IReadOnlyList<string> SqlServerTriggerNames { get; } =
        ["TR_AudienceMembers_Statistics", "TR_Contacts_AudienceStatistics", "TR_SuppressionEntries_AudienceStatistics"];

    /// <summary>1 when the address has a suppression in force, else 0 (the filtered unique index answers it).</summary>
    private static string SqliteSuppressed(string email) =>
        $"EXISTS (SELECT 1 FROM \"SuppressionEntries\" AS s WHERE s.\"Email\" = {email} AND s.\"LiftedAt\" IS NULL)";

    // SQL Server allows no subquery in GROUP BY: a LEFT JOIN to the entry in force (at most one per address) instead.
    private static string SqlServerSuppressionJoin(string alias, string email) =>
        $"LEFT JOIN [SuppressionEntries] AS {alias} ON {alias}.[Email] = {email} AND {alias}.[LiftedAt] IS NULL";

    private static string SqlServerSuppressed(string alias) => $"CASE WHEN {alias}.[Email] IS NULL THEN 0 ELSE 1 END";

    private static string SqlServerCount(string filter) =>
        "INSERT INTO [AudienceStatistics] ([AudienceId], [Status], [Suppressed], [Members]) " +
        $"SELECT m.[AudienceId], c.[Status], {SqlServerSuppressed("sup")}, COUNT(*) FROM [AudienceMembers] AS m {filter} " +
        $"JOIN [Contacts] AS c ON c.[Id] = m.[ContactId] {SqlServerSuppressionJoin("sup", "c.[Email]")} " +
        $"GROUP BY m.[AudienceId], c.[Status], {SqlServerSuppressed("sup")};";
}
