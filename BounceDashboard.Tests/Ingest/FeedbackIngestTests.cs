using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace BounceDashboard.Tests.Ingest;

/// <summary>
/// Feedback reports from the mailbox to the suppression list, end to end (issue 9): a complaint or an unsubscribe
/// report suppresses only when it matches one of our sends; a mailbox provider's unsubscribe report is an opt-out.
/// </summary>
public sealed class FeedbackIngestTests : CommandScenario
{
    private const string OptOutFixture = "ours/arf-opt-out.eml";

    private static readonly BounceEngine s_engine = new();

    private InboundIngest CreateIngest() =>
        new(Database.Factory, Runner, s_engine, Bounces, InboundFixtures.Signer, Time, NullLogger<InboundIngest>.Instance);

    private static byte[] AsAbuseComplaint(byte[] report) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(report).Replace("Feedback-Type: opt-out", "Feedback-Type: abuse", StringComparison.Ordinal));

    [Fact]
    public async Task IngestAsync_ShouldOptTheContactOutWithAnUnsubscribeEntry_WhenAProvidersUnsubscribeReportMatches()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();

        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "fbl:1:1", InboundFixtures.FeedbackWithToken(OptOutFixture, delivery.Token!));

        Assert.Equal(InboundOutcome.Matched, result.Outcome);
        Assert.Equal(BounceEffect.OptedOut, Assert.Single(result.Recipients).Effect);
        await using var db = Database.CreateContext();
        Assert.Equal(ContactStatus.OptedOut, (await db.Contacts.SingleAsync()).Status);
        var entry = await db.SuppressionEntries.SingleAsync();
        Assert.Equal(SuppressionReason.Unsubscribe, entry.Reason);
        Assert.False(entry.RequiresConfirmationToLift);
        var bounce = await db.BounceEvents.SingleAsync();
        Assert.Equal((MessageKind.FeedbackReport, FeedbackTypes.OptOut, bounce.Id), (bounce.Kind, bounce.FeedbackType, entry.BounceEventId!.Value));
    }

    [Fact]
    public async Task IngestAsync_ShouldSuppressAsAComplaint_WhenAnAbuseReportMatchesOneOfOurSends()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();

        await CreateIngest().IngestAsync(InboundSource.Imap, "fbl:1:2", AsAbuseComplaint(InboundFixtures.FeedbackWithToken(OptOutFixture, delivery.Token!)));

        await using var db = Database.CreateContext();
        Assert.Equal(ContactStatus.OptedOut, (await db.Contacts.SingleAsync()).Status);
        Assert.Equal(SuppressionReason.Complaint, (await db.SuppressionEntries.SingleAsync()).Reason);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task IngestAsync_ShouldChangeNothingAndWaitForReview_WhenAFeedbackReportMatchesNoSend(bool complaint)
    {
        // A hand-made report with a forged token naming a real contact must not suppress it.
        var (_, delivery) = await SeedSentDeliveryAsync();
        var forged = InboundFixtures.FeedbackWithToken(OptOutFixture, InboundFixtures.ForgerSigner.Create(delivery.Id));
        forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(complaint ? AsAbuseComplaint(forged) : forged)
            .Replace("campaign-9.delivery-51", "campaign-0.delivery-0", StringComparison.Ordinal));

        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "fbl:1:3", forged);

        Assert.Equal(InboundOutcome.Unmatched, result.Outcome);
        await using var db = Database.CreateContext();
        Assert.Equal(ContactStatus.Active, (await db.Contacts.SingleAsync()).Status);
        Assert.Equal(0, await db.SuppressionEntries.CountAsync());
        var waiting = await db.BounceEvents.SingleAsync();
        Assert.Equal((BounceEventState.AwaitingMatch, (long?)null), (waiting.State, waiting.DeliveryId));
        Assert.NotNull((await db.InboundMessages.SingleAsync()).RawContent);
    }
}
