using BounceDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>
/// The migration that turns a campaign's one audience (Campaigns.AudienceId) into rows of CampaignAudiences: on a
/// database with campaigns in it, every audience comes over, the column goes, and nothing that refers to a campaign is
/// lost while SQLite rebuilds the Campaigns table (its deliveries cascade on delete).
/// </summary>
public sealed class CampaignAudiencesMigrationTests
{
    private const string Before = "20261207183806_CampaignStatistics";

    [Fact]
    public async Task Migrate_ShouldCopyEveryCampaignsAudienceAndKeepItsDeliveries_WhenUpgradingADatabaseWithCampaigns()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:;Foreign Keys=True");
        await connection.OpenAsync();
        var options = new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite(connection).Options;
        await using (var old = new SqliteBounceDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync(Before);
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO Contacts (Id, Email, Status, CreatedAt, StatusChangedAt, ConsecutiveSoftBounces, ConsecutiveHardBounces, ConsecutiveBounces)
                    VALUES (1, 'pat@example.com', 'Active', 0, 0, 0, 0, 0), (2, 'sam@example.com', 'Active', 0, 0, 0, 0, 0);
                INSERT INTO Audiences (Id, Name, CreatedAt) VALUES (1, 'Readers', 0), (2, 'Buyers', 0);
                INSERT INTO AudienceMembers (AudienceId, ContactId, AddedAt) VALUES (1, 1, 0), (2, 2, 0);
                INSERT INTO Campaigns (Id, Name, Kind, State, FromAddress, FromDomain, Subject, CreatedAt, AudienceId, PausedAutomatically)
                    VALUES (1, 'News', 'Regular', 'Sent', 'news@mail.example.org', 'mail.example.org', 'News', 0, 1, 0),
                           (2, 'Offers', 'Regular', 'Draft', 'news@mail.example.org', 'mail.example.org', 'Offers', 0, 2, 0),
                           (3, 'Test of News', 'Test', 'Sent', 'news@mail.example.org', 'mail.example.org', 'News', 0, NULL, 0);
                INSERT INTO Deliveries (Id, CampaignId, ContactId, State, CreatedAt, StateChangedAt, AttemptCount)
                    VALUES (1, 1, 1, 'Delivered', 0, 0, 1), (2, 3, 2, 'Delivered', 0, 0, 1);
                """);
        }

        await using var db = new SqliteBounceDbContext(options);
        await db.Database.MigrateAsync();

        var rows = await db.CampaignAudiences.AsNoTracking().OrderBy(a => a.CampaignId).Select(a => new { a.CampaignId, a.AudienceId }).ToListAsync();
        Assert.Equal([(1L, 1L), (2L, 2L)], rows.Select(r => (r.CampaignId, r.AudienceId)).ToList());
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
        Assert.Equal([[1L], [2L], []], campaigns.Select(c => c.AudienceIds.ToArray()).ToList());
        Assert.Equal(2, await db.Deliveries.CountAsync());
        Assert.Equal(2, await db.CampaignStatistics.SumAsync(s => s.Delivered));
        await using var columns = connection.CreateCommand();
        columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('Campaigns') WHERE name = 'AudienceId'";
        Assert.Equal(0L, (long)(await columns.ExecuteScalarAsync())!);
        await using var check = connection.CreateCommand();
        check.CommandText = "SELECT COUNT(*) FROM pragma_foreign_key_check";
        Assert.Equal(0L, (long)(await check.ExecuteScalarAsync())!);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task MigrateDown_ShouldPutACampaignsLowestAudienceBack_WhenRevertingTheMigration()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:;Foreign Keys=True");
        await connection.OpenAsync();
        var options = new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite(connection).Options;
        await using var db = new SqliteBounceDbContext(options);
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO Audiences (Id, Name, CreatedAt) VALUES (1, 'Readers', 0), (2, 'Buyers', 0);
            INSERT INTO Campaigns (Id, Name, Kind, State, FromAddress, FromDomain, Subject, CreatedAt, PausedAutomatically)
                VALUES (1, 'News', 'Regular', 'Draft', 'news@mail.example.org', 'mail.example.org', 'News', 0, 0);
            INSERT INTO CampaignAudiences (CampaignId, AudienceId) VALUES (1, 2), (1, 1);
            """);

        await db.GetService<IMigrator>().MigrateAsync(Before);

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT AudienceId FROM Campaigns WHERE Id = 1";
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }
}
