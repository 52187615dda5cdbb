using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>
/// SQL Server cannot run here: the audience statistics triggers are checked in the migration script (each its own
/// batch, after the table, with the fill after the triggers) and their SQL checked for shape.
/// </summary>
public sealed class AudienceStatisticsTriggersSqlServerTests
{
    private const string UnreachableServer = "Server=sqlserver.invalid;Database=BounceDashboard;User Id=none;Password=none;TrustServerCertificate=true";

    [Fact]
    public void GenerateScript_ShouldCreateEachTriggerInItsOwnBatchAfterTheTable_AndFillAfterTheTriggers()
    {
        using var db = new SqlServerBounceDbContext(
            new DbContextOptionsBuilder<SqlServerBounceDbContext>().UseSqlServer(UnreachableServer).Options);
        var script = db.GetService<IMigrator>().GenerateScript();

        var table = script.IndexOf("CREATE TABLE [AudienceStatistics]", StringComparison.Ordinal);
        Assert.True(table > 0, "no AudienceStatistics table");
        var triggers = AudienceStatisticsTriggers.SqlServerTriggerNames
            .Select(name => (name, at: script.IndexOf($"EXEC(N'CREATE TRIGGER [{name}]", StringComparison.Ordinal)))
            .ToList();
        Assert.All(triggers, t => Assert.True(t.at > table, $"trigger {t.name} missing, not in its own batch, or before its table"));
        // The members' trigger holds the same INSERT (its recount), so the fill is the last one in the script.
        var fill = script.LastIndexOf("INSERT INTO [AudienceStatistics] ([AudienceId], [Status], [Suppressed], [Members]) SELECT", StringComparison.Ordinal);
        Assert.True(fill > triggers.Max(t => t.at), "the fill must run after the triggers exist");
    }

    [Fact]
    public void Sql_ShouldBalanceParenthesesEndEveryMergeAndUseNoSqliteQuoting()
    {
        var all = AudienceStatisticsTriggers.SqlServerCreate().Concat(AudienceStatisticsTriggers.SqlServerRebuild()).ToList();
        Assert.Equal(AudienceStatisticsTriggers.SqlServerTriggerNames.Count + 2, all.Count);
        foreach (var sql in all)
        {
            Assert.EndsWith(";", sql, StringComparison.Ordinal);
            Assert.Equal(sql.Count(c => c == '('), sql.Count(c => c == ')'));
            var merges = sql.Split("MERGE ", StringSplitOptions.RemoveEmptyEntries).Skip(1);
            Assert.All(merges, merge => Assert.Contains("WHEN NOT MATCHED THEN INSERT", merge, StringComparison.Ordinal));
            Assert.DoesNotContain("\"", sql, StringComparison.Ordinal);
        }

        // Every table that changes what the counts hold carries a trigger.
        var created = string.Join(" ", all);
        Assert.Contains("ON [AudienceMembers] AFTER INSERT, UPDATE, DELETE", created, StringComparison.Ordinal);
        Assert.Contains("ON [Contacts] AFTER UPDATE", created, StringComparison.Ordinal);
        Assert.Contains("ON [SuppressionEntries] AFTER INSERT, UPDATE, DELETE", created, StringComparison.Ordinal);
    }

    [Fact]
    public void SqliteSql_ShouldNameEveryTriggerItCreates()
    {
        var created = AudienceStatisticsTriggers.SqliteCreate();
        Assert.Equal(
            AudienceStatisticsTriggers.TriggerNames,
            created.Select(sql => sql.Split('"')[1]).ToList());
    }
}
