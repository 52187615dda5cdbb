using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Options;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Commands;

/// <summary>
/// Two workers claiming at once never get the same delivery (<see cref="DeliveryCommands.ClaimAsync"/>). Runs on a
/// SQLite file with several connections, as the app has, and the real migrations.
/// </summary>
public sealed class DeliveryCommandsConcurrencyTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();
    private SqliteFileDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteFileDatabase.CreateAsync("claims.db");

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
    public async Task ClaimAsync_ShouldNeverHandOutADeliveryTwice_WhenWorkersClaimInParallel()
    {
        const int deliveries = 60;
        await SeedAsync(deliveries);
        var commands = Commands();
        var relays = Enumerable.Range(1, 4)
            .Select(i => new RelayOptions { Name = $"relay-{i}", Host = "127.0.0.1", SendingIp = $"192.0.2.{i}" })
            .ToList();

        var rounds = await Task.WhenAll(relays.Select(relay => Task.Run(async () =>
        {
            var mine = new List<ClaimedDelivery>();
            while ((await commands.ClaimAsync(relay, batchSize: 5)).Claimed is { Count: > 0 } claimed)
            {
                mine.AddRange(claimed);
            }

            return mine;
        })));

        var ids = rounds.SelectMany(r => r).Select(c => c.DeliveryId).ToList();
        Assert.Equal(deliveries, ids.Count);
        Assert.Equal(deliveries, ids.Distinct().Count());
        await using var db = CreateContext();
        Assert.Equal(deliveries, await db.DeliveryAttempts.CountAsync());
        Assert.Equal(deliveries, await db.Deliveries.CountAsync(d => d.State == DeliveryState.Sending && d.AttemptCount == 1));
        var messageIds = await db.Deliveries.Select(d => d.MessageId).ToListAsync();
        Assert.Equal(deliveries, messageIds.Distinct().Count());
    }

    private DeliveryCommands Commands()
    {
        var runner = new DbCommandRunner(_database.Factory, _logs.CreateLogger<DbCommandRunner>());
        var options = new RulesOptions();
        var rules = new BounceRules(options, _time);
        var sending = new SendingOptions { BounceDomain = "bounces.test", PublicBaseUrl = new Uri("http://127.0.0.1:5080") };
        return new DeliveryCommands(
            runner,
            rules,
            new BounceCommands(runner, rules, _time, _logs.CreateLogger<BounceCommands>()),
            new BounceEngine(),
            InboundFixtures.Signer,
            new SendingGuard(options),
            Microsoft.Extensions.Options.Options.Create(sending),
            _time,
            _logs.CreateLogger<DeliveryCommands>());
    }

    private SqliteBounceDbContext CreateContext() => _database.CreateContext();

    private async Task SeedAsync(int deliveries)
    {
        await using var db = CreateContext();
        var campaign = Campaign.Create("Spring", CampaignKind.Regular, "news@mail.example.org", "News", _time.GetUtcNow());
        campaign.SetContent(null, null, "Hello");
        campaign.StartSending(_time.GetUtcNow());
        var contacts = Enumerable.Range(0, deliveries).Select(i => Contact.Create($"reader{i}@example.com", _time.GetUtcNow())).ToList();
        db.Campaigns.Add(campaign);
        db.Contacts.AddRange(contacts);
        await db.SaveChangesAsync();
        db.Deliveries.AddRange(contacts.Select(c => Delivery.Create(campaign.Id, c.Id, _time.GetUtcNow())));
        await db.SaveChangesAsync();
    }

}
