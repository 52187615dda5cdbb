using System.Net;
using System.Net.Sockets;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Sending;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Sending;

/// <summary>
/// <see cref="DeliveryDispatcher"/> without the mail stack. When no message can go out (no relay configured, a relay on a
/// closed loopback port, a relay that accepts the connection but never greets) the due deliveries must stay exactly as
/// they were: not claimed, no attempt recorded. Against a <see cref="ScriptedSmtpRelay"/>: accepted, refused, a silent
/// or closing relay mid-transaction, and the per-connection message limit. Real SQLite with the real migrations on a file
/// with several connections, as the app has (the dispatcher's workers run at once), and a fake clock.
/// </summary>
public sealed class DeliveryDispatcherTests : IAsyncLifetime, IDisposable
{
    /// <summary>Far above what any dispatch here needs: one that has not returned by then hangs.</summary>
    private static readonly TimeSpan DispatchLimit = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _folder = new();
    private DbContextOptions<SqliteBounceDbContext> _options = null!;

    private FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    private RulesOptions Options { get; } = new();

    private CapturingLoggerProvider Logs { get; } = new();

    private DbCommandRunner Runner => new(new Factory(this), Logs.CreateLogger<DbCommandRunner>());

    private BounceCommands Bounces => new(Runner, new BounceRules(Options, Time), Time, Logs.CreateLogger<BounceCommands>());

