using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Sending;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Commands;

/// <summary>
/// <see cref="DeliveryCommands"/> on a real SQLite database with the real migrations, rules and bounce commands, and a
/// fake clock: the claim, the relay's answer, stale claims, completion and the hard-bounce guard. No SMTP server: the
/// answers are the <see cref="SendOutcome"/> values the dispatcher hands over.
/// </summary>
public class DeliveryCommandsTests : CommandScenario
{
    private const string UserUnknownReply = "5.1.1 <jane@example.com>: Recipient address rejected: User unknown in virtual alias table";
    private const string DeferReply = "4.2.1 <jane@example.com>: Recipient address rejected: Mailbox temporarily unavailable (test domain defer.test)";

    private static readonly RelayOptions Relay = new() { Name = "relay-a", Host = "127.0.0.1", Port = 2525, TlsMode = RelayTlsMode.None, SendingIp = "192.0.2.10" };

    private readonly SendingOptions _sending = NewSendingOptions();
    private DeliveryCommands? _deliveries;

    public DeliveryCommandsTests()
    {
        Options.AutoPauseWindow = 10;
    }

    private DeliveryCommands Deliveries => _deliveries ??= new DeliveryCommands(
        Runner,
        new BounceRules(Options, Time),
        Bounces,
        new BounceEngine(),
        InboundFixtures.Signer,
        new SendingGuard(Options),
        Microsoft.Extensions.Options.Options.Create(_sending),
        Time,
        Logs.CreateLogger<DeliveryCommands>());

    [Fact]
    public async Task ClaimAsync_ShouldClaimOnlyDueDeliveriesOfCampaignsInProgress_WhenOthersAreWaiting()
    {
        var jane = await SeedContactAsync("jane@example.com");
        var john = await SeedContactAsync("john@example.com");
        var sending = await SeedCampaignAsync(CampaignState.InProgress);
        var paused = await SeedCampaignAsync(CampaignState.Paused);
        var draft = await SeedCampaignAsync(CampaignState.Draft);
        var due = await SeedDeliveryAsync(sending, jane);
        var later = await SeedDeliveryAsync(sending, john, dueAt: Time.GetUtcNow().AddMinutes(10));
        var ofPaused = await SeedDeliveryAsync(paused, jane);
        var ofDraft = await SeedDeliveryAsync(draft, jane);

        var result = await Deliveries.ClaimAsync(Relay, batchSize: 10);

        var claim = Assert.Single(result.Claimed);
        Assert.Equal(1, result.Examined);
        Assert.Equal((due.Id, sending.Id, 1, "jane@example.com"), (claim.DeliveryId, claim.CampaignId, claim.AttemptNumber, claim.Email));
        Assert.True(InboundFixtures.Signer.TryVerify(claim.Token, out var signedId));
        Assert.Equal(due.Id, signedId);
        Assert.Matches("^<[0-9a-f]{32}@bounces\\.test>$", claim.MessageId);

        await using var db = Database.CreateContext();
        var stored = await db.Deliveries.Include(d => d.Attempts).SingleAsync(d => d.Id == due.Id);
        Assert.Equal((DeliveryState.Sending, claim.Token, claim.MessageId, "relay-a", "192.0.2.10"), (stored.State, stored.Token, stored.MessageId, stored.Relay, stored.SendingIp));
        Assert.Null(stored.NextAttemptAt);
        var attempt = Assert.Single(stored.Attempts);
        Assert.Equal((claim.AttemptId, 1, DeliveryAttemptOutcome.Pending, "relay-a", "192.0.2.10", Time.GetUtcNow()), (attempt.Id, attempt.Number, attempt.Outcome, attempt.Relay, attempt.SendingIp, attempt.StartedAt));
        foreach (var untouched in new[] { later, ofPaused, ofDraft })
        {
            var other = await db.Deliveries.SingleAsync(d => d.Id == untouched.Id);
            Assert.Equal((DeliveryState.Queued, 0, (string?)null), (other.State, other.AttemptCount, other.Token));
        }
    }

    [Fact]
    public async Task ClaimAsync_ShouldClaimNothing_WhenRunRightAfterAnotherClaim()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        await SeedDeliveryAsync(campaign, await SeedContactAsync("john@example.com"));

        var first = await Deliveries.ClaimAsync(Relay, batchSize: 10);
        var second = await Deliveries.ClaimAsync(Relay, batchSize: 10);

