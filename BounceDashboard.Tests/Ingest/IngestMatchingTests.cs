using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace BounceDashboard.Tests.Ingest;

/// <summary>
/// The last two matching steps, after the VERP or tracking token and the original Message-ID: the DSN's
/// Original-Envelope-Id (our signed token, sent as ENVID), then the recipient's address and the bounce's date.
/// Real SQLite with the real migrations, real .eml fixtures with their token and Message-ID made foreign.
/// </summary>
public sealed partial class IngestMatchingTests : CommandScenario
{
    private const string OptOutFixture = "ours/arf-opt-out.eml";

    private static readonly BounceEngine s_engine = new();

    private InboundIngest CreateIngest() =>
        new(Database.Factory, Runner, s_engine, Bounces, InboundFixtures.Signer, Time, NullLogger<InboundIngest>.Instance);

    [GeneratedRegex(@"^Date: [^\r\n]*", RegexOptions.Multiline)]
    private static partial Regex DateHeader();

    [GeneratedRegex(@"^X-BounceDashboard-Token: [^\r\n]*\r?\n", RegexOptions.Multiline)]
    private static partial Regex TokenHeader();

    /// <summary>
    /// The fixture's 5.1.1 report for nobody@example.net with nothing of ours in it (its unsigned token stays, its
    /// original Message-ID names no delivery), dated <paramref name="date"/>, with an Original-Envelope-Id when given.
    /// </summary>
    private static byte[] ForeignDsn(DateTimeOffset date, string? envelopeId = null)
    {
        var text = WithoutToken(InboundFixtures.UserUnknownDsn())
            .Replace(InboundFixtures.FixtureMessageId, "<someone-else.1@news.example.org>", StringComparison.Ordinal);
        text = DateHeader().Replace(text, "Date: " + date.ToString("R", CultureInfo.InvariantCulture), 1);
        if (envelopeId is not null)
        {
            text = text.Replace("Reporting-MTA: dns; relay.example.org", $"Reporting-MTA: dns; relay.example.org\r\nOriginal-Envelope-Id: {envelopeId}", StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>The fixture without its (unsigned) token: a plain VERP-less return path and no tracking header.</summary>
    private static string WithoutToken(string text) =>
        TokenHeader().Replace(text, string.Empty)
            .Replace($"+{InboundFixtures.FixtureToken}", string.Empty, StringComparison.Ordinal)
            .Replace($"/u/{InboundFixtures.FixtureToken}", "/u/unsubscribe", StringComparison.Ordinal);

    /// <summary>A delivery of a new campaign to the contact whose attempt began at <paramref name="at"/>.</summary>
    private async Task<Delivery> SendAtAsync(Contact contact, DateTimeOffset at, string name)
    {
        var campaign = Campaign.Create(name, CampaignKind.Regular, "news@mail.example.org", "News", at);
        await Database.SeedAsync(campaign);
        var delivery = Delivery.Create(campaign.Id, contact.Id, at);
        delivery.BeginAttempt(at, $"<{campaign.Id}.{contact.Id}@mail.example.org>", "192.0.2.10");
        await Database.SeedAsync(delivery);
        return delivery;
    }

    private async Task<DeliveryState> StateOfAsync(long deliveryId)
    {
        await using var db = Database.CreateContext();
        return (await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == deliveryId)).State;
    }

    [Fact]
    public async Task IngestAsync_ShouldMatchByTheEnvelopeId_WhenTheReportReturnsOurSignedTokenAsOriginalEnvelopeId()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();

        // Written and received long after the send, so the address step could not have matched it.
        Time.Advance(TimeSpan.FromDays(30));
        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "bounces:9:1", ForeignDsn(Time.GetUtcNow(), delivery.Token));

        Assert.Equal(InboundOutcome.Matched, result.Outcome);
        var recipient = Assert.Single(result.Recipients);
        Assert.Equal((delivery.Id, true, BounceEffect.HardBounced), (recipient.DeliveryId, recipient.Applied, recipient.Effect));
        Assert.Equal(DeliveryState.HardBounced, await StateOfAsync(delivery.Id));
    }

