using BounceDashboard.Domain.Bounces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>
/// A database made by the first release, with rows in it, upgraded by today's migrations (issue 9): unmatched events
/// that were marked applied and changed nothing wait for a match again, an unmatched complaint that suppressed under the
/// old rule stays applied, every event gets its recipient's domain, and earlier opens and clicks get unique
/// idempotency keys, so the new unique index can be built.
/// </summary>
public sealed class MigrationUpgradeTests
{
    private const string FirstRelease = "20261122144556_InitialCreate";

    [Fact]
    public async Task Migrate_ShouldCarryTheFirstReleasesRowsOver_WhenUpgradingAnExistingDatabase()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:;Foreign Keys=True");
        await connection.OpenAsync();
        var options = new DbContextOptionsBuilder<Web.Data.SqliteBounceDbContext>().UseSqlite(connection).Options;
        await using (var old = new Web.Data.SqliteBounceDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync(FirstRelease);
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO Contacts (Id, Email, Status, CreatedAt, StatusChangedAt, ConsecutiveSoftBounces, ConsecutiveHardBounces, ConsecutiveBounces)
                    VALUES (1, 'pat@example.com', 'Active', 0, 0, 0, 0, 0);
                INSERT INTO Campaigns (Id, Name, Kind, State, FromAddress, FromDomain, Subject, CreatedAt)
                    VALUES (1, 'News', 'Regular', 'Sent', 'news@mail.example.org', 'mail.example.org', 'News', 0);
                INSERT INTO Deliveries (Id, CampaignId, ContactId, State, CreatedAt, StateChangedAt, AttemptCount)
                    VALUES (1, 1, 1, 'HardBounced', 0, 0, 1);
                INSERT INTO BounceEvents (Id, DeliveryId, Source, Kind, Recipient, Reason, Permanent, Hard, Rule, ReceivedAt, IdempotencyKey, AppliedAt, Effect)
                    VALUES (1, 1, 'Mailbox', 'Bounce', 'pat@example.com', 'UserUnknown', 1, 1, 'dsn', 10, 'Mailbox:1:1:pat@example.com', 10, 'HardBounced');
                INSERT INTO BounceEvents (Id, DeliveryId, Source, Kind, Recipient, Reason, Permanent, Hard, Rule, ReceivedAt, IdempotencyKey, AppliedAt, Effect)
                    VALUES (2, NULL, 'Mailbox', 'FeedbackReport', 'Someone@Example.NET', 'Feedback', 0, 0, 'arf', 20, 'Mailbox:1:2:someone@example.net', 20, 'Complaint');
                INSERT INTO BounceEvents (Id, DeliveryId, Source, Kind, Recipient, Reason, Permanent, Hard, Rule, ReceivedAt, IdempotencyKey, AppliedAt, Effect)
                    VALUES (3, NULL, 'Mailbox', 'Unparseable', '', 'Undefined', 0, 0, 'unparseable', 30, 'Mailbox:1:3:', 30, 'None');
                INSERT INTO BounceEvents (Id, DeliveryId, Source, Kind, Recipient, Reason, Permanent, Hard, Rule, ReceivedAt, IdempotencyKey, AppliedAt, Effect)
                    VALUES (4, NULL, 'Mailbox', 'Bounce', 'gone@example.org', 'UserUnknown', 1, 1, 'dsn', 40, 'Mailbox:1:4:gone@example.org', 40, 'None');
                INSERT INTO TrackingEvents (Id, DeliveryId, Kind, OccurredAt) VALUES (1, 1, 'Open', 5), (2, 1, 'Open', 5);
                """);
        }

        await using var db = new Web.Data.SqliteBounceDbContext(options);
        await db.Database.MigrateAsync();

        var events = await db.BounceEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(
            [
                (BounceEventState.Applied, true, "example.com"),
                (BounceEventState.Applied, true, "example.net"),
                (BounceEventState.AwaitingMatch, false, (string?)null),
                (BounceEventState.AwaitingMatch, false, "example.org"),
            ],
            events.Select(e => (e.State, e.AppliedAt is not null, e.RecipientDomain)).ToList());
        Assert.Equal(BounceEffect.Complaint, events[1].Effect);
        Assert.Null(events[3].Effect);
        var keys = await db.TrackingEvents.AsNoTracking().Select(t => t.IdempotencyKey).ToListAsync();
        Assert.Equal(2, keys.Distinct().Count());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}
