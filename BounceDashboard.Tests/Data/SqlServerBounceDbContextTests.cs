using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>SQL Server cannot run here: these prove its model builds and its migration script generates, offline.</summary>
public class SqlServerBounceDbContextTests
{
    // Never opened: building the model and scripting migrations need no server.
    private const string UnreachableServer = "Server=sqlserver.invalid;Database=BounceDashboard;User Id=none;Password=none;TrustServerCertificate=true";

    private static SqlServerBounceDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SqlServerBounceDbContext>().UseSqlServer(UnreachableServer).Options);

    [Fact]
    public void GenerateScript_ShouldCreateEveryTableAndIndexOfTheModel_WhenScriptingFromEmpty()
    {
        using var db = CreateContext();

        var script = db.GetService<IMigrator>().GenerateScript();

        foreach (var entityType in db.Model.GetEntityTypes())
        {
            var table = entityType.GetTableName();
            Assert.True(script.Contains($"CREATE TABLE [{table}]", StringComparison.Ordinal), $"no CREATE TABLE for {table}");
            foreach (var index in entityType.GetIndexes())
            {
                var name = index.GetDatabaseName();
                Assert.True(script.Contains($"INDEX [{name}] ON [{table}]", StringComparison.Ordinal), $"no index {name} on {table}");
            }
        }
    }

    [Fact]
    public void GenerateScript_ShouldIncludeTheIdentityTables_WhenScriptingFromEmpty()
    {
        using var db = CreateContext();

        var script = db.GetService<IMigrator>().GenerateScript();

        Assert.Contains("CREATE TABLE [AspNetUsers]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [AspNetRoles]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [AspNetUserRoles]", script, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateScript_ShouldCreateTheInboundTablesAndTheirIndexes_WhenScriptingFromEmpty()
    {
        using var db = CreateContext();

        var script = db.GetService<IMigrator>().GenerateScript();

        Assert.Contains("CREATE TABLE [InboundMessages]", script, StringComparison.Ordinal);
        Assert.Contains("[RawContent] varbinary(max) NULL", script, StringComparison.Ordinal);
        Assert.Contains("[ContentHash] char(64) NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_InboundMessages_ContentHash] ON [InboundMessages]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_InboundMessages_Source_SourceKey] ON [InboundMessages]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX [IX_InboundMessages_Outcome_ReceivedAt] ON [InboundMessages]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [MailboxWatermarks]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_MailboxWatermarks_MailboxName] ON [MailboxWatermarks]", script, StringComparison.Ordinal);
        Assert.Contains("CONSTRAINT [FK_BounceEvents_InboundMessages_InboundMessageId]", script, StringComparison.Ordinal);
    }

    [Fact]
    public void IndexKeys_ShouldFitSqlServersLimitOf1700Bytes_WhenEveryColumnIsFull()
    {
        using var db = CreateContext();

        foreach (var entityType in db.Model.GetEntityTypes())
        {
            foreach (var index in entityType.GetIndexes())
            {
                var bytes = index.Properties.Sum(p => KeyBytes(p.GetColumnType()));
                Assert.True(bytes <= 1700, $"index {index.GetDatabaseName()} on {entityType.GetTableName()} may need {bytes} bytes");
            }
        }
    }

    /// <summary>Bytes a column can take in an index key: n(var)char(N) 2N, (var)char(N) N, (max) unlimited, anything else 16 at most.</summary>
    private static int KeyBytes(string columnType)
    {
        var match = System.Text.RegularExpressions.Regex.Match(columnType, @"^(n?)(?:var)?(?:char|binary)\((\d+|max)\)$");
        if (!match.Success)
        {
            return 16;
        }

        return match.Groups[2].Value == "max"
            ? int.MaxValue / 2
            : int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) * (match.Groups[1].Value == "n" ? 2 : 1);
    }

    [Fact]
    public void HasPendingModelChanges_ShouldBeFalse_WhenTheMigrationsAreUpToDate()
    {
        using var db = CreateContext();

        Assert.False(db.Database.HasPendingModelChanges(),
            "The SQL Server model differs from its last migration: add a migration to Data/Migrations/SqlServer.");
    }

    [Fact]
    public void GetMigrations_ShouldListOnlySqlServerMigrations_WhenAskedByTheSqlServerContext()
    {
        using var db = CreateContext();

        var migrations = db.Database.GetMigrations().ToList();

        Assert.NotEmpty(migrations);
        var assembly = db.GetService<IMigrationsAssembly>();
        Assert.All(assembly.Migrations.Values, type =>
            Assert.Equal("BounceDashboard.Web.Data.Migrations.SqlServer", type.Namespace));
    }

    [Theory]
    [InlineData("Contacts")]
    [InlineData("Deliveries")]
    public void GenerateScript_ShouldGiveTheTableARowVersion_WhenTwoEventsCanChangeItAtOnce(string table)
    {
        // Issue 9: optimistic concurrency on SQL Server is the server's own rowversion.
        using var db = CreateContext();

        var script = db.GetService<IMigrator>().GenerateScript();
        var entity = db.Model.GetEntityTypes().Single(e => e.GetTableName() == table);
        var token = entity.FindProperty(Web.Data.Configurations.ConcurrencyTokens.RowVersion);

        Assert.NotNull(token);
        Assert.True(token.IsConcurrencyToken);
        Assert.Contains($"ALTER TABLE [{table}] ADD [RowVersion] rowversion", script, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateExecutionStrategy_ShouldRetryTransientFailures_WhenConfiguredAsTheAppDoes()
    {
        using var db = new SqlServerBounceDbContext(
            new DbContextOptionsBuilder<SqlServerBounceDbContext>().UseSqlServer(UnreachableServer, Web.Hosting.DataExtensions.SqlServerOptions).Options);

        Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure);
    }

    [Fact]
    public void GenerateScript_ShouldCarryExistingRowsOver_WhenUpgradingPastEventStates()
    {
        // The SQL Server twin of MigrationUpgradeTests: the data steps run before the unique tracking-key index is built.
        using var db = CreateContext();

        var script = db.GetService<IMigrator>().GenerateScript();

        var states = script.IndexOf("UPDATE [BounceEvents] SET [State] = CASE WHEN [DeliveryId] IS NULL AND ([Effect] IS NULL OR [Effect] = 'None') THEN 'AwaitingMatch'", StringComparison.Ordinal);
        var keys = script.IndexOf("UPDATE [TrackingEvents] SET [IdempotencyKey] = CONCAT('legacy:', [Id])", StringComparison.Ordinal);
        var index = script.IndexOf("CREATE UNIQUE INDEX [IX_TrackingEvents_IdempotencyKey]", StringComparison.Ordinal);
        Assert.True(states > 0 && keys > 0, "the data steps are missing from the SQL Server script");
        Assert.True(keys < index, "tracking keys must be filled before their unique index is built");
        Assert.Contains("SET [RecipientDomain] = LOWER(SUBSTRING([Recipient]", script, StringComparison.Ordinal);
    }
}