    public async Task InitializeAsync()
    {
        var connection = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_folder.Path, "dispatch.db"),
            ForeignKeys = true,
            DefaultTimeout = 60,
        };
        _options = new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite(connection.ToString()).Options;
        await using var db = CreateContext();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _folder.Dispose();
        Logs.Dispose();
    }

    private SqliteBounceDbContext CreateContext() => new(_options);

    private async Task SeedAsync(params object[] entities)
    {
        await using var db = CreateContext();
        db.AddRange(entities);
        await db.SaveChangesAsync();
    }

    private DeliveryDispatcher CreateDispatcher(SendingOptions sending)
    {
        var options = Microsoft.Extensions.Options.Options.Create(sending);
        var deliveries = new DeliveryCommands(
            Runner,
            new BounceRules(Options, Time),
            Bounces,
            new BounceEngine(),
            InboundFixtures.Signer,
            new SendingGuard(Options),
            options,
            Time,
            Logs.CreateLogger<DeliveryCommands>());
        return new DeliveryDispatcher(deliveries, new Factory(this), options, Time, Logs.CreateLogger<DeliveryDispatcher>());
    }

    /// <summary>
    /// One relay on loopback. The timeout is generous (a loaded test machine must not turn a slow answer into a failure);
    /// the tests of a silent relay shorten it to 1 s.
    /// </summary>
    private static SendingOptions WithRelay(string name, int port, int maxConnections = 2, int messagesPerConnection = 1000, int timeoutSeconds = 15)
    {
        var sending = new SendingOptions { BounceDomain = "bounces.test", PublicBaseUrl = new Uri("http://127.0.0.1:5080/") };
        sending.Relays.Add(new RelayOptions
        {
            Name = name,
            Host = "127.0.0.1",
            Port = port,
            TlsMode = RelayTlsMode.None,
            SendingIp = "192.0.2.10",
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            MaxConnections = maxConnections,
            MessagesPerConnection = messagesPerConnection,
        });
        return sending;
    }

    /// <summary>A loopback port nothing listens on: bound to get a free one, then released.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A campaign in progress, all deliveries created, with three deliveries due now.</summary>
    private async Task<List<long>> SeedDueDeliveriesAsync(string name = "Spring", string prefix = "")
    {
        var campaign = Campaign.Create(name, CampaignKind.Regular, "news@mail.example.org", "News", Time.GetUtcNow());
        campaign.SetContent("News", "<p>Hello <a href=\"https://example.org/a\">a</a></p>", "Hello");
        campaign.StartSending(Time.GetUtcNow());
        campaign.MarkDeliveriesQueued(Time.GetUtcNow());
        await SeedAsync(campaign);
        var ids = new List<long>();
        foreach (var address in new[] { "ann@example.com", "bob@example.com", "cy@example.com" })
        {
            var contact = Contact.Create(prefix + address, Time.GetUtcNow());
            await SeedAsync(contact);
            var delivery = Delivery.Create(campaign.Id, contact.Id, Time.GetUtcNow());
            await SeedAsync(delivery);
            ids.Add(delivery.Id);
        }

        return ids;
    }

    private async Task AssertUntouchedAsync(List<long> ids)
    {
        await using var db = CreateContext();
        var stored = await db.Deliveries.Where(d => ids.Contains(d.Id)).OrderBy(d => d.Id).ToListAsync();
        Assert.Equal(ids, stored.Select(d => d.Id));
        Assert.All(stored, d => Assert.Equal(
            (DeliveryState.Queued, 0, (string?)null, (string?)null, (string?)null, (DateTimeOffset?)Time.GetUtcNow()),
            (d.State, d.AttemptCount, d.Token, d.MessageId, d.Relay, d.NextAttemptAt)));
        Assert.Empty(await db.DeliveryAttempts.ToListAsync());
        Assert.Equal(CampaignState.InProgress, (await db.Campaigns.SingleAsync()).State);
    }

    private List<CapturedLog> DispatcherLogs(LogLevel level) =>
        Logs.Logs.Where(l => l.Category == typeof(DeliveryDispatcher).FullName && l.Level == level).ToList();

    [Fact]
    public async Task DispatchAsync_ShouldSendNothingAndLeaveDeliveriesQueued_WhenTheRelayPortIsClosed()
    {
        var ids = await SeedDueDeliveriesAsync();
        var dispatcher = CreateDispatcher(WithRelay("closed-relay", ClosedPort()));

        var summary = await dispatcher.DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((0, 0, 0, 0), (summary.Accepted, summary.Refused, summary.NotSent, summary.Released));
        Assert.Empty(summary.CampaignsSent);
        await AssertUntouchedAsync(ids);
        var errors = DispatcherLogs(LogLevel.Error);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Contains("closed-relay", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DispatchAsync_ShouldWarnAndClaimNothing_WhenNoRelayIsConfigured()
    {
        var ids = await SeedDueDeliveriesAsync();
        var sending = new SendingOptions { BounceDomain = "bounces.test", PublicBaseUrl = new Uri("http://127.0.0.1:5080/") };
        var dispatcher = CreateDispatcher(sending);

        var summary = await dispatcher.DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((0, 0, 0, 0), (summary.Accepted, summary.Refused, summary.NotSent, summary.Released));
        Assert.Empty(summary.CampaignsSent);
        await AssertUntouchedAsync(ids);
        var warning = Assert.Single(DispatcherLogs(LogLevel.Warning));
        Assert.Contains("Sending:Relays", warning.Message, StringComparison.Ordinal);
        Assert.Empty(DispatcherLogs(LogLevel.Error));
    }

    [Fact]
    public async Task DispatchAsync_ShouldClaimNothing_WhenTheRelayAcceptsTheConnectionButNeverAnswers()
    {
        var ids = await SeedDueDeliveriesAsync();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var client = await silent.AcceptTcpClientAsync(stop.Token);
                    lock (accepted)
                    {
                        accepted.Add(client);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The test is over.
            }
        });
        var dispatcher = CreateDispatcher(WithRelay("silent-relay", ((IPEndPoint)silent.LocalEndpoint).Port, timeoutSeconds: 1));

        try
        {
            var summary = await dispatcher.DispatchAsync().WaitAsync(DispatchLimit);

            Assert.Equal((0, 0, 0, 0), (summary.Accepted, summary.Refused, summary.NotSent, summary.Released));
            await AssertUntouchedAsync(ids);
            var errors = DispatcherLogs(LogLevel.Error);
            Assert.NotEmpty(errors);
            Assert.All(errors, e => Assert.Contains("silent-relay", e.Message, StringComparison.Ordinal));
            lock (accepted)
            {
                Assert.NotEmpty(accepted);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await accepting;
            lock (accepted)
            {
                accepted.ForEach(c => c.Dispose());
            }
        }
    }

    private async Task<List<Delivery>> DeliveriesAsync()
    {
        await using var db = CreateContext();
        return await db.Deliveries.Include(d => d.Attempts).OrderBy(d => d.Id).ToListAsync();
    }

    [Fact]
    public async Task DispatchAsync_ShouldDeliverEachMessageWithItsVerpSenderAndDsnRequest_WhenTheRelayAcceptsEverything()
    {
        var ids = await SeedDueDeliveriesAsync();
        await using var relay = new ScriptedSmtpRelay();

        var summary = await CreateDispatcher(WithRelay("scripted", relay.Port)).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((3, 0, 0, 0), (summary.Accepted, summary.Refused, summary.NotSent, summary.Released));
        await using var db = CreateContext();
        var campaign = await db.Campaigns.SingleAsync();
        Assert.Equal([campaign.Id], summary.CampaignsSent);
        Assert.Equal(CampaignState.Sent, campaign.State);
        var deliveries = await DeliveriesAsync();
        Assert.Equal(ids, deliveries.Select(d => d.Id));
        Assert.All(deliveries, d =>
        {
            Assert.Equal((DeliveryState.Delivered, 1, "scripted"), (d.State, d.AttemptCount, d.Relay));
            var attempt = Assert.Single(d.Attempts);
            Assert.Equal((DeliveryAttemptOutcome.Accepted, "scripted", "192.0.2.10"), (attempt.Outcome, attempt.Relay, attempt.SendingIp));
        });
        var transactions = relay.Transactions;
        Assert.Equal(3, transactions.Count);
        foreach (var delivery in deliveries)
        {
            var token = delivery.Token!;
            var sent = Assert.Single(transactions, t => t.MailFrom.Contains($"<{TrackingHeaders.VerpLocalPart}{TrackingHeaders.VerpDelimiter}{token}@bounces.test>", StringComparison.Ordinal));
            Assert.Contains($"ENVID={token}", sent.MailFrom, StringComparison.Ordinal);
            var rcpt = Assert.Single(sent.RcptTo);
            Assert.Contains("NOTIFY=SUCCESS,FAILURE,DELAY", rcpt, StringComparison.Ordinal);
            Assert.Contains($"{TrackingHeaders.Token}: {token}", sent.Data, StringComparison.Ordinal);
            Assert.Contains($"Message-Id: {delivery.MessageId}", sent.Data, StringComparison.OrdinalIgnoreCase);

            // The token in each webhook provider's metadata, so their events match by token (Api/Webhooks).
            Assert.Contains($"X-SMTPAPI: {{\"unique_args\":{{\"bd_token\":\"{token}\"}}}}", sent.Data, StringComparison.Ordinal);
            Assert.Contains($"X-Mailgun-Variables: {{\"bd_token\":\"{token}\"}}", sent.Data, StringComparison.Ordinal);
            Assert.Contains($"X-PM-Metadata-bd-token: {token}", sent.Data, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DispatchAsync_ShouldRecordAHardBounce_WhenTheRelayRefusesOneRecipient()
    {
        var ids = await SeedDueDeliveriesAsync();
        await using var relay = new ScriptedSmtpRelay
        {
            RcptReply = line => line.Contains("bob@example.com", StringComparison.Ordinal) ? "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown" : "250 2.1.5 Ok",
        };

        var summary = await CreateDispatcher(WithRelay("scripted", relay.Port, maxConnections: 1)).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((2, 1, 0), (summary.Accepted, summary.Refused, summary.NotSent));
        var deliveries = await DeliveriesAsync();
        Assert.Equal([DeliveryState.Delivered, DeliveryState.HardBounced, DeliveryState.Delivered], deliveries.Select(d => d.State));
        Assert.Equal(DeliveryAttemptOutcome.PermanentFailure, Assert.Single(deliveries[1].Attempts).Outcome);
        await using var db = CreateContext();
        var bounce = await db.BounceEvents.SingleAsync();
        Assert.Equal((BounceSource.SmtpResponse, (long?)ids[1], "bob@example.com", true), (bounce.Source, bounce.DeliveryId, bounce.Recipient, bounce.Permanent));
        Assert.Single(relay.Transactions.Select(t => t.Connection).Distinct());
    }

    [Fact]
    public async Task DispatchAsync_ShouldReleaseTheClaimsForALaterRetry_WhenTheRelayFallsSilentAfterTheGreeting()
    {
        var ids = await SeedDueDeliveriesAsync();
        await using var relay = new ScriptedSmtpRelay { MailReply = _ => null };

        var summary = await CreateDispatcher(WithRelay("scripted", relay.Port, maxConnections: 1, timeoutSeconds: 1)).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((0, 0, 3), (summary.Accepted, summary.Refused, summary.NotSent));
        var deliveries = await DeliveriesAsync();
        Assert.Equal(ids, deliveries.Select(d => d.Id));
        Assert.All(deliveries, d =>
        {
            Assert.Equal((DeliveryState.Queued, 0, (DateTimeOffset?)Time.GetUtcNow().AddMinutes(5)), (d.State, d.AttemptCount, d.NextAttemptAt));
            Assert.Empty(d.Attempts);
        });
        await using var db = CreateContext();
        Assert.Empty(await db.DeliveryAttempts.ToListAsync());
        Assert.Empty(await db.BounceEvents.ToListAsync());
        Assert.Equal(CampaignState.InProgress, (await db.Campaigns.SingleAsync()).State);
    }

    [Fact]
    public async Task DispatchAsync_ShouldPauseTheCampaignAndSendNoMore_WhenTooManyAttemptsBounceHard()
    {
        Options.AutoPauseWindow = 10;
        var campaign = Campaign.Create("Bad list", CampaignKind.Regular, "news@mail.example.org", "News", Time.GetUtcNow());
        campaign.SetContent("News", "<p>Hello</p>", "Hello");
        campaign.StartSending(Time.GetUtcNow());
        campaign.MarkDeliveriesQueued(Time.GetUtcNow());
        await SeedAsync(campaign);
        for (var i = 0; i < 15; i++)
        {
            var contact = Contact.Create($"gone{i}@example.com", Time.GetUtcNow());
            await SeedAsync(contact);
            await SeedAsync(Delivery.Create(campaign.Id, contact.Id, Time.GetUtcNow()));
        }

        await using var relay = new ScriptedSmtpRelay { RcptReply = _ => "550 5.1.1 Recipient address rejected: User unknown" };
        var sending = WithRelay("scripted", relay.Port, maxConnections: 1);
        sending.ClaimBatchSize = 10;

        var summary = await CreateDispatcher(sending).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((0, 10, 0), (summary.Accepted, summary.Refused, summary.NotSent));
        await using var db = CreateContext();
        var stored = await db.Campaigns.SingleAsync();
        Assert.Equal((CampaignState.Paused, true), (stored.State, stored.PausedAutomatically));
        Assert.Contains("10 of the last 10", stored.PauseReason, StringComparison.Ordinal);
        Assert.Equal(5, await db.Deliveries.CountAsync(d => d.State == DeliveryState.Queued));
        Assert.Single(await db.AuditLogEntries.Where(e => e.Action == AuditAction.PauseCampaign && e.Actor == DeliveryCommands.SystemActor).ToListAsync());
    }

    /// <summary>A 421 (the server closing the session) and a refused envelope sender say nothing about the recipient.</summary>
    [Theory]
    [InlineData("RCPT", "421 4.3.2 Service shutting down")]
    [InlineData("MAIL", "553 5.7.1 Sender address rejected: not owned by user")]
    public async Task DispatchAsync_ShouldRetryLaterWithoutABounce_WhenTheRelayClosesTheSessionOrRefusesTheSender(string command, string reply)
    {
        await SeedDueDeliveriesAsync();
        await using var relay = command == "MAIL"
            ? new ScriptedSmtpRelay { MailReply = _ => reply }
            : new ScriptedSmtpRelay { RcptReply = _ => reply };

        var summary = await CreateDispatcher(WithRelay("scripted", relay.Port, maxConnections: 1)).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((0, 0, 3), (summary.Accepted, summary.Refused, summary.NotSent));
        Assert.All(await DeliveriesAsync(), d => Assert.Equal((DeliveryState.Queued, 0), (d.State, d.AttemptCount)));
        await using var db = CreateContext();
        Assert.Empty(await db.BounceEvents.ToListAsync());
    }

    [Fact]
    public async Task DispatchAsync_ShouldRecordASoftBounceAfterData_WhenTheRelayDefersTheMessage()
    {
        await SeedDueDeliveriesAsync();
        await using var relay = new ScriptedSmtpRelay { DataReply = _ => "452 4.3.1 Insufficient system storage" };

        var summary = await CreateDispatcher(WithRelay("scripted", relay.Port, maxConnections: 1)).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((0, 3, 0), (summary.Accepted, summary.Refused, summary.NotSent));
        Assert.All(await DeliveriesAsync(), d =>
        {
            Assert.Equal((DeliveryState.AwaitingRetry, 1), (d.State, d.AttemptCount));
            Assert.Equal(DeliveryAttemptOutcome.TransientFailure, Assert.Single(d.Attempts).Outcome);
        });
        Assert.Single(relay.Transactions.Select(t => t.Connection).Distinct());
    }

    [Fact]
    public async Task DispatchAsync_ShouldOpenANewSessionPerMessage_WhenTheRelayAllowsOneMessagePerConnection()
    {
        await SeedDueDeliveriesAsync();
        await using var relay = new ScriptedSmtpRelay();

        var summary = await CreateDispatcher(WithRelay("scripted", relay.Port, maxConnections: 1, messagesPerConnection: 1)).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal(3, summary.Accepted);
        var transactions = relay.Transactions;
        Assert.Equal(3, transactions.Count);
        Assert.Equal(3, transactions.Select(t => t.Connection).Distinct().Count());
    }

    [Fact]
    public async Task DispatchAsync_ShouldLeaveNoUnsentClaimBehind_WhenCancelledInTheMiddleOfABatch()
    {
        // One worker claims all three, then waits on a relay that never answers MAIL FROM; the run is cancelled (the
        // host stopping). The two messages never begun were not sent: they must be queued again, not left "Sending"
        // until the stale-claim release 15 minutes later.
        var ids = await SeedDueDeliveriesAsync();
        await using var relay = new ScriptedSmtpRelay { MailReply = _ => null };
        var sending = WithRelay("scripted", relay.Port, maxConnections: 1, timeoutSeconds: 60);
        using var cancel = new CancellationTokenSource();
        var run = CreateDispatcher(sending).DispatchAsync(null, cancel.Token);
        while (relay.Transactions.Count == 0)
        {
            await Task.Delay(50).WaitAsync(DispatchLimit);
        }

        await cancel.CancelAsync();
        try
        {
            await run.WaitAsync(DispatchLimit);
        }
        catch (OperationCanceledException)
        {
            // Either way the run is over; what it left in the database is the point.
        }

        var deliveries = await DeliveriesAsync();
        Assert.Equal(ids, deliveries.Select(d => d.Id));
        var neverBegun = deliveries.Where(d => !relay.Transactions.Any(t => d.Token is not null && t.MailFrom.Contains(d.Token, StringComparison.Ordinal))).ToList();
        Assert.Equal(2, neverBegun.Count);
        Assert.All(neverBegun, d => Assert.Equal((DeliveryState.Queued, 0), (d.State, d.AttemptCount)));
    }

    [Fact]
    public async Task DispatchAsync_ShouldSendEverythingThroughTheOtherRelay_WhenOneRelayIsDown()
    {
        await SeedDueDeliveriesAsync();
        await using var relay = new ScriptedSmtpRelay();
        var sending = WithRelay("closed-relay", ClosedPort());
        sending.Relays.Add(new RelayOptions { Name = "scripted", Host = "127.0.0.1", Port = relay.Port, TlsMode = RelayTlsMode.None, SendingIp = "192.0.2.20", Timeout = TimeSpan.FromSeconds(15) });

        var summary = await CreateDispatcher(sending).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((3, 0, 0), (summary.Accepted, summary.Refused, summary.NotSent));
        Assert.All(await DeliveriesAsync(), d =>
        {
            Assert.Equal((DeliveryState.Delivered, "scripted", "192.0.2.20"), (d.State, d.Relay, d.SendingIp));
            Assert.Equal("scripted", Assert.Single(d.Attempts).Relay);
        });
        Assert.Contains(DispatcherLogs(LogLevel.Error), e => e.Message.Contains("closed-relay", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DispatchAsync_ShouldSendOnlyTheNamedCampaign_WhenGivenACampaignId()
    {
        var spring = await SeedDueDeliveriesAsync("Spring", "spring-");
        var autumn = await SeedDueDeliveriesAsync("Autumn", "autumn-");
        long autumnId;
        await using (var db = CreateContext())
        {
            autumnId = (await db.Campaigns.SingleAsync(c => c.Name == "Autumn")).Id;
        }

        await using var relay = new ScriptedSmtpRelay();

        var summary = await CreateDispatcher(WithRelay("scripted", relay.Port)).DispatchAsync(autumnId).WaitAsync(DispatchLimit);

        Assert.Equal(3, summary.Accepted);
        var deliveries = await DeliveriesAsync();
        Assert.All(deliveries.Where(d => autumn.Contains(d.Id)), d => Assert.Equal(DeliveryState.Delivered, d.State));
        Assert.All(deliveries.Where(d => spring.Contains(d.Id)), d => Assert.Equal((DeliveryState.Queued, 0), (d.State, d.AttemptCount)));
        Assert.All(relay.Transactions, t => Assert.Contains("autumn-", Assert.Single(t.RcptTo), StringComparison.Ordinal));
    }

    [Fact]
    public async Task DispatchAsync_ShouldReleaseAStaleClaimAndSendIt_WhenItsWorkerDied()
    {
        var ids = await SeedDueDeliveriesAsync();
        var sending = WithRelay("scripted", 0);
        var dispatcherOptions = Microsoft.Extensions.Options.Options.Create(sending);
        var deliveries = new DeliveryCommands(
            Runner, new BounceRules(Options, Time), Bounces, new BounceEngine(), InboundFixtures.Signer, new SendingGuard(Options), dispatcherOptions, Time, Logs.CreateLogger<DeliveryCommands>());
        var dead = await deliveries.ClaimAsync(sending.Relays[0], batchSize: 1);
        Assert.Equal(ids[0], Assert.Single(dead.Claimed).DeliveryId);
        Time.Advance(sending.ClaimTimeout + TimeSpan.FromMinutes(1));
        await using var relay = new ScriptedSmtpRelay();
        sending.Relays[0].Port = relay.Port;

        var summary = await CreateDispatcher(sending).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((3, 1), (summary.Accepted, summary.Released));
        var stored = await DeliveriesAsync();
        Assert.All(stored, d => Assert.Equal((DeliveryState.Delivered, 1), (d.State, d.AttemptCount)));
        Assert.Equal(DeliveryAttemptOutcome.Accepted, Assert.Single(stored[0].Attempts).Outcome);
        await using var db = CreateContext();
        Assert.Equal(CampaignState.Sent, (await db.Campaigns.SingleAsync()).State);
    }

    [Fact]
    public async Task DispatchAsync_ShouldLogTheRelayAndClaimNothing_WhenStartTlsIsRequiredButNotOffered()
    {
        // The scripted relay offers no STARTTLS; RelayTlsMode.StartTls (the default) requires it.
        var ids = await SeedDueDeliveriesAsync();
        await using var relay = new ScriptedSmtpRelay();
        var sending = WithRelay("no-starttls", relay.Port);
        sending.Relays[0].TlsMode = RelayTlsMode.StartTls;

        var summary = await CreateDispatcher(sending).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((0, 0, 0), (summary.Accepted, summary.Refused, summary.NotSent));
        await AssertUntouchedAsync(ids);
        Assert.Contains(DispatcherLogs(LogLevel.Error), e => e.Message.Contains("no-starttls", StringComparison.Ordinal));
        Assert.Empty(relay.Transactions);
    }

    [Fact]
    public async Task DispatchAsync_ShouldLogTheRelayAndClaimNothing_WhenCredentialsAreGivenButTheRelayOffersNoAuth()
    {
        var ids = await SeedDueDeliveriesAsync();
        await using var relay = new ScriptedSmtpRelay();
        var sending = WithRelay("no-auth", relay.Port);
        sending.Relays[0].UserName = "sender";
        sending.Relays[0].Password = "secret";

        var summary = await CreateDispatcher(sending).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((0, 0, 0), (summary.Accepted, summary.Refused, summary.NotSent));
        await AssertUntouchedAsync(ids);
        Assert.Contains(DispatcherLogs(LogLevel.Error), e => e.Message.Contains("no-auth", StringComparison.Ordinal));
        Assert.Empty(relay.Transactions);
    }

    [Fact]
    public async Task DispatchAsync_ShouldLogTheRelayAndClaimNothing_WhenTlsIsExpectedFromTheFirstByteButTheRelayIsPlain()
    {
        var ids = await SeedDueDeliveriesAsync();
        await using var relay = new ScriptedSmtpRelay();
        var sending = WithRelay("plain-not-smtps", relay.Port);
        sending.Relays[0].TlsMode = RelayTlsMode.SslOnConnect;

        var summary = await CreateDispatcher(sending).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((0, 0, 0), (summary.Accepted, summary.Refused, summary.NotSent));
        await AssertUntouchedAsync(ids);
        Assert.Contains(DispatcherLogs(LogLevel.Error), e => e.Message.Contains("plain-not-smtps", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DispatchAsync_ShouldSendInPlainText_WhenTlsModeIsAutoAndTheRelayOffersNoStartTls()
    {
        await SeedDueDeliveriesAsync();
        await using var relay = new ScriptedSmtpRelay();
        var sending = WithRelay("auto", relay.Port);
        sending.Relays[0].TlsMode = RelayTlsMode.Auto;

        var summary = await CreateDispatcher(sending).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal(3, summary.Accepted);
    }

    [Fact]
    public async Task DispatchAsync_ShouldSendEachDeliveryExactlyOnce_WhenSeveralConnectionsClaimSmallBatches()
    {
        for (var i = 0; i < 10; i++)
        {
            await SeedDueDeliveriesAsync($"Campaign {i}", $"c{i}-");
        }

        await using var relay = new ScriptedSmtpRelay();
        var sending = WithRelay("scripted", relay.Port, maxConnections: 4);
        sending.ClaimBatchSize = 2;

        var summary = await CreateDispatcher(sending).DispatchAsync().WaitAsync(DispatchLimit);

        Assert.Equal((30, 0, 0), (summary.Accepted, summary.Refused, summary.NotSent));
        var transactions = relay.Transactions;
        Assert.Equal(30, transactions.Count);
        Assert.Equal(30, transactions.Select(t => Assert.Single(t.RcptTo)).Distinct().Count());
        Assert.Equal(30, transactions.Select(t => t.MailFrom).Distinct().Count());
        Assert.All(await DeliveriesAsync(), d => Assert.Equal((DeliveryState.Delivered, 1), (d.State, d.AttemptCount)));
        Assert.Equal(10, summary.CampaignsSent.Count);
    }

    [Fact]
    public async Task DispatchAsync_ShouldKeepToTheRelaysRate_WhenMessagesPerSecondIsSet()
    {
        for (var i = 0; i < 2; i++)
        {
            await SeedDueDeliveriesAsync($"Campaign {i}", $"c{i}-");
        }

        await using var relay = new ScriptedSmtpRelay();
        var sending = WithRelay("scripted", relay.Port, maxConnections: 2);
        sending.Relays[0].MessagesPerSecond = 2;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var summary = await CreateDispatcher(sending).DispatchAsync().WaitAsync(DispatchLimit);

        // Six messages at two a second over both connections: two at once, then two after each second.
        Assert.Equal(6, summary.Accepted);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.8), $"six messages took {clock.Elapsed.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task RunAsync_ShouldStartAndSendOnlyTheDueScheduledCampaign_WhenTheDispatchJobRuns()
    {
        // The recurring DispatchDeliveriesJob over the same dispatcher: StartDueAsync, then everything due.
        var audience = Audience.Create("Readers", Time.GetUtcNow());
        var contact = Contact.Create("ann@example.com", Time.GetUtcNow());
        await SeedAsync(audience, contact);
        await SeedAsync(AudienceMember.Create(audience.Id, contact.Id, Time.GetUtcNow()));
        foreach (var (name, after) in new[] { ("Due", TimeSpan.FromMinutes(5)), ("Later", TimeSpan.FromHours(5)) })
        {
            var scheduled = Campaign.Create(name, CampaignKind.Regular, "news@mail.example.org", "News", Time.GetUtcNow(), [audience.Id]);
            scheduled.SetContent(null, null, "Hello");
            scheduled.Schedule(Time.GetUtcNow() + after, Time.GetUtcNow());
            await SeedAsync(scheduled);
        }

        Time.Advance(TimeSpan.FromMinutes(10));
        await using var relay = new ScriptedSmtpRelay();
        var sending = WithRelay("scripted", relay.Port);
        var job = new DispatchDeliveriesJob(new CampaignCommands(Runner, Time, Logs.CreateLogger<CampaignCommands>()), CreateDispatcher(sending));

        var summary = await job.RunAsync(CancellationToken.None).WaitAsync(DispatchLimit);

        Assert.Equal(1, summary.Accepted);
        await using var db = CreateContext();
        var states = await db.Campaigns.ToDictionaryAsync(c => c.Name, c => c.State);
        Assert.Equal((CampaignState.Sent, CampaignState.Scheduled), (states["Due"], states["Later"]));
        Assert.Contains("ann@example.com", Assert.Single(Assert.Single(relay.Transactions).RcptTo), StringComparison.Ordinal);
    }

    private sealed class Factory(DeliveryDispatcherTests test) : IDbContextFactory<BounceDbContext>
    {
        public BounceDbContext CreateDbContext() => test.CreateContext();
    }
}
