using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>
/// SQL Server cannot run here: the statistics triggers are checked in the migration script (each its own batch, after
/// its tables, declared on the model so EF saves without OUTPUT) and their SQL checked for shape.
/// </summary>
public sealed class StatisticsTriggersSqlServerTests
{
    private const string UnreachableServer = "Server=sqlserver.invalid;Database=BounceDashboard;User Id=none;Password=none;TrustServerCertificate=true";

    private static SqlServerBounceDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SqlServerBounceDbContext>().UseSqlServer(UnreachableServer).Options);

    [Fact]
    public void GenerateScript_ShouldCreateEachTriggerInItsOwnBatchAfterTheStatisticsTables()
    {
        using var db = CreateContext();
        var script = db.GetService<IMigrator>().GenerateScript();

        var tables = script.IndexOf("CREATE TABLE [CampaignActivity]", StringComparison.Ordinal);
        Assert.True(tables > 0, "no CampaignActivity table");
        foreach (var name in StatisticsTriggers.SqlServerTriggerNames)
        {
            // EXEC runs its text as a batch of its own, where CREATE TRIGGER must stand first.
            var at = script.IndexOf($"EXEC(N'CREATE TRIGGER [{name}]", StringComparison.Ordinal);
            Assert.True(at > tables, $"trigger {name} missing, not in its own batch, or before its tables");
        }
    }

    [Fact]
    public void Model_ShouldDeclareTheTriggers_SoSavesAvoidTheOutputClause()
    {
        using var db = CreateContext();
        var declared = db.Model.GetEntityTypes().SelectMany(e => e.GetDeclaredTriggers()).Select(t => t.ModelName).Order().ToList();
        Assert.Equal(StatisticsTriggers.SqlServerTriggerNames.Concat(AudienceStatisticsTriggers.SqlServerTriggerNames).Order(), declared);
    }

    [Fact]
    public void Sql_ShouldBalanceParenthesesAndEndEveryMerge()
    {
        foreach (var sql in StatisticsTriggers.SqlServerCreate().Concat(StatisticsTriggers.SqlServerRebuild()))
        {
            Assert.EndsWith(";", sql, StringComparison.Ordinal);
            Assert.Equal(sql.Count(c => c == '('), sql.Count(c => c == ')'));
            var merges = sql.Split("MERGE ", StringSplitOptions.RemoveEmptyEntries).Skip(1);
            Assert.All(merges, merge => Assert.Contains("WHEN NOT MATCHED THEN INSERT", merge, StringComparison.Ordinal));
            Assert.DoesNotContain("\"", sql, StringComparison.Ordinal);
        }
    }
}
