using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Deliveries;

public class DeliveryTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_ShouldBeQueuedAndDueAtOnce_WhenNew()
    {
        var delivery = Delivery.Create(1, 2, s_now);

        Assert.Equal(DeliveryState.Queued, delivery.State);
        Assert.Equal(s_now, delivery.NextAttemptAt);
        Assert.Equal(0, delivery.AttemptCount);
    }

    [Fact]
    public void BeginAttempt_ShouldRecordAnAttemptRow_WhenEachAttemptStarts()
    {
        var delivery = EntityIds.Set(Delivery.Create(1, 2, s_now), 30);

        delivery.BeginAttempt(s_now, "<30@mail.example.org>", "192.0.2.10", "relay.example.org");
        delivery.ScheduleRetry(s_now.AddMinutes(1), s_now.AddHours(4), "451 4.7.1 try later", BounceReason.Blocked);
        delivery.BeginAttempt(s_now.AddHours(4), "<30@mail.example.org>", "192.0.2.11");
        delivery.MarkDelivered(s_now.AddHours(4).AddSeconds(2), "250 ok");

        Assert.Equal(2, delivery.AttemptCount);
        Assert.Equal(s_now, delivery.FirstAttemptAt);
        Assert.Equal(s_now.AddHours(4), delivery.LastAttemptAt);
        Assert.Equal("192.0.2.11", delivery.SendingIp);
        Assert.Null(delivery.NextAttemptAt);
        Assert.Collection(
            delivery.Attempts,
            a => Assert.Equal((1, DeliveryAttemptOutcome.TransientFailure, "451 4.7.1 try later"), (a.Number, a.Outcome, a.SmtpReply)),
            a => Assert.Equal((2, DeliveryAttemptOutcome.Accepted, "250 ok"), (a.Number, a.Outcome, a.SmtpReply)));
    }

    [Theory]
    [InlineData(DeliveryState.Queued, "MarkDelivered", DeliveryState.Delivered)]
    [InlineData(DeliveryState.Queued, "MarkSoftBounced", DeliveryState.SoftBounced)]
    [InlineData(DeliveryState.Queued, "ScheduleRetry", DeliveryState.AwaitingRetry)]
    [InlineData(DeliveryState.Sending, "BeginAttempt", DeliveryState.Sending)]
    [InlineData(DeliveryState.Sending, "Skip", DeliveryState.Skipped)]
    [InlineData(DeliveryState.Delivered, "BeginAttempt", DeliveryState.Sending)]
    [InlineData(DeliveryState.Delivered, "MarkDelivered", DeliveryState.Delivered)]
    [InlineData(DeliveryState.AwaitingRetry, "MarkSoftBounced", DeliveryState.SoftBounced)]
    [InlineData(DeliveryState.HardBounced, "ScheduleRetry", DeliveryState.AwaitingRetry)]
    [InlineData(DeliveryState.HardBounced, "MarkHardBounced", DeliveryState.HardBounced)]
    [InlineData(DeliveryState.SoftBounced, "BeginAttempt", DeliveryState.Sending)]
    [InlineData(DeliveryState.Skipped, "BeginAttempt", DeliveryState.Sending)]
    [InlineData(DeliveryState.Delivered, "AbandonRetry", DeliveryState.SoftBounced)]
    [InlineData(DeliveryState.Queued, "AbandonRetry", DeliveryState.SoftBounced)]
    public void Transition_ShouldThrowNamingBothStates_WhenIllegal(DeliveryState from, string action, DeliveryState to)
    {
        var delivery = DeliveryIn(from);

        Action act = action switch
        {
            "BeginAttempt" => () => delivery.BeginAttempt(s_now, "<x@example.org>"),
            "MarkDelivered" => () => delivery.MarkDelivered(s_now, "250 ok"),
            "ScheduleRetry" => () => delivery.ScheduleRetry(s_now, s_now.AddHours(1), "450", BounceReason.MailboxFull),
            "MarkSoftBounced" => () => delivery.MarkSoftBounced(s_now, "450", BounceReason.MailboxFull),
            "AbandonRetry" => () => delivery.AbandonRetry(s_now),
            "MarkHardBounced" => () => delivery.MarkHardBounced(s_now, "550", BounceReason.UserUnknown, permanent: true),
            _ => () => delivery.Skip(DeliverySkipReason.AddressSuppressed, s_now),
        };

        var error = Assert.Throws<DomainException>(act);
        Assert.Contains($"Delivery 40 from {from} to {to}", error.Message, StringComparison.Ordinal);
        Assert.Equal(from, delivery.State);
    }

    [Fact]
    public void ScheduleRetry_ShouldThrow_WhenTheNextAttemptIsNotInTheFuture()
    {
        var delivery = DeliveryIn(DeliveryState.Sending);

        Assert.Throws<DomainException>(() => delivery.ScheduleRetry(s_now, s_now, "450", BounceReason.MailboxFull));
    }

    [Fact]
    public void RecordClick_ShouldAlsoRecordAnOpen_WhenNoOpenWasSeen()
    {
        var delivery = DeliveryIn(DeliveryState.Delivered);

        Assert.True(delivery.RecordClick(s_now));
        Assert.False(delivery.RecordClick(s_now.AddMinutes(1)));
        Assert.False(delivery.RecordOpen(s_now.AddMinutes(2)));

        Assert.Equal(s_now, delivery.OpenedAt);
        Assert.Equal(s_now, delivery.ClickedAt);
    }

    [Fact]
    public void AssignToken_ShouldRefuseASecondDifferentToken_WhenOneIsSet()
    {
        var delivery = DeliveryIn(DeliveryState.Queued);
        delivery.AssignToken("abc");

        delivery.AssignToken("abc");
        Assert.Throws<DomainException>(() => delivery.AssignToken("def"));
        Assert.Equal("abc", delivery.Token);
    }

    [Fact]
    public void Skip_ShouldRecordTheReasonAndClearTheDueTime_WhenQueued()
    {
        var delivery = DeliveryIn(DeliveryState.Queued);

        delivery.Skip(DeliverySkipReason.ContactNotActive, s_now);

        Assert.Equal(DeliveryState.Skipped, delivery.State);
        Assert.Equal(DeliverySkipReason.ContactNotActive, delivery.SkipReason);
        Assert.Null(delivery.NextAttemptAt);
        Assert.True(delivery.IsFinal);
    }

    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(1L, -1L)]
    public void Create_ShouldThrow_WhenAnIdIsNotSaved(long campaignId, long contactId)
    {
        Assert.Throws<DomainException>(() => Delivery.Create(campaignId, contactId, s_now));
    }

    private static Delivery DeliveryIn(DeliveryState state)
    {
        var delivery = EntityIds.Set(Delivery.Create(1, 2, s_now), 40);
        switch (state)
        {
            case DeliveryState.Queued:
                return delivery;
            case DeliveryState.Skipped:
                delivery.Skip(DeliverySkipReason.AddressSuppressed, s_now);
                return delivery;
        }

        delivery.BeginAttempt(s_now, "<40@example.org>");
        switch (state)
        {
            case DeliveryState.Delivered:
                delivery.MarkDelivered(s_now, "250 ok");
                break;
            case DeliveryState.AwaitingRetry:
                delivery.ScheduleRetry(s_now, s_now.AddHours(1), "450", BounceReason.MailboxFull);
                break;
            case DeliveryState.SoftBounced:
                delivery.MarkSoftBounced(s_now, "450", BounceReason.MailboxFull);
                break;
            case DeliveryState.HardBounced:
                delivery.MarkHardBounced(s_now, "550", BounceReason.UserUnknown, permanent: true);
                break;
        }

        return delivery;
    }
}
