using System.Data.Common;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Commands;

/// <summary>
/// Concurrency tokens on contacts and deliveries, and the commands' retry on a conflict (issue 9): two events for one
/// contact never lose an update. Runs on a SQLite file (several connections, as the app has), with the real migrations.
/// </summary>
public sealed class ConcurrencyTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ConflictOnce _conflict = new();
    private SqliteFileDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteFileDatabase.CreateAsync("concurrency.db", _conflict);

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _database?.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task SaveChanges_ShouldThrowAConcurrencyConflict_WhenTheContactChangedSinceItWasRead()
    {
        var contactId = (await SeedAsync(campaigns: 1)).Contact.Id;
        await using var first = CreateContext();
        await using var second = CreateContext();
        var stale = await first.Contacts.SingleAsync(c => c.Id == contactId);
        var fresh = await second.Contacts.SingleAsync(c => c.Id == contactId);

        fresh.RecordBounce(1, _time.GetUtcNow(), BounceKind.Soft, _time.GetUtcNow());
        await second.SaveChangesAsync();
        stale.RecordBounce(2, _time.GetUtcNow().AddDays(1), BounceKind.Soft, _time.GetUtcNow());

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => first.SaveChangesAsync());
    }

    [Fact]
    public async Task SaveChanges_ShouldThrowAConcurrencyConflict_WhenTheDeliveryChangedSinceItWasRead()
    {
        var deliveryId = (await SeedAsync(campaigns: 1)).Deliveries[0].Id;
        await using var first = CreateContext();
        await using var second = CreateContext();
        var stale = await first.Deliveries.SingleAsync(d => d.Id == deliveryId);
        var fresh = await second.Deliveries.SingleAsync(d => d.Id == deliveryId);

        fresh.RecordOpen(_time.GetUtcNow());
        await second.SaveChangesAsync();
        stale.RecordClick(_time.GetUtcNow().AddMinutes(1));

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => first.SaveChangesAsync());
    }

    [Fact]
    public async Task RecordAsync_ShouldRunAgainOnFreshData_WhenAnotherWriterChangedTheContactMeanwhile()
    {
        var seeded = await SeedAsync(campaigns: 1);
        var commands = Commands();

        // The first try's second save (after the contact was read) meets a contact whose version moved under it, as a
        // concurrent command's would.
        _conflict.Arm(onSave: 2);
        var result = await commands.Bounces.RecordAsync(Event(seeded.Deliveries[0].Id, seeded.Contact.Email, 1));

        Assert.Equal(BounceEffect.HardBounced, result.Effect);
        Assert.Contains(_logs.Logs, l => l.Message.Contains("concurrency conflict on try 1", StringComparison.Ordinal));
        await using var db = CreateContext();
        Assert.Equal(1, await db.BounceEvents.CountAsync());
        Assert.Equal(1, (await db.Contacts.SingleAsync()).ConsecutiveHardBounces);
        Assert.Equal(BounceEventState.Applied, (await db.BounceEvents.SingleAsync()).State);
    }

    [Fact]
    public async Task RecordAsync_ShouldCountEveryCampaign_WhenEventsForOneContactAreAppliedFromParallelTasks()
    {
        // A guard, not the proof of the tokens: SQLite's IMMEDIATE transactions already serialise writers, so this
        // passes without them too. The conflict and retry tests above are what fail without the tokens.
        const int campaigns = 12;
        var seeded = await SeedAsync(campaigns);
        var commands = Commands();

        // One blocked (hard, not a bad address) bounce per campaign and an open of each, all at once from many tasks.
        var tasks = seeded.Deliveries.SelectMany((d, i) => new Func<Task>[]
        {
            () => commands.Bounces.RecordAsync(Event(d.Id, seeded.Contact.Email, i)),
            () => commands.Tracking.RecordAsync(TrackingEvent.Open(d.Id, _time.GetUtcNow().AddYears(-1).AddMinutes(i))),
        });
        await Task.WhenAll(tasks.Select(t => Task.Run(t)));

        await using var db = CreateContext();
        var contact = await db.Contacts.SingleAsync();
        Assert.Equal(campaigns, contact.ConsecutiveHardBounces);
        Assert.Equal(campaigns, contact.ConsecutiveBounces);
        Assert.Equal(ContactStatus.ConfirmedBounce, contact.Status);
        Assert.Equal(campaigns, await db.Deliveries.CountAsync(d => d.State == DeliveryState.HardBounced && d.OpenedAt != null));
        Assert.Equal(campaigns, await db.BounceEvents.CountAsync(e => e.State == BounceEventState.Applied));
        Assert.Equal(campaigns, await db.TrackingEvents.CountAsync());
        Assert.Equal(1, await db.SuppressionEntries.CountAsync());
    }

    [Fact]
    public async Task RecordAsync_ShouldMoveTheContactsVersion_WhenAnEventChangesOnlyTheDeliveryOrTheSuppressionList()
    {
        // Two complaints for one address applied at once must conflict on the contact, even when neither changes it.
        var seeded = await SeedAsync(campaigns: 2);
        var commands = Commands();
        await commands.Bounces.RecordAsync(Event(seeded.Deliveries[0].Id, seeded.Contact.Email, 1));
        var before = await ContactVersionAsync();

        // The second campaign's auto-reply changes nothing on the contact, yet is applied for it.
        await commands.Bounces.RecordAsync(BounceEvent.Create(
            BounceSource.Mailbox, MessageKind.AutoReply, seeded.Contact.Email, BounceReason.Vacation, false, null, null, "out of office", null,
            "autoreply", null, _time.GetUtcNow(), "Mailbox:box:1:ooo:pat@example.com", seeded.Deliveries[1].Id));

        Assert.Equal(before + 1, await ContactVersionAsync());
    }

    private async Task<long> ContactVersionAsync()
    {
        await using var db = CreateContext();
        return await db.Contacts.Select(c => EF.Property<long>(c, Web.Data.Configurations.ConcurrencyTokens.Version)).SingleAsync();
    }

    [Fact]
    public async Task Commands_ShouldLogIdsButNoAddresses_WhenTheyApplyEvents()
    {
        var seeded = await SeedAsync(campaigns: 1);
        var commands = Commands();

        var result = await commands.Bounces.RecordAsync(Event(seeded.Deliveries[0].Id, seeded.Contact.Email, 1));
        await commands.Tracking.RecordAsync(TrackingEvent.Open(seeded.Deliveries[0].Id, _time.GetUtcNow()));

        var lines = _logs.Logs.Where(l => l.Level >= LogLevel.Information).Select(l => l.Message).ToList();
        Assert.Contains(lines, l => l.Contains($"bounce event {result.BounceEventId}", StringComparison.Ordinal)
            && l.Contains($"delivery {seeded.Deliveries[0].Id}", StringComparison.Ordinal)
            && l.Contains($"contact {seeded.Contact.Id}", StringComparison.Ordinal)
            && l.Contains("HardBounced", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain("@", l, StringComparison.Ordinal));
    }

    private (BounceCommands Bounces, TrackingCommands Tracking) Commands()
    {
        var runner = new DbCommandRunner(_database.Factory, _logs.CreateLogger<DbCommandRunner>());
        var rules = new BounceRules(new RulesOptions(), _time);
        return (new BounceCommands(runner, rules, _time, _logs.CreateLogger<BounceCommands>()), new TrackingCommands(runner, rules, _logs.CreateLogger<TrackingCommands>()));
    }

    private BounceEvent Event(long deliveryId, string recipient, int item) =>
        BounceEvent.Create(
            BounceSource.Mailbox,
            MessageKind.Bounce,
            recipient,
            BounceReason.Blocked,
            permanent: true,
            EnhancedStatusCode.Parse("5.7.1"),
            "550",
            "blocked",
            "mx.example.com",
            "test",
            null,
            _time.GetUtcNow(),
            BounceEvent.KeyFor(BounceSource.Mailbox, $"box:1:{item}", recipient),
            deliveryId);

    private SqliteBounceDbContext CreateContext() => _database.CreateContext();

    /// <summary>One contact and one campaign a week apart each, its delivery's first attempt under way.</summary>
    private async Task<(Contact Contact, List<Delivery> Deliveries)> SeedAsync(int campaigns)
    {
        await using var db = CreateContext();
        var contact = Contact.Create("pat@example.com", _time.GetUtcNow());
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        var deliveries = new List<Delivery>();
        for (var i = 0; i < campaigns; i++)
        {
            var at = _time.GetUtcNow().AddDays(7 * i);
            var campaign = Campaign.Create($"Campaign {i}", CampaignKind.Regular, "news@mail.example.org", "News", at);
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            var delivery = Delivery.Create(campaign.Id, contact.Id, at);
            delivery.BeginAttempt(at, $"<{campaign.Id}@mail.example.org>", "192.0.2.10");
            db.Deliveries.Add(delivery);
            deliveries.Add(delivery);
        }

        await db.SaveChangesAsync();
        return (contact, deliveries);
    }


    /// <summary>When armed, the n-th save from now first moves every contact's version on the same connection and transaction.</summary>
    private sealed class ConflictOnce : SaveChangesInterceptor
    {
        private int _countdown;

        public void Arm(int onSave) => Interlocked.Exchange(ref _countdown, onSave);

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData,
            InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (Interlocked.Decrement(ref _countdown) == 0 && eventData.Context is { } context)
            {
                DbConnection connection = context.Database.GetDbConnection();
                await using var command = connection.CreateCommand();
                command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
                command.CommandText = "UPDATE Contacts SET Version = Version + 1;";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return result;
        }
    }
}
