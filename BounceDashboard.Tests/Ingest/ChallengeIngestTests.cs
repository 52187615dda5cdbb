using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace BounceDashboard.Tests.Ingest;

/// <summary>
/// A challenge/response request (a message we wrote in the Boxbe style) on a real SQLite database with the real
/// migrations: stored as not-a-bounce with its own kind, waiting in the review queue, with no bounce event.
/// </summary>
public sealed class ChallengeIngestTests : CommandScenario
{
    private static readonly BounceEngine s_engine = new();

    private static readonly byte[] Challenge = Encoding.UTF8.GetBytes("""
        From: Jane Doe <jane@example.org>
        To: bounces+t1@news.example.com
        Subject: Please verify your email to Jane Doe
        MIME-Version: 1.0
        Content-Type: text/plain; charset=us-ascii

        Jane Doe screens her mail. Please verify that you are a person by opening the link below,
        and your message will be delivered.

        https://verify.example.net/c/8f2a
        """.ReplaceLineEndings("\r\n"));

    private InboundIngest CreateIngest() =>
        new(Database.Factory, Runner, s_engine, Bounces, InboundFixtures.Signer, Time, NullLogger<InboundIngest>.Instance);

    [Fact]
    public async Task IngestAsync_ShouldStoreItAsNotABounceWithNoEvent_WhenTheMessageIsAChallenge()
    {
        var result = await CreateIngest().IngestAsync(InboundSource.File, "/mail/challenge.eml", Challenge);

        Assert.Equal(InboundOutcome.NotABounce, result.Outcome);
        await using var db = Database.CreateContext();
        var stored = await db.InboundMessages.SingleAsync();
        Assert.Equal(MessageKind.Challenge, stored.Kind);
        Assert.True(stored.AwaitsReview);
        Assert.Equal(0, await db.BounceEvents.CountAsync());
    }

    [Fact]
    public async Task IngestBatchAsync_ShouldStoreItAsNotABounce_WhenTheBatchHoldsAChallenge()
    {
        var attempts = await CreateIngest().IngestBatchAsync([new InboundItem(InboundSource.File, "/mail/challenge.eml", Challenge)]);

        Assert.Equal(InboundOutcome.NotABounce, Assert.Single(attempts).Result?.Outcome);
        await using var db = Database.CreateContext();
        Assert.Equal(MessageKind.Challenge, (await db.InboundMessages.SingleAsync()).Kind);
        Assert.Equal(0, await db.BounceEvents.CountAsync());
    }
}