        Assert.Equal(2, first.Claimed.Count);
        Assert.Empty(second.Claimed);
        Assert.Equal(0, second.Examined);
        await using var db = Database.CreateContext();
        Assert.Equal(2, await db.DeliveryAttempts.CountAsync());
    }

    [Fact]
    public async Task ClaimAsync_ShouldTakeTheOldestDueFirstAndOnlyTheBatch_WhenMoreAreDue()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        var newer = await SeedDeliveryAsync(campaign, await SeedContactAsync("newer@example.com"));
        var older = await SeedDeliveryAsync(campaign, await SeedContactAsync("older@example.com"), dueAt: Time.GetUtcNow().AddMinutes(-30));

        var result = await Deliveries.ClaimAsync(Relay, batchSize: 1);

        Assert.Equal(older.Id, Assert.Single(result.Claimed).DeliveryId);
        Assert.Equal(newer.Id, Assert.Single((await Deliveries.ClaimAsync(Relay, batchSize: 1)).Claimed).DeliveryId);
    }

    [Fact]
    public async Task ClaimAsync_ShouldClaimOnlyThatCampaign_WhenOneIsNamed()
    {
        var jane = await SeedContactAsync("jane@example.com");
        var first = await SeedCampaignAsync(CampaignState.InProgress);
        var second = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(first, jane);
        var wanted = await SeedDeliveryAsync(second, jane);

        var result = await Deliveries.ClaimAsync(Relay, batchSize: 10, campaignId: second.Id);

        Assert.Equal(wanted.Id, Assert.Single(result.Claimed).DeliveryId);
    }

    [Fact]
    public async Task ClaimAsync_ShouldSkipAndCountAsExamined_WhenTheContactIsNotSendable()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        var suppressed = await SeedContactAsync("suppressed@example.com");
        var optedOut = Contact.Create("gone@example.com", Time.GetUtcNow());
        optedOut.OptOut(Time.GetUtcNow());
        await Database.SeedAsync(
            optedOut,
            SuppressionEntry.Create("suppressed@example.com", SuppressionReason.HardBounce, SuppressionSource.Admin, Time.GetUtcNow(), "admin@example.org"));
        var sendable = await SeedContactAsync("jane@example.com");
        var toSuppressed = await SeedDeliveryAsync(campaign, suppressed);
        var toOptedOut = await SeedDeliveryAsync(campaign, optedOut);
        var toSendable = await SeedDeliveryAsync(campaign, sendable);

        var result = await Deliveries.ClaimAsync(Relay, batchSize: 10);

        Assert.Equal(toSendable.Id, Assert.Single(result.Claimed).DeliveryId);
        Assert.Equal(3, result.Examined);
        await using var db = Database.CreateContext();
        var skippedSuppressed = await db.Deliveries.SingleAsync(d => d.Id == toSuppressed.Id);
        var skippedOptedOut = await db.Deliveries.SingleAsync(d => d.Id == toOptedOut.Id);
        Assert.Equal((DeliveryState.Skipped, DeliverySkipReason.AddressSuppressed, 0), (skippedSuppressed.State, skippedSuppressed.SkipReason, skippedSuppressed.AttemptCount));
        Assert.Equal((DeliveryState.Skipped, DeliverySkipReason.ContactNotActive, 0), (skippedOptedOut.State, skippedOptedOut.SkipReason, skippedOptedOut.AttemptCount));
        Assert.Single(await db.DeliveryAttempts.ToListAsync());
        Assert.Empty((await Deliveries.ClaimAsync(Relay, batchSize: 10)).Claimed);
    }

    [Fact]
    public async Task ClaimAsync_ShouldAbandonTheRetry_WhenTheContactWasSuppressedWhileItWaited()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        var contact = await SeedContactAsync("jane@example.com");
        await SeedDeliveryAsync(campaign, contact);
        var claim = await ClaimOneAsync();
        await Deliveries.RecordAsync(claim, SendOutcome.Refused(450, DeferReply, "RCPT"), Relay);
        await Database.SeedAsync(SuppressionEntry.Create("jane@example.com", SuppressionReason.HardBounce, SuppressionSource.Admin, Time.GetUtcNow(), "admin@example.org"));
        Time.Advance(TimeSpan.FromDays(1));

        var result = await Deliveries.ClaimAsync(Relay, batchSize: 10);

        Assert.Empty(result.Claimed);
        Assert.Equal(1, result.Examined);
        await using var db = Database.CreateContext();
        var delivery = await db.Deliveries.SingleAsync();
        Assert.Equal((DeliveryState.SoftBounced, 1), (delivery.State, delivery.AttemptCount));
    }

    [Fact]
    public async Task RecordAsync_ShouldDeliverAndTellTheContact_WhenTheRelayAccepts()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        var contact = await SeedContactAsync("jane@example.com");
        await SeedDeliveryAsync(campaign, contact);
        var claim = await ClaimOneAsync();
        Time.Advance(TimeSpan.FromSeconds(2));

        var state = await Deliveries.RecordAsync(claim, SendOutcome.Accepted("2.0.0 Ok: queued as 4ABC"), Relay);

        Assert.Equal(DeliveryState.Delivered, state);
        await using var db = Database.CreateContext();
        var delivery = await db.Deliveries.Include(d => d.Attempts).SingleAsync();
        Assert.Equal((DeliveryState.Delivered, "250 2.0.0 Ok: queued as 4ABC"), (delivery.State, delivery.LastSmtpReply));
        var attempt = Assert.Single(delivery.Attempts);
        Assert.Equal((DeliveryAttemptOutcome.Accepted, (DateTimeOffset?)Time.GetUtcNow()), (attempt.Outcome, attempt.CompletedAt));
        var stored = await db.Contacts.SingleAsync();
        Assert.Equal((campaign.Id, ContactStatus.Active), (stored.LastDeliveredCampaignId, stored.Status));
        Assert.Empty(await db.BounceEvents.ToListAsync());
    }

    [Fact]
    public async Task RecordAsync_ShouldHardBounceSuppressAndRecordAnSmtpEvent_WhenTheRelayRefusesAnUnknownUser()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        var claim = await ClaimOneAsync();

        var state = await Deliveries.RecordAsync(claim, SendOutcome.Refused(550, UserUnknownReply, "RCPT"), Relay);

        Assert.Equal(DeliveryState.HardBounced, state);
        await using var db = Database.CreateContext();
        var delivery = await db.Deliveries.Include(d => d.Attempts).SingleAsync();
        Assert.Equal((DeliveryState.HardBounced, BounceReason.UserUnknown), (delivery.State, delivery.BounceReason));
        Assert.Equal(DeliveryAttemptOutcome.PermanentFailure, Assert.Single(delivery.Attempts).Outcome);
        var bounce = await db.BounceEvents.SingleAsync();
        Assert.Equal(
            (BounceSource.SmtpResponse, MessageKind.Bounce, (long?)claim.DeliveryId, (long?)claim.AttemptId, BounceReason.UserUnknown, true, true),
            (bounce.Source, bounce.Kind, bounce.DeliveryId, bounce.DeliveryAttemptId, bounce.Reason, bounce.Permanent, bounce.Hard));
        Assert.Equal(("550", "5.1.1", "127.0.0.1", "jane@example.com"), (bounce.ReplyCode, bounce.EnhancedStatus, bounce.RemoteMta, bounce.Recipient));
        Assert.Equal(DeliveryCommands.IdempotencyKeyOf(claim), bounce.IdempotencyKey);
        Assert.Equal(BounceEventState.Applied, bounce.State);
        var suppression = await db.SuppressionEntries.SingleAsync();
        Assert.Equal(("jane@example.com", SuppressionReason.HardBounce, (long?)bounce.Id), (suppression.Email, suppression.Reason, suppression.BounceEventId));
        var contact = await db.Contacts.SingleAsync();
        Assert.Equal((ContactStatus.Error, (ContactErrorCause?)ContactErrorCause.BadAddress), (contact.Status, contact.ErrorCause));
    }

    [Fact]
    public async Task RecordAsync_ShouldHardBounceWithoutSuppressing_WhenTheRelayIsBlocked()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        var claim = await ClaimOneAsync();

        var state = await Deliveries.RecordAsync(
            claim,
            SendOutcome.Refused(554, "5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "RCPT"),
            Relay);

        Assert.Equal(DeliveryState.HardBounced, state);
        await using var db = Database.CreateContext();
        var bounce = await db.BounceEvents.SingleAsync();
        Assert.Equal((BounceReason.Blocked, true, false), (bounce.Reason, bounce.Permanent, bounce.Hard));
        Assert.Empty(await db.SuppressionEntries.ToListAsync());
        var contact = await db.Contacts.SingleAsync();
        Assert.Equal((ContactStatus.Active, 1), (contact.Status, contact.ConsecutiveHardBounces));
    }

    [Fact]
    public async Task RecordAsync_ShouldRecordTheResult_WhenTheCampaignWasPausedDuringTheAttempt()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        var claim = await ClaimOneAsync();
        await using (var db = Database.CreateContext())
        {
            (await db.Campaigns.SingleAsync()).Pause("By hand", Time.GetUtcNow());
            await db.SaveChangesAsync();
        }

        var state = await Deliveries.RecordAsync(claim, SendOutcome.Accepted("2.0.0 Ok"), Relay);

        Assert.Equal(DeliveryState.Delivered, state);
    }

    [Fact]
    public async Task ClaimAsync_ShouldClaimAgain_WhenAPausedCampaignIsResumed()
    {
        var campaign = await SeedCampaignAsync(CampaignState.Paused);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        Assert.Empty((await Deliveries.ClaimAsync(Relay, batchSize: 10)).Claimed);
        await using (var db = Database.CreateContext())
        {
            (await db.Campaigns.SingleAsync()).Resume();
            await db.SaveChangesAsync();
        }

        Assert.Single((await Deliveries.ClaimAsync(Relay, batchSize: 10)).Claimed);
    }

    [Fact]
    public async Task RecordAsync_ShouldStoreOneEvent_WhenTheSameRefusalIsRecordedTwice()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        var claim = await ClaimOneAsync();
        var refusal = SendOutcome.Refused(550, UserUnknownReply, "RCPT");

        var first = await Deliveries.RecordAsync(claim, refusal, Relay);
        var second = await Deliveries.RecordAsync(claim, refusal, Relay);

        Assert.Equal(DeliveryState.HardBounced, first);
        Assert.Null(second);
        await using var db = Database.CreateContext();
        Assert.Single(await db.BounceEvents.ToListAsync());
        Assert.Single(await db.SuppressionEntries.ToListAsync());
        var contact = await db.Contacts.SingleAsync();
        Assert.Equal(1, contact.ConsecutiveHardBounces);
    }

    [Fact]
    public async Task RecordAsync_ShouldScheduleTheRetryOnTheSchedule_WhenTheRelayDefers()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        var firstAttemptAt = Time.GetUtcNow();
        var claim = await ClaimOneAsync();
        Time.Advance(TimeSpan.FromSeconds(3));

        var state = await Deliveries.RecordAsync(claim, SendOutcome.Refused(450, DeferReply, "RCPT"), Relay);

        Assert.Equal(DeliveryState.AwaitingRetry, state);
        var schedule = new RetrySchedule(Options);
        await using var db = Database.CreateContext();
        var delivery = await db.Deliveries.Include(d => d.Attempts).SingleAsync();
        Assert.Equal(firstAttemptAt + schedule.OffsetOf(2), delivery.NextAttemptAt);
        Assert.Equal(DeliveryAttemptOutcome.TransientFailure, Assert.Single(delivery.Attempts).Outcome);
        var bounce = await db.BounceEvents.SingleAsync();
        Assert.Equal((BounceSource.SmtpResponse, false, "450"), (bounce.Source, bounce.Permanent, bounce.ReplyCode));
        Assert.Empty(await db.SuppressionEntries.ToListAsync());
        Assert.Equal(ContactStatus.Active, (await db.Contacts.SingleAsync()).Status);
        Assert.Empty((await Deliveries.ClaimAsync(Relay, batchSize: 10)).Claimed);
    }

    [Fact]
    public async Task RecordAsync_ShouldSoftBounce_WhenTheLastAttemptIsDeferredToo()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        var states = new List<DeliveryState?>();
        var numbers = new List<int>();

        for (var attempt = 1; attempt <= Options.MaxAttempts; attempt++)
        {
            var claim = await ClaimOneAsync();
            numbers.Add(claim.AttemptNumber);
            states.Add(await Deliveries.RecordAsync(claim, SendOutcome.Refused(450, DeferReply, "RCPT"), Relay));
            await using var db = Database.CreateContext();
            if ((await db.Deliveries.SingleAsync()).NextAttemptAt is { } next)
            {
                Time.SetUtcNow(next);
            }
        }

        Assert.Equal([1, 2, 3, 4], numbers);
        Assert.Equal([DeliveryState.AwaitingRetry, DeliveryState.AwaitingRetry, DeliveryState.AwaitingRetry, DeliveryState.SoftBounced], states);
        await using var check = Database.CreateContext();
        var delivery = await check.Deliveries.Include(d => d.Attempts).SingleAsync();
        Assert.Equal((DeliveryState.SoftBounced, 4, (DateTimeOffset?)null), (delivery.State, delivery.AttemptCount, delivery.NextAttemptAt));
        Assert.All(delivery.Attempts, a => Assert.Equal(DeliveryAttemptOutcome.TransientFailure, a.Outcome));
        Assert.Equal(4, await check.BounceEvents.CountAsync());
        Assert.Equal(1, (await check.Contacts.SingleAsync()).ConsecutiveSoftBounces);
        Assert.Empty((await Deliveries.ClaimAsync(Relay, batchSize: 10)).Claimed);
    }

    [Fact]
    public async Task RecordAsync_ShouldRequeueWithoutCountingTheAttempt_WhenTheMessageWasNotSent()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        var claim = await ClaimOneAsync();

        var state = await Deliveries.RecordAsync(claim, SendOutcome.NotSent("Connection refused (127.0.0.1:2525)"), Relay);

        Assert.Equal(DeliveryState.Queued, state);
        await using (var db = Database.CreateContext())
        {
            var delivery = await db.Deliveries.SingleAsync();
            Assert.Equal(
                (DeliveryState.Queued, 0, (DateTimeOffset?)null, (DateTimeOffset?)(Time.GetUtcNow() + _sending.ConnectionRetryDelay), "Connection refused (127.0.0.1:2525)"),
                (delivery.State, delivery.AttemptCount, delivery.FirstAttemptAt, delivery.NextAttemptAt, delivery.LastSmtpReply));
            Assert.Equal(claim.Token, delivery.Token);
            Assert.Empty(await db.DeliveryAttempts.ToListAsync());
            Assert.Empty(await db.BounceEvents.ToListAsync());
            var contact = await db.Contacts.SingleAsync();
            Assert.Equal((ContactStatus.Active, 0, (long?)null), (contact.Status, contact.ConsecutiveBounces, contact.LastDeliveredCampaignId));
        }

        Time.Advance(_sending.ConnectionRetryDelay - TimeSpan.FromSeconds(1));
        Assert.Empty((await Deliveries.ClaimAsync(Relay, batchSize: 10)).Claimed);
        Time.Advance(TimeSpan.FromSeconds(1));
        var again = Assert.Single((await Deliveries.ClaimAsync(Relay, batchSize: 10)).Claimed);
        Assert.Equal((1, claim.MessageId, claim.Token), (again.AttemptNumber, again.MessageId, again.Token));
        Assert.NotEqual(claim.AttemptId, again.AttemptId);
    }

    [Fact]
    public async Task RecordAsync_ShouldKeepTheEarlierAttempt_WhenARetryWasNotSent()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        var firstAttemptAt = Time.GetUtcNow();
        await Deliveries.RecordAsync(await ClaimOneAsync(), SendOutcome.Refused(450, DeferReply, "RCPT"), Relay);
        Time.Advance(new RetrySchedule(Options).OffsetOf(2));
        var retry = await ClaimOneAsync();

        var state = await Deliveries.RecordAsync(retry, SendOutcome.NotSent("TLS handshake failed"), Relay);

        Assert.Equal(DeliveryState.AwaitingRetry, state);
        await using var db = Database.CreateContext();
        var delivery = await db.Deliveries.Include(d => d.Attempts).SingleAsync();
        Assert.Equal((1, (DateTimeOffset?)firstAttemptAt), (delivery.AttemptCount, delivery.FirstAttemptAt));
        Assert.Equal(Time.GetUtcNow() + _sending.ConnectionRetryDelay, delivery.NextAttemptAt);
        var kept = Assert.Single(delivery.Attempts);
        Assert.Equal((1, DeliveryAttemptOutcome.TransientFailure), (kept.Number, kept.Outcome));
    }

    [Fact]
    public async Task RecordAsync_ShouldPutLastAttemptAtBackToTheEarlierAttempt_WhenARetryWasNotSent()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        var firstAttemptAt = Time.GetUtcNow();
        await Deliveries.RecordAsync(await ClaimOneAsync(), SendOutcome.Refused(450, DeferReply, "RCPT"), Relay);
        Time.Advance(new RetrySchedule(Options).OffsetOf(2));
        var retry = await ClaimOneAsync();

        await Deliveries.RecordAsync(retry, SendOutcome.NotSent("TLS handshake failed"), Relay);

        // Delivery.ReleaseAttempt sets LastAttemptAt to the previous attempt's start when that attempt is loaded.
        await using var db = Database.CreateContext();
        Assert.Equal(firstAttemptAt, (await db.Deliveries.SingleAsync()).LastAttemptAt);
    }

    [Fact]
    public async Task RecordAsync_ShouldChangeNothing_WhenTheResultArrivesAfterTheClaimWasReleased()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        var claim = await ClaimOneAsync();
        Time.Advance(_sending.ClaimTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Deliveries.ReleaseStaleAsync());

        var state = await Deliveries.RecordAsync(claim, SendOutcome.Refused(550, UserUnknownReply, "RCPT"), Relay);

        Assert.Null(state);
        await using var db = Database.CreateContext();
        var delivery = await db.Deliveries.SingleAsync();
        Assert.Equal((DeliveryState.Queued, 0, (DateTimeOffset?)Time.GetUtcNow()), (delivery.State, delivery.AttemptCount, delivery.NextAttemptAt));
        Assert.Empty(await db.BounceEvents.ToListAsync());
        Assert.Empty(await db.SuppressionEntries.ToListAsync());
        Assert.Equal(ContactStatus.Active, (await db.Contacts.SingleAsync()).Status);
    }

    [Fact]
    public async Task RecordAsync_ShouldIgnoreTheOldResult_WhenTheReleasedDeliveryWasClaimedAgain()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        var stale = await ClaimOneAsync();
        Time.Advance(_sending.ClaimTimeout + TimeSpan.FromSeconds(1));
        await Deliveries.ReleaseStaleAsync();
        var fresh = await ClaimOneAsync();

        var late = await Deliveries.RecordAsync(stale, SendOutcome.Accepted("2.0.0 Ok"), Relay);
        var current = await Deliveries.RecordAsync(fresh, SendOutcome.Refused(550, UserUnknownReply, "RCPT"), Relay);

        Assert.Equal(stale.AttemptNumber, fresh.AttemptNumber);
        Assert.Null(late);
        Assert.Equal(DeliveryState.HardBounced, current);
        await using var db = Database.CreateContext();
        Assert.Null((await db.Contacts.SingleAsync()).LastDeliveredCampaignId);
        Assert.Equal(fresh.AttemptId, (await db.BounceEvents.SingleAsync()).DeliveryAttemptId);
    }

    [Fact]
    public async Task ReleaseStaleAsync_ShouldLeaveFreshClaimsAlone_WhenTheyAreYoungerThanTheTimeout()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("old@example.com"));
        var old = await ClaimOneAsync();
        Time.Advance(TimeSpan.FromMinutes(10));
        await SeedDeliveryAsync(campaign, await SeedContactAsync("young@example.com"));
        var young = await ClaimOneAsync();
        Time.Advance(_sending.ClaimTimeout - TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        var released = await Deliveries.ReleaseStaleAsync();

        Assert.Equal(1, released);
        await using var db = Database.CreateContext();
        Assert.Equal(DeliveryState.Queued, (await db.Deliveries.SingleAsync(d => d.Id == old.DeliveryId)).State);
        Assert.Equal(DeliveryState.Sending, (await db.Deliveries.SingleAsync(d => d.Id == young.DeliveryId)).State);
        Assert.Equal(young.AttemptId, (await db.DeliveryAttempts.SingleAsync()).Id);
        Assert.Equal(DeliveryState.Delivered, await Deliveries.RecordAsync(young, SendOutcome.Accepted("2.0.0 Ok"), Relay));
    }

    [Fact]
    public async Task ReleaseStaleAsync_ShouldReleaseNothing_WhenNoClaimIsOlderThanTheTimeout()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        await ClaimOneAsync();
        Time.Advance(_sending.ClaimTimeout);

        Assert.Equal(0, await Deliveries.ReleaseStaleAsync());
    }

    [Fact]
    public async Task CompleteCampaignsAsync_ShouldMarkSent_WhenEveryDeliveryExistsAndIsFinal()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress, queued: true);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("delivered@example.com"));
        await SeedDeliveryAsync(campaign, await SeedContactAsync("unknown@example.com"));
        var claims = (await Deliveries.ClaimAsync(Relay, batchSize: 10)).Claimed;
        await Deliveries.RecordAsync(claims.Single(c => c.Email == "delivered@example.com"), SendOutcome.Accepted("2.0.0 Ok"), Relay);
        await Deliveries.RecordAsync(claims.Single(c => c.Email == "unknown@example.com"), SendOutcome.Refused(550, UserUnknownReply, "RCPT"), Relay);
        Time.Advance(TimeSpan.FromMinutes(1));

        var done = await Deliveries.CompleteCampaignsAsync();

        Assert.Equal([campaign.Id], done);
        await using var db = Database.CreateContext();
        var stored = await db.Campaigns.SingleAsync();
        Assert.Equal((CampaignState.Sent, (DateTimeOffset?)Time.GetUtcNow()), (stored.State, stored.SentAt));
        Assert.Empty(await Deliveries.CompleteCampaignsAsync());
    }

    [Theory]
    [InlineData(DeliveryState.Queued)]
    [InlineData(DeliveryState.Sending)]
    [InlineData(DeliveryState.AwaitingRetry)]
    public async Task CompleteCampaignsAsync_ShouldLeaveItInProgress_WhenADeliveryIsOutstanding(DeliveryState outstanding)
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress, queued: true);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("delivered@example.com"));
        await Deliveries.RecordAsync(await ClaimOneAsync(), SendOutcome.Accepted("2.0.0 Ok"), Relay);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("other@example.com"));
        if (outstanding is not DeliveryState.Queued)
        {
            var claim = await ClaimOneAsync();
            if (outstanding is DeliveryState.AwaitingRetry)
            {
                await Deliveries.RecordAsync(claim, SendOutcome.Refused(450, DeferReply, "RCPT"), Relay);
            }
        }

        var done = await Deliveries.CompleteCampaignsAsync();

        Assert.Empty(done);
        await using var db = Database.CreateContext();
        Assert.Equal(CampaignState.InProgress, (await db.Campaigns.SingleAsync()).State);
        Assert.Contains(await db.Deliveries.Select(d => d.State).ToListAsync(), s => s == outstanding);
    }

    [Fact]
    public async Task CompleteCampaignsAsync_ShouldLeaveItInProgress_WhenTheDeliveriesAreNotAllQueuedYet()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress, queued: false);
        await SeedDeliveryAsync(campaign, await SeedContactAsync("jane@example.com"));
        await Deliveries.RecordAsync(await ClaimOneAsync(), SendOutcome.Accepted("2.0.0 Ok"), Relay);

        Assert.Empty(await Deliveries.CompleteCampaignsAsync());

        await using var db = Database.CreateContext();
        Assert.Equal(CampaignState.InProgress, (await db.Campaigns.SingleAsync()).State);
    }

    [Fact]
    public async Task CompleteCampaignsAsync_ShouldMarkSent_WhenQueuedWithNoDeliveryAtAll()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress, queued: true);

        Assert.Equal([campaign.Id], await Deliveries.CompleteCampaignsAsync());
    }

    [Fact]
    public async Task CompleteCampaignsAsync_ShouldLeavePausedAndDraftCampaignsAlone_WhenTheirDeliveriesAreFinal()
    {
        var paused = await SeedCampaignAsync(CampaignState.Paused, queued: true);
        await SeedCampaignAsync(CampaignState.Draft);

        Assert.Empty(await Deliveries.CompleteCampaignsAsync());

        await using var db = Database.CreateContext();
        Assert.Equal(CampaignState.Paused, (await db.Campaigns.SingleAsync(c => c.Id == paused.Id)).State);
    }

    [Fact]
    public async Task GuardAsync_ShouldPauseAndAuditAsSystem_WhenTooManyOfTheLastAttemptsBouncedHard()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SendAllAsync(campaign, accepted: 8, refusedHard: 2);

        var paused = await Deliveries.GuardAsync(campaign.Id);

        Assert.True(paused);
        await using var db = Database.CreateContext();
        var stored = await db.Campaigns.SingleAsync();
        Assert.Equal((CampaignState.Paused, true, (DateTimeOffset?)Time.GetUtcNow()), (stored.State, stored.PausedAutomatically, stored.PausedAt));
        Assert.StartsWith("Paused automatically: 2 of the last 10 attempts bounced hard", stored.PauseReason, StringComparison.Ordinal);
        var audit = await db.AuditLogEntries.SingleAsync();
        Assert.Equal(
            (DeliveryCommands.SystemActor, AuditAction.PauseCampaign, $"Campaign {campaign.Id}", stored.PauseReason, Time.GetUtcNow()),
            (audit.Actor, audit.Action, audit.Target, audit.Reason, audit.At));
        Assert.Empty((await Deliveries.ClaimAsync(Relay, batchSize: 10)).Claimed);
    }

    [Fact]
    public async Task GuardAsync_ShouldNotPause_WhenNoneOfTheLastAttemptsBouncedHard()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SendAllAsync(campaign, accepted: 10, refusedHard: 0);

        Assert.False(await Deliveries.GuardAsync(campaign.Id));

        await using var db = Database.CreateContext();
        Assert.Equal(CampaignState.InProgress, (await db.Campaigns.SingleAsync()).State);
        Assert.Empty(await db.AuditLogEntries.ToListAsync());
    }

    [Fact]
    public async Task GuardAsync_ShouldNotPause_WhenTheRateIsAtTheThreshold()
    {
        Options.AutoPauseHardBounceRate = 0.2;
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SendAllAsync(campaign, accepted: 8, refusedHard: 2);

        Assert.False(await Deliveries.GuardAsync(campaign.Id));
    }

    [Fact]
    public async Task GuardAsync_ShouldNotPause_WhenFewerAttemptsThanTheWindowCompleted()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SendAllAsync(campaign, accepted: 0, refusedHard: 9);

        Assert.False(await Deliveries.GuardAsync(campaign.Id));
    }

    [Fact]
    public async Task GuardAsync_ShouldCountOnlyTheLatestAttempts_WhenOlderOnesBouncedHard()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SendAllAsync(campaign, accepted: 0, refusedHard: 2, prefix: "early");
        await SendAllAsync(campaign, accepted: 10, refusedHard: 0, prefix: "late");

        Assert.False(await Deliveries.GuardAsync(campaign.Id));
    }

    [Fact]
    public async Task GuardAsync_ShouldNotCountPendingOrReleasedAttempts_WhenCountingTheWindow()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SendAllAsync(campaign, accepted: 0, refusedHard: 2, prefix: "hard");
        for (var i = 0; i < 8; i++)
        {
            await SeedDeliveryAsync(campaign, await SeedContactAsync($"waiting{i}@example.com"));
        }

        var claims = (await Deliveries.ClaimAsync(Relay, batchSize: 10)).Claimed;
        await Deliveries.RecordAsync(claims[0], SendOutcome.NotSent("Connection reset"), Relay);

        Assert.False(await Deliveries.GuardAsync(campaign.Id));
    }

    [Fact]
    public async Task GuardAsync_ShouldNotCountOtherCampaignsAttempts_WhenTheyBouncedHard()
    {
        var bad = await SeedCampaignAsync(CampaignState.InProgress);
        var good = await SeedCampaignAsync(CampaignState.InProgress);
        await SendAllAsync(bad, accepted: 0, refusedHard: 10, prefix: "bad");
        await SendAllAsync(good, accepted: 10, refusedHard: 0, prefix: "good");

        Assert.False(await Deliveries.GuardAsync(good.Id));
        Assert.True(await Deliveries.GuardAsync(bad.Id));
    }

    [Fact]
    public async Task GuardAsync_ShouldDoNothing_WhenTheCampaignIsNotInProgress()
    {
        var campaign = await SeedCampaignAsync(CampaignState.InProgress);
        await SendAllAsync(campaign, accepted: 0, refusedHard: 10);
        await using (var db = Database.CreateContext())
        {
            var stored = await db.Campaigns.SingleAsync();
            stored.Pause("By hand", Time.GetUtcNow());
            await db.SaveChangesAsync();
        }

        Assert.False(await Deliveries.GuardAsync(campaign.Id));

        await using var check = Database.CreateContext();
        Assert.Equal(("By hand", false), ((await check.Campaigns.SingleAsync()).PauseReason, (await check.Campaigns.SingleAsync()).PausedAutomatically));
        Assert.Empty(await check.AuditLogEntries.ToListAsync());
    }

    [Fact]
    public async Task ClaimAsync_ShouldThrow_WhenNoBounceDomainIsConfigured()
    {
        _sending.BounceDomain = null;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Deliveries.ClaimAsync(Relay, batchSize: 10));
    }

    private static SendingOptions NewSendingOptions()
    {
        var options = new SendingOptions { BounceDomain = "bounces.test", PublicBaseUrl = new Uri("http://127.0.0.1:5080") };
        options.Relays.Add(Relay);
        return options;
    }

    private async Task<ClaimedDelivery> ClaimOneAsync() =>
        Assert.Single((await Deliveries.ClaimAsync(Relay, batchSize: 10)).Claimed);

    /// <summary>A campaign with a body, moved to <paramref name="state"/>; <paramref name="queued"/> marks all its deliveries created.</summary>
    private async Task<Campaign> SeedCampaignAsync(CampaignState state, bool queued = false)
    {
        var campaign = Campaign.Create($"Campaign {Guid.NewGuid():N}", CampaignKind.Regular, "news@mail.example.org", "News", Time.GetUtcNow());
        campaign.SetContent("News", "<p>Hello <a href=\"https://example.org/a\">a</a></p>", "Hello");
        if (state is not CampaignState.Draft)
        {
            campaign.StartSending(Time.GetUtcNow());
            if (queued)
            {
                campaign.MarkDeliveriesQueued(Time.GetUtcNow());
            }
        }

        if (state is CampaignState.Paused)
        {
            campaign.Pause("Hold on", Time.GetUtcNow());
        }

        await Database.SeedAsync(campaign);
        return campaign;
    }

    private async Task<Delivery> SeedDeliveryAsync(Campaign campaign, Contact contact, DateTimeOffset? dueAt = null)
    {
        var delivery = Delivery.Create(campaign.Id, contact.Id, dueAt ?? Time.GetUtcNow());
        await Database.SeedAsync(delivery);
        return delivery;
    }

    /// <summary>Sends the campaign to new contacts: <paramref name="accepted"/> accepted, then <paramref name="refusedHard"/> refused with a 5.1.1.</summary>
    private async Task SendAllAsync(Campaign campaign, int accepted, int refusedHard, string prefix = "reader")
    {
        for (var i = 0; i < accepted + refusedHard; i++)
        {
            await SeedDeliveryAsync(campaign, await SeedContactAsync($"{prefix}{i}@example.com"));
            var claim = await ClaimOneAsync();
            var outcome = i < accepted ? SendOutcome.Accepted("2.0.0 Ok") : SendOutcome.Refused(550, UserUnknownReply, "RCPT");
            await Deliveries.RecordAsync(claim, outcome, Relay);
            Time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
