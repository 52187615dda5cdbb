using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Polling;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Xunit;

namespace BounceDashboard.Tests.E2E;

/// <summary>
/// A campaign sent through the local Postfix and its bounces polled back from Dovecot, nothing mocked: addresses that
/// exist (ok.test), one that does not (nouser.test: Postfix accepts it and writes a real DSN to our VERP address), one
/// refused at RCPT (reject.test: a synchronous hard bounce) and one that defers (defer.test: 450 at RCPT, retried on
/// the rules' schedule by advancing a fake clock). Runs alone with the other mail-stack tests.
/// </summary>
[Trait("Category", TestCategories.E2E)]
[Collection(MailStackCollectionDefinition.Name)]
public sealed class CampaignSendingE2ETests
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    [MailStackFact]
    public async Task SendCampaign_ShouldCountDeliveredHardAndSoft_WhenBouncesArePolledOverImap()
    {
        await using var app = await SendingHost.StartAsync();
        var ok1 = $"reader1-{_run}@ok.test";
        var ok2 = $"reader2-{_run}@ok.test";
        var ghost = $"ghost-{_run}@nouser.test";
        var gone = $"gone-{_run}@reject.test";
        var later = $"later-{_run}@defer.test";
        var campaignId = await app.SeedCampaignAsync(ok1, ok2, ghost, gone, later);
        var reply = MimeMessageWithRun("A reader's reply");
        await PollerMailServers.SendToBounceMailboxAsync(reply);

        var first = await app.Get<SendCampaignJob>().RunAsync(campaignId, CancellationToken.None);

        Assert.Equal((3, 2, 0), (first.Accepted, first.Refused, first.NotSent));
        var deliveries = await DeliveriesAsync(app, campaignId);
        Assert.Equal(DeliveryState.Delivered, deliveries[ok1].State);
        Assert.Equal(DeliveryState.Delivered, deliveries[ghost].State);
        Assert.Equal(DeliveryState.HardBounced, deliveries[gone].State);
        Assert.Equal(DeliveryState.AwaitingRetry, deliveries[later].State);
        Assert.All(deliveries.Values, d => Assert.Equal((SendingHost.RelayName, SendingHost.SendingIp), (d.Relay, d.SendingIp)));

        // The refusal at RCPT is an SMTP bounce event on its attempt, and the address is suppressed at once.
        await using (var db = app.CreateContext())
        {
            var smtp = await db.BounceEvents.SingleAsync(e => e.DeliveryId == deliveries[gone].Id);
            Assert.Equal((BounceSource.SmtpResponse, BounceReason.UserUnknown, true), (smtp.Source, smtp.Reason, smtp.Hard));
            Assert.NotNull(smtp.DeliveryAttemptId);
            Assert.Contains("5.1.1", smtp.Diagnostic, StringComparison.Ordinal);
            Assert.True(await db.SuppressionEntries.AnyAsync(s => s.Email == gone && s.LiftedAt == null && s.Reason == SuppressionReason.HardBounce));
        }

        // The message as the reader got it: VERP return path, token header, tracked links, pixel, one-click unsubscribe.
        var received = await ReceivedAsync(deliveries[ok1].Token!);
        Assert.Equal($"bounces+{deliveries[ok1].Token}@{LocalMail.BounceDomain}", received.Headers[HeaderId.ReturnPath]?.Trim('<', '>', ' '));
        Assert.Equal(deliveries[ok1].MessageId, $"<{received.MessageId}>");
        Assert.Contains($"{SendingHost.PublicBaseUrl}t/c/{deliveries[ok1].Token}/1", received.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"{SendingHost.PublicBaseUrl}t/o/{deliveries[ok1].Token}", received.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", received.Headers["List-Unsubscribe-Post"]);
        Assert.DoesNotContain("shop.example.com", received.HtmlBody, StringComparison.Ordinal);

        // Postfix's DSN for the unknown user comes back to the VERP address and is matched to its delivery.
        await PollUntilAsync(app, SendingHost.ImapMailbox, async () => (await DeliveriesAsync(app, campaignId))[ghost].State == DeliveryState.HardBounced);
        var afterPoll = await CountsAsync(app);
        await app.Get<PollMailboxJob>().RunAsync(SendingHost.ImapMailbox, CancellationToken.None);
        Assert.Equal(afterPoll, await CountsAsync(app));

        // The deferred address is retried on the schedule until its last attempt, then soft bounced; the campaign is then sent.
        for (var attempt = 2; attempt <= 4; attempt++)
        {
            var due = (await DeliveriesAsync(app, campaignId))[later].NextAttemptAt!.Value;
            app.Time.SetUtcNow(due + TimeSpan.FromSeconds(1));
            var retry = await app.Get<DispatchDeliveriesJob>().RunAsync(CancellationToken.None);
            Assert.Equal((0, 1), (retry.Accepted, retry.Refused));
        }

        deliveries = await DeliveriesAsync(app, campaignId);
        Assert.Equal((DeliveryState.SoftBounced, 4), (deliveries[later].State, deliveries[later].AttemptCount));
        Assert.Equal(DeliveryState.HardBounced, deliveries[ghost].State);
        Assert.Equal(DeliveryState.Delivered, deliveries[ok2].State);
        await using (var db = app.CreateContext())
        {
            var campaign = await db.Campaigns.SingleAsync(c => c.Id == campaignId);
            Assert.Equal(CampaignState.Sent, campaign.State);
            var contacts = await db.Contacts.ToDictionaryAsync(c => c.Email);
            Assert.Equal(ContactStatus.Error, contacts[ghost].Status);
            Assert.Equal(ContactStatus.Error, contacts[gone].Status);
            Assert.Equal(ContactStatus.Active, contacts[later].Status);
            Assert.Equal(ContactStatus.Active, contacts[ok1].Status);

            // Every bounce event of this campaign's recipients was matched to its delivery.
            var ours = deliveries.Values.Select(d => d.Id).ToList();
            var events = await db.BounceEvents.Where(e => e.Kind == MessageKind.Bounce && (e.Recipient == ghost || e.Recipient == gone || e.Recipient == later)).ToListAsync();
            Assert.NotEmpty(events);
            Assert.All(events, e => Assert.Contains(e.DeliveryId ?? 0, ours));
        }

        // The person's reply is still in the mailbox.
        Assert.Single(await PollerMailServers.FindRunAsync("INBOX", _run));
        await LocalMail.TakeOverImapAsync(LocalMail.BouncesUser, LocalMail.BouncesPassword, SearchQuery.HeaderContains(PollerMailServers.RunHeader, _run));
    }

    [MailStackFact]
    public async Task SendCampaign_ShouldMatchTheDsn_WhenBouncesArePolledOverPop3()
    {
        await using var app = await SendingHost.StartAsync(maxConnections: 1);
        var ok = $"reader-{_run}@ok.test";
        var ghost = $"ghost-{_run}@nouser.test";
        var gone = $"gone-{_run}@reject.test";
        var campaignId = await app.SeedCampaignAsync(ok, ghost, gone);

        var sent = await app.Get<SendCampaignJob>().RunAsync(campaignId, CancellationToken.None);

        Assert.Equal((2, 1), (sent.Accepted, sent.Refused));
        await PollUntilAsync(app, SendingHost.Pop3Mailbox, async () => (await DeliveriesAsync(app, campaignId))[ghost].State == DeliveryState.HardBounced);
        var counts = await CountsAsync(app);
        await app.Get<PollMailboxJob>().RunAsync(SendingHost.Pop3Mailbox, CancellationToken.None);
        Assert.Equal(counts, await CountsAsync(app));
        await app.Get<DispatchDeliveriesJob>().RunAsync(CancellationToken.None);
        await using var db = app.CreateContext();
        Assert.Equal(CampaignState.Sent, (await db.Campaigns.SingleAsync(c => c.Id == campaignId)).State);
        Assert.Equal(ContactStatus.Error, (await db.Contacts.SingleAsync(c => c.Email == ghost)).Status);
        await ReceivedAsync((await DeliveriesAsync(app, campaignId))[ok].Token!);
    }

    private MimeMessage MimeMessageWithRun(string subject)
    {
        var message = LocalMail.Message(PollerMailServers.BounceAddress, subject);
        message.Headers.Add(PollerMailServers.RunHeader, _run);
        return message;
    }

    private static async Task<Dictionary<string, Delivery>> DeliveriesAsync(SendingHost app, long campaignId)
    {
        await using var db = app.CreateContext();
        return await db.Deliveries.Where(d => d.CampaignId == campaignId)
            .Join(db.Contacts, d => d.ContactId, c => c.Id, (d, c) => new { c.Email, Delivery = d })
            .ToDictionaryAsync(x => x.Email, x => x.Delivery);
    }

    private static async Task<(int Events, int Applied, int Suppressions)> CountsAsync(SendingHost app)
    {
        await using var db = app.CreateContext();
        return (await db.BounceEvents.CountAsync(), await db.BounceEvents.CountAsync(e => e.AppliedAt != null), await db.SuppressionEntries.CountAsync());
    }

    /// <summary>Polls the mailbox until the condition holds (Postfix writes its DSN within a second or two).</summary>
    private static async Task PollUntilAsync(SendingHost app, string mailbox, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + LocalMail.DeliveryWait;
        while (true)
        {
            await app.Get<PollMailboxJob>().RunAsync(mailbox, CancellationToken.None);
            if (await condition())
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The bounce did not arrive in {mailbox} within {LocalMail.DeliveryWait}.");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    /// <summary>The message delivered to the ok.test reader, found by our token header (and removed from the inbox).</summary>
    private static async Task<MimeMessage> ReceivedAsync(string token)
    {
        var raw = Assert.Single(await LocalMail.TakeOverImapAsync(LocalMail.InboxUser, LocalMail.InboxPassword, SearchQuery.HeaderContains(TrackingHeaders.Token, token)));
        using var stream = new MemoryStream(raw);
        return await MimeMessage.LoadAsync(stream);
    }
}
