using System.Data.Common;
using System.Text;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Data.Seeding;

/// <summary>One demo database at the first-run size, generated once for the tests that only read it.</summary>
public sealed class DemoDatabaseFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    public static readonly DemoDataSize Size = new(Contacts: 3_000, Campaigns: 10, Months: 12, Seed: 42);

    public SqliteDatabase Database { get; private set; } = null!;

    public DemoDataSummary Summary { get; private set; } = null!;

    public static DemoDataGenerator CreateGenerator() =>
        new(Options.Create(new RulesOptions()), new FakeTimeProvider(Now), NullLogger<DemoDataGenerator>.Instance);

    public async Task InitializeAsync()
    {
        Database = await SqliteDatabase.CreateAsync();
        await using var db = Database.CreateContext();
        Summary = await CreateGenerator().GenerateAsync(db, Size, CancellationToken.None);
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();
}

/// <summary>The generator at a small size, on SQLite with the real migrations: the data must hold together.</summary>
public class DemoDataGeneratorTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    private static readonly DateTimeOffset Now = DemoDatabaseFixture.Now;
    private static readonly DemoDataSize Size = DemoDatabaseFixture.Size;

    private readonly SqliteDatabase _database = fixture.Database;
    private readonly DemoDataSummary _summary = fixture.Summary;

    private static DemoDataGenerator CreateGenerator() => DemoDatabaseFixture.CreateGenerator();

    private Task<long> CountAsync(string sql) => CountAsync(_database.Connection, sql);

    private static async Task<long> CountAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task GenerateAsync_ShouldWriteTheRowsItReports_WhenTheDatabaseIsEmpty()
    {
        foreach (var (table, rows) in _summary.RowsByTable)
        {
            Assert.Equal(rows, await CountAsync($"SELECT COUNT(*) FROM \"{table}\""));
        }

        Assert.Equal(Size.Contacts, _summary.RowsIn("Contacts"));
        Assert.Equal(Size.Campaigns, _summary.RowsIn("Campaigns"));
        Assert.True(_summary.RowsIn("Deliveries") > Size.Contacts, "every contact should get several campaigns");
    }

    [Fact]
    public async Task GenerateAsync_ShouldLeaveNoBrokenReference_WhenDone()
    {
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM pragma_foreign_key_check"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM Deliveries d LEFT JOIN Contacts c ON c.Id = d.ContactId WHERE c.Id IS NULL"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM Deliveries d LEFT JOIN Campaigns c ON c.Id = d.CampaignId WHERE c.Id IS NULL"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM DeliveryAttempts a LEFT JOIN Deliveries d ON d.Id = a.DeliveryId WHERE d.Id IS NULL"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM TrackingEvents t LEFT JOIN Deliveries d ON d.Id = t.DeliveryId WHERE d.Id IS NULL"));
    }

    [Fact]
    public async Task GenerateAsync_ShouldSendRegularCampaignsToTheirAudiencesOnly_WhenSomeGoToTwo()
    {
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM Campaigns c WHERE c.Kind = 'Regular' AND NOT EXISTS (SELECT 1 FROM CampaignAudiences a WHERE a.CampaignId = c.Id)"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM Campaigns c JOIN CampaignAudiences a ON a.CampaignId = c.Id WHERE c.Kind <> 'Regular'"));
        Assert.True(await CountAsync("SELECT COUNT(*) FROM (SELECT CampaignId FROM CampaignAudiences GROUP BY CampaignId HAVING COUNT(*) = 2)") >= 2,
            "some demo campaigns (a sent one and the scheduled one) go to two audiences");

        // Every delivery of a regular campaign goes to a member of one of its audiences, and each contact once.
        Assert.Equal(0, await CountAsync("""
            SELECT COUNT(*) FROM Deliveries d JOIN Campaigns c ON c.Id = d.CampaignId
            WHERE c.Kind = 'Regular' AND NOT EXISTS (
                SELECT 1 FROM CampaignAudiences a JOIN AudienceMembers m ON m.AudienceId = a.AudienceId
                WHERE a.CampaignId = c.Id AND m.ContactId = d.ContactId)
            """));
        Assert.True(await CountAsync("""
            SELECT COUNT(*) FROM Deliveries d
            WHERE d.CampaignId IN (SELECT CampaignId FROM CampaignAudiences GROUP BY CampaignId HAVING COUNT(*) = 2)
              AND (SELECT COUNT(*) FROM AudienceMembers m JOIN CampaignAudiences a ON a.AudienceId = m.AudienceId
                   WHERE a.CampaignId = d.CampaignId AND m.ContactId = d.ContactId) = 2
            """) > 0, "a contact on both audiences of a campaign gets one delivery (the unique index allows no second)");
    }

    [Fact]
    public async Task GenerateAsync_ShouldRecordOneFinalBounceEventPerBouncedDelivery_WhenDeliveriesBounce()
    {
        var hard = await CountAsync("SELECT COUNT(*) FROM Deliveries WHERE State = 'HardBounced'");
        var soft = await CountAsync("SELECT COUNT(*) FROM Deliveries WHERE State = 'SoftBounced'");

        Assert.True(hard > 0 && soft > 0, $"expected both kinds of bounce, got {hard} hard and {soft} soft");
        Assert.Equal(hard, await CountAsync("SELECT COUNT(*) FROM BounceEvents WHERE Effect = 'HardBounced'"));
        Assert.Equal(soft, await CountAsync("SELECT COUNT(*) FROM BounceEvents WHERE Effect = 'SoftBounced'"));
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM BounceEvents e JOIN Deliveries d ON d.Id = e.DeliveryId " +
            "WHERE e.Effect IN ('HardBounced', 'SoftBounced') AND e.Effect <> d.State"));
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM Deliveries d WHERE d.State IN ('HardBounced', 'SoftBounced') " +
            "AND NOT EXISTS (SELECT 1 FROM BounceEvents e WHERE e.DeliveryId = d.Id AND e.Effect = d.State)"));
    }

    [Fact]
    public async Task GenerateAsync_ShouldCopyTheOriginOntoBounceEvents_WhenTheyAreMatched()
    {
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM BounceEvents e JOIN Deliveries d ON d.Id = e.DeliveryId JOIN Campaigns c ON c.Id = d.CampaignId " +
            "WHERE e.CampaignId IS NOT d.CampaignId OR e.SendingDomain IS NOT c.FromDomain OR e.SendingIp IS NOT d.SendingIp"));
        Assert.True(await CountAsync("SELECT COUNT(*) FROM BounceEvents WHERE DeliveryId IS NULL") > 0, "the review queue should not be empty");
    }

    [Fact]
    public async Task GenerateAsync_ShouldBuildTheBounceReportCells_WhenBouncesAreWrittenInBulk()
    {
        // The bulk path bypasses SaveChanges: the report's patterns come from the entities and its cells from one rebuild.
        var bounces = await CountAsync("SELECT COUNT(*) FROM BounceEvents WHERE Kind = 'Bounce'");
        Assert.True(bounces > 0);
        Assert.Equal(bounces, await CountAsync("SELECT COALESCE(SUM(Amount), 0) FROM BounceReportCells"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM BounceEvents WHERE Pattern = '' OR PatternHash = 0"));
    }

    [Fact]
    public async Task GenerateAsync_ShouldKeepCountsAndTimesConsistent_WhenDeliveriesAreAttempted()
    {
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM Deliveries d WHERE d.AttemptCount <> (SELECT COUNT(*) FROM DeliveryAttempts a WHERE a.DeliveryId = d.Id)"));
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM Deliveries d WHERE (d.OpenedAt IS NOT NULL) <> EXISTS (SELECT 1 FROM TrackingEvents t WHERE t.DeliveryId = d.Id)"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM Deliveries WHERE State = 'Skipped' AND AttemptCount > 0"));
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM TrackingEvents WHERE OccurredAt > {Now.UtcTicks}"));
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM BounceEvents WHERE ReceivedAt > {Now.UtcTicks}"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM Deliveries WHERE State = 'AwaitingRetry' AND NextAttemptAt IS NULL"));
    }

    [Fact]
    public async Task GenerateAsync_ShouldProduceContactsInEveryStatus_WhenRunAtTheFirstRunSize()
    {
        await using var db = _database.CreateContext();

        var statuses = await db.Contacts.Select(c => c.Status).Distinct().ToListAsync();

        Assert.Equal(Enum.GetValues<ContactStatus>().Order(), statuses.Order());
    }

    [Fact]
    public async Task GenerateAsync_ShouldSuppressEveryBadAddressAndConfirmedBounce_WhenTheRulesSaySo()
    {
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM Contacts c WHERE (c.ErrorCause = 'BadAddress' OR c.Status = 'ConfirmedBounce') " +
            "AND NOT EXISTS (SELECT 1 FROM SuppressionEntries s WHERE s.Email = c.Email AND s.LiftedAt IS NULL)"));
        Assert.True(await CountAsync("SELECT COUNT(*) FROM SuppressionEntries WHERE Reason = 'Complaint'") > 0);
        Assert.Equal(
            await CountAsync("SELECT COUNT(*) FROM SuppressionEntries WHERE LiftedAt IS NOT NULL"),
            await CountAsync("SELECT COUNT(*) FROM AuditLogEntries WHERE Action = 'ReactivateAddress'"));
    }

    [Fact]
    public async Task GenerateAsync_ShouldGiveTheSameData_WhenTheSeedIsTheSame()
    {
        await using var other = await SqliteDatabase.CreateAsync();
        await using (var db = other.CreateContext())
        {
            await CreateGenerator().GenerateAsync(db, Size, CancellationToken.None);
        }

        Assert.Equal(await FingerprintAsync(_database.Connection), await FingerprintAsync(other.Connection));
    }

    [Fact]
    public async Task GenerateAsync_ShouldRefuse_WhenTheDatabaseAlreadyHoldsData()
    {
        await using var db = _database.CreateContext();

        await Assert.ThrowsAsync<InvalidOperationException>(() => CreateGenerator().GenerateAsync(db, Size, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAllAsync_ShouldEmptyEveryDemoTable_WhenDataExists()
    {
        await using var own = await SqliteDatabase.CreateAsync();
        await using var db = own.CreateContext();
        var summary = await CreateGenerator().GenerateAsync(db, new DemoDataSize(200, 4, 3, 5), CancellationToken.None);
        var now = DateTimeOffset.UnixEpoch;
        db.InboundMessages.Add(InboundMessage.Receive(InboundSource.File, "/mail/1.eml", "Subject: x\r\n\r\nx"u8, now));
        var watermark = MailboxWatermark.Create("bounces");
        watermark.AdvanceWatermark(7, 42, now);
        db.MailboxWatermarks.Add(watermark);
        await db.SaveChangesAsync();

        await DemoDataGenerator.DeleteAllAsync(db, CancellationToken.None);

        foreach (var table in summary.RowsByTable.Keys.Concat(["InboundMessages", "MailboxWatermarks", "BounceReportCells"]))
        {
            Assert.Equal(0, await CountAsync(own.Connection, $"SELECT COUNT(*) FROM \"{table}\""));
        }
    }

    [Fact]
    public async Task GenerateAsync_ShouldRestoreTheConnectionSettings_WhenDone()
    {
        Assert.Equal(1, await CountAsync("PRAGMA foreign_keys"));
        await Assert.ThrowsAsync<DbUpdateException>(() =>
            _database.SeedAsync(new DeliveryBuilder(campaignId: 1, contactId: 999_999).Build()));
    }

    private static async Task<string> FingerprintAsync(DbConnection connection)
    {
        var text = new StringBuilder();
        foreach (var sql in new[]
        {
            "SELECT Email || Status || ConsecutiveHardBounces || IFNULL(LastActivityAt, '') FROM Contacts ORDER BY Id",
            "SELECT ContactId || State || AttemptCount || IFNULL(OpenedAt, '') || IFNULL(LastSmtpReply, '') FROM Deliveries ORDER BY Id",
            "SELECT IdempotencyKey || Reason || ReceivedAt FROM BounceEvents ORDER BY Id",
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.AppendLine(reader.GetString(0));
            }
        }

        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