    [Fact]
    public async Task IngestAsync_ShouldLeaveItUnmatched_WhenTheEnvelopeIdIsAForgedToken()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        var forged = InboundFixtures.ForgerSigner.Create(delivery.Id);
        Time.Advance(TimeSpan.FromDays(30));

        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "bounces:9:2", ForeignDsn(Time.GetUtcNow(), forged));

        Assert.Equal(InboundOutcome.Unmatched, result.Outcome);
        Assert.Null(Assert.Single(result.Recipients).DeliveryId);
        Assert.Equal(DeliveryState.Sending, await StateOfAsync(delivery.Id));
    }

    [Fact]
    public async Task IngestAsync_ShouldMatchByAddressAndTime_WhenOnlyTheRecipientNamesOurContact()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        Time.Advance(TimeSpan.FromHours(2));

        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "bounces:9:3", ForeignDsn(Time.GetUtcNow()));

        Assert.Equal(InboundOutcome.Matched, result.Outcome);
        Assert.Equal((delivery.Id, BounceEffect.HardBounced), (Assert.Single(result.Recipients).DeliveryId, result.Recipients[0].Effect));
        Assert.Equal(DeliveryState.HardBounced, await StateOfAsync(delivery.Id));
    }

    [Fact]
    public async Task IngestAsync_ShouldMatchByTheBouncesOwnDate_WhenTheMessageIsReadDaysAfterItWasWritten()
    {
        // An mbox saved at the time and ingested ten days later: the Date header, not the day it reached us, decides.
        var (_, delivery) = await SeedSentDeliveryAsync();
        var bytes = ForeignDsn(Time.GetUtcNow().AddHours(1));
        Time.Advance(TimeSpan.FromDays(10));

        var result = await CreateIngest().IngestAsync(InboundSource.File, "/var/mail/old#1", bytes);

        Assert.Equal(delivery.Id, Assert.Single(result.Recipients).DeliveryId);
    }

    [Fact]
    public async Task IngestAsync_ShouldMatchTheMostRecentSendBeforeTheBounce_WhenTwoCampaignsWentToTheAddressWithinSevenDays()
    {
        var contact = await SeedContactAsync(InboundFixtures.FixtureRecipient);
        var start = Time.GetUtcNow();
        var older = await SendAtAsync(contact, start.AddDays(-3), "Older");
        var newer = await SendAtAsync(contact, start.AddDays(-1), "Newer");
        var afterTheBounce = await SendAtAsync(contact, start.AddHours(1), "After the bounce");

        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "bounces:9:4", ForeignDsn(start));

        Assert.Equal(newer.Id, Assert.Single(result.Recipients).DeliveryId);
        Assert.Equal(DeliveryState.HardBounced, await StateOfAsync(newer.Id));
        Assert.Equal(DeliveryState.Sending, await StateOfAsync(older.Id));
        Assert.Equal(DeliveryState.Sending, await StateOfAsync(afterTheBounce.Id));
    }

    [Fact]
    public async Task IngestAsync_ShouldLeaveItUnmatched_WhenTheLatestSendToTheAddressIsOlderThanSevenDays()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        Time.Advance(TimeSpan.FromDays(7).Add(TimeSpan.FromMinutes(1)));

        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "bounces:9:5", ForeignDsn(Time.GetUtcNow()));

        Assert.Equal(InboundOutcome.Unmatched, result.Outcome);
        Assert.Null(Assert.Single(result.Recipients).DeliveryId);
        Assert.Equal(DeliveryState.Sending, await StateOfAsync(delivery.Id));
    }

    [Fact]
    public async Task IngestAsync_ShouldNotMatchByAddress_WhenTheReportCarriesATokenTheSignerRefuses()
    {
        // The report claims to be about a send of ours and its token is forged (or another sender's): no guessing.
        var (_, delivery) = await SeedSentDeliveryAsync();
        Time.Advance(TimeSpan.FromHours(1));
        var text = Encoding.UTF8.GetString(ForeignDsn(Time.GetUtcNow()))
            .Replace("bounces@news.example.org", $"bounces+{InboundFixtures.ForgerSigner.Create(delivery.Id)}@news.example.org", StringComparison.Ordinal);

        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "bounces:9:8", Encoding.UTF8.GetBytes(text));

        Assert.Equal(InboundOutcome.Unmatched, result.Outcome);
        Assert.Equal(DeliveryState.Sending, await StateOfAsync(delivery.Id));
    }

    [Fact]
    public async Task IngestAsync_ShouldLeaveItUnmatched_WhenTheAddressIsNoContactOfOurs()
    {
        await SeedSentDeliveryAsync();
        Time.Advance(TimeSpan.FromHours(1));
        var text = Encoding.UTF8.GetString(ForeignDsn(Time.GetUtcNow())).Replace(InboundFixtures.FixtureRecipient, "stranger@example.net", StringComparison.Ordinal);

        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "bounces:9:6", Encoding.UTF8.GetBytes(text));

        Assert.Equal(InboundOutcome.Unmatched, result.Outcome);
    }

    [Fact]
    public async Task IngestAsync_ShouldLeaveAComplaintForReview_WhenOnlyItsAddressNamesOurContact()
    {
        // Anyone can mail a feedback report naming an address: without a token or Message-ID of ours it proves nothing.
        var (_, delivery) = await SeedSentDeliveryAsync();
        var text = WithoutToken(Encoding.UTF8.GetString(InboundFixtures.FeedbackWithToken(OptOutFixture, InboundFixtures.FixtureToken)))
            .Replace("Feedback-Type: opt-out", "Feedback-Type: abuse", StringComparison.Ordinal)
            .Replace("campaign-9.delivery-51", "campaign-0.delivery-0", StringComparison.Ordinal);
        Time.Advance(TimeSpan.FromHours(1));
        text = DateHeader().Replace(text, "Date: " + Time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture), 1);

        var result = await CreateIngest().IngestAsync(InboundSource.Imap, "fbl:9:7", Encoding.UTF8.GetBytes(text));

        Assert.Equal(MessageKind.FeedbackReport, result.Kind);
        Assert.Equal(InboundOutcome.Unmatched, result.Outcome);
        Assert.Null(Assert.Single(result.Recipients).DeliveryId);
        await using var db = Database.CreateContext();
        Assert.Equal(ContactStatus.Active, (await db.Contacts.SingleAsync()).Status);
        Assert.Equal(0, await db.SuppressionEntries.CountAsync());
        Assert.Equal(DeliveryState.Sending, await StateOfAsync(delivery.Id));
    }
}
