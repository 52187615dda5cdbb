using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Domain.Deliveries;

/// <summary><see cref="Delivery.ReleaseAttempt"/>: an attempt no relay answered is taken back as if it had not started.</summary>
public class ReleaseAttemptTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ReleaseAttempt_ShouldQueueAgainAndForgetTheAttempt_WhenTheFirstAttemptIsReleased()
    {
        var delivery = NewDelivery();
        delivery.BeginAttempt(s_now, "<30@bounces.test>", "192.0.2.10", "relay-a");

        delivery.ReleaseAttempt(s_now.AddSeconds(30), s_now.AddMinutes(5), "Connection refused");

        Assert.Equal(DeliveryState.Queued, delivery.State);
        Assert.Equal(0, delivery.AttemptCount);
        Assert.Empty(delivery.Attempts);
        Assert.Null(delivery.FirstAttemptAt);
        Assert.Null(delivery.LastAttemptAt);
        Assert.Equal(s_now.AddMinutes(5), delivery.NextAttemptAt);
        Assert.Equal("Connection refused", delivery.LastSmtpReply);
        Assert.Equal(s_now.AddSeconds(30), delivery.StateChangedAt);
        Assert.Null(delivery.BounceReason);
    }

    [Fact]
    public void ReleaseAttempt_ShouldAwaitTheRetryAndKeepEarlierAttempts_WhenALaterAttemptIsReleased()
    {
        var delivery = NewDelivery();
        delivery.BeginAttempt(s_now, "<30@bounces.test>", "192.0.2.10", "relay-a");
        delivery.ScheduleRetry(s_now.AddSeconds(2), s_now.AddHours(4), "450 4.2.1 Mailbox temporarily unavailable", BounceReason.MailboxFull);
        delivery.BeginAttempt(s_now.AddHours(4), "<30@bounces.test>", "192.0.2.11", "relay-b");

        delivery.ReleaseAttempt(s_now.AddHours(4).AddSeconds(10), s_now.AddHours(4).AddMinutes(5), "TLS handshake failed");

        Assert.Equal(DeliveryState.AwaitingRetry, delivery.State);
        Assert.Equal(1, delivery.AttemptCount);
        Assert.Equal(s_now, delivery.FirstAttemptAt);
        Assert.Equal(s_now, delivery.LastAttemptAt);
        Assert.Equal(s_now.AddHours(4).AddMinutes(5), delivery.NextAttemptAt);
        Assert.Equal(BounceReason.MailboxFull, delivery.BounceReason);
        var first = Assert.Single(delivery.Attempts);
        Assert.Equal(
            (1, DeliveryAttemptOutcome.TransientFailure, "450 4.2.1 Mailbox temporarily unavailable", "192.0.2.10", "relay-a"),
            (first.Number, first.Outcome, first.SmtpReply, first.SendingIp, first.Relay));
    }

    [Fact]
    public void BeginAttempt_ShouldReuseTheNumber_WhenTheAttemptBeforeWasReleased()
    {
        var delivery = NewDelivery();
        delivery.BeginAttempt(s_now, "<30@bounces.test>", "192.0.2.10", "relay-a");
        delivery.ReleaseAttempt(s_now, s_now.AddMinutes(5), "Connection refused");

        delivery.BeginAttempt(s_now.AddMinutes(5), "<30@bounces.test>", "192.0.2.11", "relay-b");

        Assert.Equal((DeliveryState.Sending, 1), (delivery.State, delivery.AttemptCount));
        Assert.Equal(s_now.AddMinutes(5), delivery.FirstAttemptAt);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.Equal((1, "relay-b", DeliveryAttemptOutcome.Pending), (attempt.Number, attempt.Relay, attempt.Outcome));
    }

    [Fact]
    public void BeginAttempt_ShouldReuseALaterNumber_WhenARetryWasReleased()
    {
        var delivery = NewDelivery();
        delivery.BeginAttempt(s_now, "<30@bounces.test>");
        delivery.ScheduleRetry(s_now.AddSeconds(1), s_now.AddHours(4), "451 4.3.0 try later", BounceReason.SystemError);
        delivery.BeginAttempt(s_now.AddHours(4), "<30@bounces.test>");
        delivery.ReleaseAttempt(s_now.AddHours(4), s_now.AddHours(4).AddMinutes(5), "Connection reset");

        delivery.BeginAttempt(s_now.AddHours(4).AddMinutes(5), "<30@bounces.test>");

        Assert.Equal(2, delivery.AttemptCount);
        Assert.Equal([1, 2], delivery.Attempts.Select(a => a.Number));
    }

    [Theory]
    [InlineData(DeliveryState.Queued)]
    [InlineData(DeliveryState.Delivered)]
    [InlineData(DeliveryState.AwaitingRetry)]
    [InlineData(DeliveryState.HardBounced)]
    public void ReleaseAttempt_ShouldThrowNamingBothStates_WhenNotSending(DeliveryState from)
    {
        var delivery = NewDelivery();
        if (from is not DeliveryState.Queued)
        {
            delivery.BeginAttempt(s_now, "<30@bounces.test>");
        }

        switch (from)
        {
            case DeliveryState.Delivered:
                delivery.MarkDelivered(s_now, "250 ok");
                break;
            case DeliveryState.AwaitingRetry:
                delivery.ScheduleRetry(s_now, s_now.AddHours(1), "451 later", BounceReason.SystemError);
                break;
            case DeliveryState.HardBounced:
                delivery.MarkHardBounced(s_now, "550 5.1.1 unknown", BounceReason.UserUnknown, permanent: true);
                break;
            default:
                break;
        }

        var error = Assert.Throws<DomainException>(() => delivery.ReleaseAttempt(s_now, s_now, "error"));

        Assert.Contains($"Delivery 30 from {from} to {DeliveryState.Queued}", error.Message, StringComparison.Ordinal);
        Assert.Equal(from, delivery.State);
    }

    [Fact]
    public void ReleaseAttempt_ShouldThrowAndChangeNothing_WhenDueAgainBeforeNow()
    {
        var delivery = NewDelivery();
        delivery.BeginAttempt(s_now, "<30@bounces.test>");

        Assert.Throws<DomainException>(() => delivery.ReleaseAttempt(s_now.AddMinutes(1), s_now, "error"));

        Assert.Equal((DeliveryState.Sending, 1), (delivery.State, delivery.AttemptCount));
        Assert.Single(delivery.Attempts);
    }

    [Fact]
    public void ReleaseAttempt_ShouldAllowDueAtOnce_WhenRetryAtIsNow()
    {
        var delivery = NewDelivery();
        delivery.BeginAttempt(s_now, "<30@bounces.test>");

        delivery.ReleaseAttempt(s_now.AddMinutes(20), s_now.AddMinutes(20), "Released: stale claim");

        Assert.Equal(s_now.AddMinutes(20), delivery.NextAttemptAt);
    }

    [Fact]
    public void ReleaseAttempt_ShouldTruncateTheError_WhenLongerThanAReply()
    {
        var delivery = NewDelivery();
        delivery.BeginAttempt(s_now, "<30@bounces.test>");

        delivery.ReleaseAttempt(s_now, s_now, new string('e', Delivery.SmtpReplyMaxLength + 50));

        Assert.Equal(Delivery.SmtpReplyMaxLength, delivery.LastSmtpReply!.Length);
    }

    [Fact]
    public async Task ReleaseAttempt_ShouldThrowAndChangeNothing_WhenTheLatestAttemptIsNotLoaded()
    {
        await using var database = await SqliteDatabase.CreateAsync();
        var deliveryId = await SeedSendingDeliveryAsync(database);
        await using var db = database.CreateContext();
        var delivery = await db.Deliveries.SingleAsync(d => d.Id == deliveryId);

        var error = Assert.Throws<DomainException>(() => delivery.ReleaseAttempt(s_now, s_now, "error"));

        Assert.Contains("latest attempt", error.Message, StringComparison.Ordinal);
        Assert.Equal((DeliveryState.Sending, 1), (delivery.State, delivery.AttemptCount));
    }

    [Fact]
    public async Task ReleaseAttempt_ShouldDeleteTheAttemptRow_WhenSaved()
    {
        await using var database = await SqliteDatabase.CreateAsync();
        var deliveryId = await SeedSendingDeliveryAsync(database);
        await using (var db = database.CreateContext())
        {
            var delivery = await db.Deliveries
                .Include(d => d.Attempts.OrderByDescending(a => a.Number).Take(1))
                .SingleAsync(d => d.Id == deliveryId);
            delivery.ReleaseAttempt(s_now, s_now.AddMinutes(5), "Connection refused");
            await db.SaveChangesAsync();
        }

        await using var check = database.CreateContext();
        Assert.Equal(0, await check.DeliveryAttempts.CountAsync());
        var stored = await check.Deliveries.SingleAsync();
        Assert.Equal((DeliveryState.Queued, 0, (DateTimeOffset?)s_now.AddMinutes(5)), (stored.State, stored.AttemptCount, stored.NextAttemptAt));
    }

    private static Delivery NewDelivery() => EntityIds.Set(Delivery.Create(1, 2, s_now), 30);

    private static async Task<long> SeedSendingDeliveryAsync(SqliteDatabase database)
    {
        var contact = Contact.Create("jane@example.com", s_now);
        var campaign = Campaign.Create("Weekly", CampaignKind.Regular, "news@example.org", "Weekly news", s_now);
        await database.SeedAsync(contact, campaign);
        var delivery = Delivery.Create(campaign.Id, contact.Id, s_now);
        delivery.BeginAttempt(s_now, "<1@bounces.test>", "192.0.2.10", "relay-a");
        await database.SeedAsync(delivery);
        return delivery.Id;
    }
}
