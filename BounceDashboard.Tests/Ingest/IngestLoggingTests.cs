using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Ingest;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BounceDashboard.Tests.Ingest;

/// <summary>A bulk ingest writes no Information line per message or per event that changed nothing.</summary>
public sealed class IngestLoggingTests : CommandScenario
{
    [Fact]
    public async Task IngestAsync_ShouldLogNothingAtInformation_WhenAnUnmatchedMessageIsStored()
    {
        var ingest = new InboundIngest(Database.Factory, Runner, new BounceEngine(), Bounces, InboundFixtures.Signer, Time, Logs.CreateLogger<InboundIngest>());

        var result = await ingest.IngestAsync(InboundSource.File, "/mail/dsn.eml", FixtureFiles.Robustness("dsn-userunknown.eml"));

        Assert.Equal(InboundOutcome.Unmatched, result.Outcome);
        Assert.DoesNotContain(Logs.Logs, log => log.Level >= LogLevel.Information);
        Assert.Contains(Logs.Logs, log => log.Level == LogLevel.Debug && log.Message.Contains($"inbound message {result.InboundMessageId}", StringComparison.Ordinal));
    }
}
