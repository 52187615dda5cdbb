using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Ingest;
using Microsoft.EntityFrameworkCore;
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
}
