using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>Persistence on real SQLite with the real migrations: round trips, stored forms, constraints and indexes.</summary>
public class BounceDbContextTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _database.Connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<(long CampaignId, long ContactId)> SeedCampaignAndContactAsync(string email = "ann.smith@example.com")
    {
        var campaign = new CampaignBuilder().Build();
        var contact = new ContactBuilder().WithEmail(email).Build();
        await _database.SeedAsync(campaign, contact);
        return (campaign.Id, contact.Id);
    }

    [Fact]
    public async Task SaveChanges_ShouldRoundTripAContact_WhenReadInANewContext()
    {
        var contact = new ContactBuilder().WithEmail("  Bob.Jones@Example.COM ").WithDisplayName("Bob Jones").Build();
        contact.MarkError(ContactErrorCause.BadAddress, TestData.Now.AddHours(1));
        await _database.SeedAsync(contact);

        await using var db = _database.CreateContext();
        var loaded = await db.Contacts.SingleAsync(c => c.Id == contact.Id);

        Assert.Equal("bob.jones@example.com", loaded.Email);
        Assert.Equal("Bob Jones", loaded.DisplayName);
        Assert.Equal(ContactStatus.Error, loaded.Status);
        Assert.Equal(ContactErrorCause.BadAddress, loaded.ErrorCause);
        Assert.Equal(TestData.Now, loaded.CreatedAt);
        Assert.Equal(TestData.Now.AddHours(1), loaded.StatusChangedAt);
    }

    [Fact]
    public async Task SaveChanges_ShouldStoreEnumsAsTheirNames_WhenEntitiesAreSaved()
    {
        var (campaignId, contactId) = await SeedCampaignAndContactAsync();
        var delivery = new DeliveryBuilder(campaignId, contactId).HardBounced(BounceReason.MailboxFull).Build();
        await _database.SeedAsync(delivery);
        await _database.SeedAsync(new BounceEventBuilder().ForDelivery(delivery.Id).WithReason(BounceReason.HostUnknown).Build());

        Assert.Equal("Active", await ScalarAsync<string>("SELECT Status FROM Contacts"));
        Assert.Equal("Regular", await ScalarAsync<string>("SELECT Kind FROM Campaigns"));
        Assert.Equal("HardBounced", await ScalarAsync<string>("SELECT State FROM Deliveries"));
        Assert.Equal("MailboxFull", await ScalarAsync<string>("SELECT BounceReason FROM Deliveries"));
        Assert.Equal("PermanentFailure", await ScalarAsync<string>("SELECT Outcome FROM DeliveryAttempts"));
        Assert.Equal("HostUnknown", await ScalarAsync<string>("SELECT Reason FROM BounceEvents"));
        Assert.Equal("Mailbox", await ScalarAsync<string>("SELECT Source FROM BounceEvents"));
    }

    [Fact]
    public async Task SaveChanges_ShouldStoreTimesAsUtcTicks_WhenTheOffsetIsNotZero()
    {
        var local = new DateTimeOffset(2026, 3, 2, 11, 30, 0, TimeSpan.FromHours(2));
        var contact = new ContactBuilder().CreatedAt(local).Build();
        await _database.SeedAsync(contact);

        await using var db = _database.CreateContext();
        var loaded = await db.Contacts.SingleAsync();

        Assert.Equal(local.UtcTicks, await ScalarAsync<long>("SELECT CreatedAt FROM Contacts"));
        Assert.Equal(local, loaded.CreatedAt);
        Assert.Equal(TimeSpan.Zero, loaded.CreatedAt.Offset);
    }

    [Fact]
    public async Task Query_ShouldFilterAndOrderByTimeInSql_WhenTimesAreStoredAsTicks()
    {
        var (campaignId, contactId) = await SeedCampaignAndContactAsync();
        var delivery = new DeliveryBuilder(campaignId, contactId).HardBounced().Build();
        await _database.SeedAsync(delivery);
        await _database.SeedAsync(
            new BounceEventBuilder().ForDelivery(delivery.Id).WithKey("k1").ReceivedAt(TestData.Now.AddDays(-3)).Build(),
            new BounceEventBuilder().ForDelivery(delivery.Id).WithKey("k2").ReceivedAt(TestData.Now.AddDays(-1)).Build(),
            new BounceEventBuilder().ForDelivery(delivery.Id).WithKey("k3").ReceivedAt(TestData.Now.AddDays(-2)).Build());

        await using var db = _database.CreateContext();
        var since = TestData.Now.AddDays(-2.5);
        var keys = await db.BounceEvents
            .Where(e => e.ReceivedAt >= since)
            .OrderByDescending(e => e.ReceivedAt)
            .Select(e => e.IdempotencyKey)
            .ToListAsync();

        Assert.Equal(["k2", "k3"], keys);
    }

    [Fact]
    public async Task SaveChanges_ShouldRoundTripADeliveryWithItsAttempts_WhenLoadedWithInclude()
    {
        var (campaignId, contactId) = await SeedCampaignAndContactAsync();
        var delivery = new DeliveryBuilder(campaignId, contactId).Delivered("198.51.100.7").Opened(TestData.Now.AddHours(2)).Build();
        await _database.SeedAsync(delivery);

        await using var db = _database.CreateContext();
        var loaded = await db.Deliveries.Include(d => d.Attempts).SingleAsync();

        Assert.Equal(DeliveryState.Delivered, loaded.State);
        Assert.Equal("198.51.100.7", loaded.SendingIp);
        Assert.Equal(TestData.Now.AddHours(2), loaded.OpenedAt);
        var attempt = Assert.Single(loaded.Attempts);
        Assert.Equal(1, attempt.Number);
        Assert.Equal(DeliveryAttemptOutcome.Accepted, attempt.Outcome);
        Assert.Equal(loaded.Id, attempt.DeliveryId);
    }

    [Fact]
    public async Task SaveChanges_ShouldFail_WhenTwoContactsHaveTheSameAddress()
    {
        await _database.SeedAsync(new ContactBuilder().WithEmail("ann@example.com").Build());

        await Assert.ThrowsAsync<DbUpdateException>(() =>
            _database.SeedAsync(new ContactBuilder().WithEmail("ANN@example.com").Build()));
    }

    [Fact]
    public async Task SaveChanges_ShouldFail_WhenACampaignHasTwoDeliveriesToOneContact()
    {
        var (campaignId, contactId) = await SeedCampaignAndContactAsync();
        await _database.SeedAsync(new DeliveryBuilder(campaignId, contactId).Build());

        await Assert.ThrowsAsync<DbUpdateException>(() =>
            _database.SeedAsync(new DeliveryBuilder(campaignId, contactId).Build()));
    }

    [Fact]
    public async Task SaveChanges_ShouldFail_WhenABounceEventKeyIsReplayed()
    {
        await _database.SeedAsync(new BounceEventBuilder().WithKey("Mailbox:inbox/7/1:a@example.com").Build());

        await Assert.ThrowsAsync<DbUpdateException>(() =>
            _database.SeedAsync(new BounceEventBuilder().WithKey("Mailbox:inbox/7/1:a@example.com").Build()));
    }

    [Fact]
    public async Task SaveChanges_ShouldFail_WhenAnAddressIsSuppressedTwiceAtOnce()
    {
        await _database.SeedAsync(new SuppressionEntryBuilder().WithEmail("ann@example.com").Build());

        await Assert.ThrowsAsync<DbUpdateException>(() =>
            _database.SeedAsync(new SuppressionEntryBuilder().WithEmail("ann@example.com").WithReason(SuppressionReason.Complaint).Build()));
    }

    [Fact]
    public async Task SaveChanges_ShouldAcceptANewSuppression_WhenTheEarlierOneWasLifted()
    {
        var first = new SuppressionEntryBuilder().WithEmail("ann@example.com").Build();
        await _database.SeedAsync(first);
        await using (var db = _database.CreateContext())
        {
            var entry = await db.SuppressionEntries.SingleAsync();
            entry.Lift(TestData.Now.AddDays(1), "admin@example.com", "Confirmed with the customer", complaintConfirmed: false);
            await db.SaveChangesAsync();
        }

        await _database.SeedAsync(new SuppressionEntryBuilder().WithEmail("ann@example.com").CreatedAt(TestData.Now.AddDays(2)).Build());

        await using var check = _database.CreateContext();
        Assert.Equal(2, await check.SuppressionEntries.CountAsync(s => s.Email == "ann@example.com"));
        Assert.Equal(1, await check.SuppressionEntries.CountAsync(s => s.Email == "ann@example.com" && s.LiftedAt == null));
    }

    [Fact]
    public async Task SaveChanges_ShouldFail_WhenADeliveryPointsToAMissingContact()
    {
        var campaign = new CampaignBuilder().Build();
        await _database.SeedAsync(campaign);

        await Assert.ThrowsAsync<DbUpdateException>(() =>
            _database.SeedAsync(new DeliveryBuilder(campaign.Id, contactId: 999).Build()));
    }

    [Theory]
    [InlineData("Contacts", "IX_Contacts_Email")]
    [InlineData("Contacts", "IX_Contacts_Status")]
    [InlineData("Deliveries", "IX_Deliveries_CampaignId_ContactId")]
    [InlineData("Deliveries", "IX_Deliveries_CampaignId_State")]
    [InlineData("Deliveries", "IX_Deliveries_NextAttemptAt")]
    [InlineData("Deliveries", "IX_Deliveries_ContactId_FirstAttemptAt")]
    [InlineData("Deliveries", "IX_Deliveries_MessageId")]
    [InlineData("BounceEvents", "IX_BounceEvents_IdempotencyKey")]
    [InlineData("BounceEvents", "IX_BounceEvents_ReceivedAt")]
    [InlineData("BounceEvents", "IX_BounceEvents_SendingDomain_ReceivedAt")]
    [InlineData("BounceEvents", "IX_BounceEvents_SendingIp_ReceivedAt")]
    [InlineData("BounceEvents", "IX_BounceEvents_CampaignId_Reason")]
    [InlineData("BounceEvents", "IX_BounceEvents_AwaitingMatch_ReceivedAt")]
    [InlineData("SuppressionEntries", "IX_SuppressionEntries_Email_Active")]
    [InlineData("TrackingEvents", "IX_TrackingEvents_DeliveryId_Kind")]
    public async Task Migrations_ShouldCreateTheIndex_WhenTheDashboardQueriesNeedIt(string table, string index)
    {
        var count = await ScalarAsync<long>($"SELECT COUNT(*) FROM pragma_index_list('{table}') WHERE name = '{index}'");

        Assert.Equal(1, count);
    }

    [Fact]
    public void Model_ShouldGiveEveryEnumColumnRoomForItsLongestName_WhenEnumsAreStoredAsStrings()
    {
        using var db = _database.CreateContext();

        var enumProperties = db.Model.GetEntityTypes()
            .SelectMany(t => t.GetProperties())
            .Where(p => (Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType).IsEnum)
            .ToList();

        Assert.NotEmpty(enumProperties);
        Assert.All(enumProperties, p =>
        {
            var enumType = Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType;
            Assert.Equal(typeof(string), p.GetTypeMapping().Converter?.ProviderClrType);
            Assert.True(Enum.GetNames(enumType).Max(n => n.Length) <= p.GetMaxLength(), $"{p.DeclaringType.DisplayName()}.{p.Name} is too short");
        });
    }
}
