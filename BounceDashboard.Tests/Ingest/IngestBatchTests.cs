using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using System.Data.Common;
using System.Text;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BounceDashboard.Tests.Ingest;

/// <summary>Several messages in one transaction (the command line's ingest), falling back to one by one on a failure.</summary>
public sealed class IngestBatchTests : CommandScenario
{
    private InboundIngest CreateIngest() =>
        new(Database.Factory, Runner, new BounceEngine(), Bounces, InboundFixtures.Signer, Time, Logs.CreateLogger<InboundIngest>());

    private static InboundItem Item(string key, byte[] content) => new(InboundSource.File, key, content);

    [Fact]
    public async Task IngestBatchAsync_ShouldStoreTheOtherMessages_WhenOneMessageOfTheBatchIsRefused()
    {
        var tooLarge = new byte[InboundMessage.MaxContentBytes + 1];
        tooLarge.AsSpan().Fill((byte)'a');

        var attempts = await CreateIngest().IngestBatchAsync(
        [
            Item("/mail/a.eml", FixtureFiles.Robustness("dsn-userunknown.eml")),
            Item("/mail/big.eml", tooLarge),
            Item("/mail/c.eml", "not a header\n\nbody\n"u8.ToArray()),
        ]);

        Assert.Equal(3, attempts.Count);
        Assert.Equal(InboundOutcome.Unmatched, attempts[0].Result?.Outcome);
        Assert.Null(attempts[1].Result);
        Assert.NotNull(attempts[1].Error);
        Assert.Equal(InboundOutcome.Unparseable, attempts[2].Result?.Outcome);
        await using var db = Database.CreateContext();
        Assert.Equal(["/mail/a.eml", "/mail/c.eml"], await db.InboundMessages.OrderBy(m => m.Id).Select(m => m.SourceKey).ToListAsync());
        Assert.Equal(1, await db.BounceEvents.CountAsync());
        Assert.Contains(Logs.Logs, log => log.Level == LogLevel.Warning && log.Message.Contains("one by one", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IngestBatchAsync_ShouldStoreTheMessageOnceAndReportItAsDuplicate_WhenTheBatchRepeatsIt()
    {
        var bytes = FixtureFiles.Robustness("dsn-userunknown.eml");

        var attempts = await CreateIngest().IngestBatchAsync([Item("/mail/a.eml", bytes), Item("/mail/b.eml", bytes)]);

        Assert.False(attempts[0].Result!.Duplicate);
        Assert.True(attempts[1].Result!.Duplicate);
        Assert.Equal(attempts[0].Result!.InboundMessageId, attempts[1].Result!.InboundMessageId);
        Assert.Equal(attempts[0].Result!.Recipients.Select(r => r.BounceEventId), attempts[1].Result!.Recipients.Select(r => r.BounceEventId));
        await using var db = Database.CreateContext();
        Assert.Equal(1, await db.InboundMessages.CountAsync());
        Assert.Equal(1, await db.BounceEvents.CountAsync());
    }

    [Fact]
    public async Task IngestBatchAsync_ShouldSaveTwiceAndQueryAFewTimesPerBatch_WhenNoMessageMatches()
    {
        // The speed of the command line's ingest: lookups and saves per batch, not per message.
        var counter = new CountingInterceptor();
        var options = new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite(Database.Connection).AddInterceptors(counter).Options;
        var factory = new CountingFactory(options);
        var runner = new DbCommandRunner(factory, Logs.CreateLogger<DbCommandRunner>());
        var ingest = new InboundIngest(
            factory, runner, new BounceEngine(), new BounceCommands(runner, new BounceRules(Options, Time), Time, Logs.CreateLogger<BounceCommands>()),
            InboundFixtures.Signer, Time, Logs.CreateLogger<InboundIngest>());
        var dsn = FixtureFiles.Robustness("dsn-userunknown.eml");
        var items = Enumerable.Range(1, 20)
            .Select(i => Item($"/mail/copies.mbox#{i}", [.. Encoding.ASCII.GetBytes($"X-Copy: {i}\r\n"), .. dsn]))
            .ToList();

        var attempts = await ingest.IngestBatchAsync(items);

        Assert.All(attempts, a => Assert.Equal(InboundOutcome.Unmatched, a.Result?.Outcome));
        Assert.Equal(20, attempts.Select(a => a.Result!.InboundMessageId).Distinct().Count());
        Assert.True(counter.Saves <= 2, $"{counter.Saves} saves for 20 messages");
        Assert.True(counter.Queries <= 5, $"{counter.Queries} queries for 20 messages");
        await using var db = Database.CreateContext();
        Assert.Equal(20, await db.BounceEvents.CountAsync(e => e.InboundMessageId != null));
    }

    [Fact]
    public async Task IngestBatchAsync_ShouldStoreEveryRowAsOneAtATimeWould_WhenTheBatchMixesMatchedAndUnmatchedMessages()
    {
        // SQLite's batch inserts new messages and unmatched events past the change tracker: the rows must be the same.
        var (_, delivery) = await SeedSentDeliveryAsync();
        var matched = InboundFixtures.UserUnknownDsnWithToken(delivery.Token!);
        var unmatched = FixtureFiles.Robustness("dsn-userunknown.eml");
        var unparseable = "not a header\n\nbody\n"u8.ToArray();

        var attempts = await CreateIngest().IngestBatchAsync(
            [Item("/mail/u.eml", unmatched), Item("/mail/m.eml", matched), Item("/mail/p.eml", unparseable)]);

        var results = attempts.Select(a => a.Result!).ToList();
        Assert.Equal(
            [InboundOutcome.Unmatched, InboundOutcome.Matched, InboundOutcome.Unparseable],
            results.Select(r => r.Outcome));
        await using var db = Database.CreateContext();
        var messages = await db.InboundMessages.OrderBy(m => m.Id).ToListAsync();
        Assert.Equal(results.Select(r => r.InboundMessageId), messages.Select(m => m.Id));
        Assert.Equal(["/mail/u.eml", "/mail/m.eml", "/mail/p.eml"], messages.Select(m => m.SourceKey));
        Assert.All(messages, m => Assert.Equal((InboundSource.File, Time.GetUtcNow()), (m.Source, m.ReceivedAt)));
        Assert.Equal([unmatched, matched, unparseable], messages.Select(m => m.RawContent));
        Assert.Equal(results.Select(r => r.Outcome), messages.Select(m => m.Outcome));
        Assert.Equal(InboundMessage.HashOf(unmatched), messages[0].ContentHash);
        Assert.True(messages[0].AwaitsReview);

        var events = await db.BounceEvents.OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(results.SelectMany(r => r.Recipients).Select(r => r.BounceEventId), events.Select(e => e.Id));
        Assert.Equal([messages[0].Id, messages[1].Id], events.Select(e => e.InboundMessageId));
        Assert.Equal((null, BounceEventState.AwaitingMatch, BounceSource.Mailbox), (events[0].DeliveryId, events[0].State, events[0].Source));
        Assert.Equal((BounceReason.UserUnknown, "/mail/u.eml", Time.GetUtcNow()), (events[0].Reason, events[0].RawMessageRef, events[0].ReceivedAt));
        Assert.Equal((delivery.Id, true), (events[1].DeliveryId, events[1].IsApplied));
        Assert.Equal(DeliveryState.HardBounced, (await db.Deliveries.SingleAsync(d => d.Id == delivery.Id)).State);
    }

    private sealed class CountingFactory(DbContextOptions<SqliteBounceDbContext> options) : IDbContextFactory<BounceDbContext>
    {
        public BounceDbContext CreateDbContext() => new SqliteBounceDbContext(options);
    }

    /// <summary>Counts SaveChanges calls and the SELECTs run outside them.</summary>
    private sealed class CountingInterceptor : DbCommandInterceptor, ISaveChangesInterceptor
    {
        public int Saves { get; private set; }

        public int Queries { get; private set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                Queries++;
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Saves++;
            return ValueTask.FromResult(result);
        }
    }
}
