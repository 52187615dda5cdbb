using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Parsing;
using Xunit;

namespace BounceDashboard.Tests.Domain.Bounces;

public class BounceEventTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FromReport_ShouldCopyEveryFactOfTheRecipient_WhenMatched()
    {
        var recipient = new BounceRecipient(
            "Jane@Example.com", DeliveryAction.Failed, EnhancedStatusCode.Parse("5.1.1"), "550", "  user unknown  ",
            "mx.example.com", BounceReason.UserUnknown, Permanent: true, Hard: true, "dsn-status");
        var report = new BounceReport(MessageKind.Bounce, [recipient], BounceMatch.None);

        var bounce = BounceEvent.FromReport(report, recipient, BounceSource.Mailbox, s_now, "Mailbox:1:9:jane@example.com", 12, "inbox/9");

        Assert.Equal(
            ("jane@example.com", "5.1.1", "550", "user unknown", "mx.example.com", BounceReason.UserUnknown, true, true, "dsn-status", 12L, "inbox/9"),
            (bounce.Recipient, bounce.EnhancedStatus, bounce.ReplyCode, bounce.Diagnostic, bounce.RemoteMta, bounce.Reason, bounce.Permanent, bounce.Hard, bounce.Rule, bounce.DeliveryId!.Value, bounce.RawMessageRef));
        Assert.Equal(MessageKind.Bounce, bounce.Kind);
        Assert.True(bounce.IsMatched);
        Assert.False(bounce.IsApplied);
        Assert.Equal("550 5.1.1 user unknown", bounce.SmtpReplyText());
    }

    [Theory]
    [InlineData(BounceReason.Blocked, true, false)]
    [InlineData(BounceReason.SpamDetected, true, false)]
    [InlineData(BounceReason.UserUnknown, true, true)]
    [InlineData(BounceReason.UserUnknown, false, true)]
    [InlineData(BounceReason.NotAccept, false, false)]
    [InlineData(BounceReason.NotAccept, true, true)]
    [InlineData(BounceReason.MailboxFull, true, false)]
    public void Create_ShouldDeriveHardFromTheReasonAndPermanence_WhateverTheSource(BounceReason reason, bool permanent, bool hard)
    {
        // Issue 9: the hard flag has one source, so a webhook or the API cannot say "blocked, hard".
        foreach (var source in Enum.GetValues<BounceSource>().Where(s => s != BounceSource.SmtpResponse))
        {
            var bounce = BounceEvent.Create(source, MessageKind.Bounce, "a@example.com", reason, permanent, null, null, null, null, "r", null, s_now, "k");
            Assert.Equal(BounceReasons.IsHard(reason, permanent), bounce.Hard);
            Assert.Equal(hard, bounce.Hard);
        }
    }

    [Fact]
    public void FromReport_ShouldTakeHardFromTheReason_WhenTheReportClaimsOtherwise()
    {
        var recipient = new BounceRecipient(
            "a@example.com", DeliveryAction.Failed, EnhancedStatusCode.Parse("5.7.1"), "550", "blocked", null, BounceReason.Blocked,
            Permanent: true, Hard: true, "test");

        var bounce = BounceEvent.FromReport(new BounceReport(MessageKind.Bounce, [recipient], BounceMatch.None), recipient, BounceSource.Webhook, s_now, "k");

        Assert.False(bounce.Hard);
    }

    [Fact]
    public void Create_ShouldKeepTheRecipientsDomain_WhenTheRecipientIsAnAddress()
    {
        var bounce = BounceEvent.Create(BounceSource.Mailbox, MessageKind.Bounce, "Jane@Mail.Example.COM", BounceReason.Blocked, true, null, null, null, null, "r", null, s_now, "k");
        var nameless = BounceEvent.Create(BounceSource.Mailbox, MessageKind.Bounce, "", BounceReason.Blocked, true, null, null, null, null, "r", null, s_now, "k2");

        Assert.Equal("mail.example.com", bounce.RecipientDomain);
        Assert.Null(nameless.RecipientDomain);
    }

    [Fact]
    public void Create_ShouldRefuseAnSmtpReply_WhenItNamesNoAttempt()
    {
        Assert.Throws<DomainException>(() => BounceEvent.Create(
            BounceSource.SmtpResponse, MessageKind.Bounce, "a@example.com", BounceReason.UserUnknown, true, null, "550", null, null, "smtp", null, s_now, "k", deliveryId: 3));

        var ok = BounceEvent.Create(
            BounceSource.SmtpResponse, MessageKind.Bounce, "a@example.com", BounceReason.UserUnknown, true, null, "550", null, null, "smtp", null, s_now, "k", deliveryId: 3, deliveryAttemptId: 8);
        Assert.Equal((3L, 8L, BounceEventState.Pending), (ok.DeliveryId!.Value, ok.DeliveryAttemptId!.Value, ok.State));
    }

    [Fact]
    public void Dismiss_ShouldTakeTheEventOutOfTheQueue_WhenItWaitsForAMatch()
    {
        var bounce = BounceEvent.Create(BounceSource.Mailbox, MessageKind.Bounce, "a@example.com", BounceReason.Blocked, true, null, null, null, null, "r", null, s_now, "k");

        bounce.Dismiss();

        Assert.Equal(BounceEventState.Dismissed, bounce.State);
        Assert.Throws<DomainException>(() => bounce.MatchTo(4));
        Assert.Throws<DomainException>(bounce.Dismiss);
    }

    [Fact]
    public void Create_ShouldCutOutsideTextToFit_WhenItIsTooLong()
    {
        var bounce = BounceEvent.Create(
            BounceSource.Webhook, MessageKind.Bounce, "not an address at all", BounceReason.Undefined, false, null, "5501",
            new string('d', BounceEvent.DiagnosticMaxLength + 50), new string('m', 300), "r", null, s_now, "k");

        Assert.Equal(BounceEvent.DiagnosticMaxLength, bounce.Diagnostic!.Length);
        Assert.Equal(BounceEvent.RemoteMtaMaxLength, bounce.RemoteMta!.Length);
        Assert.Equal("550", bounce.ReplyCode);
        Assert.Equal("not an address at all", bounce.Recipient);
        Assert.False(bounce.IsMatched);
    }

    [Fact]
    public void MarkApplied_ShouldThrow_WhenAppliedTwice()
    {
        var bounce = BounceEvent.Create(BounceSource.Api, MessageKind.Bounce, "a@example.com", BounceReason.Blocked, true, null, null, null, null, "r", null, s_now, "k", deliveryId: 5);
        bounce.MarkApplied(BounceEffect.HardBounced, s_now);

        Assert.Throws<DomainException>(() => bounce.MarkApplied(BounceEffect.HardBounced, s_now));
        Assert.Equal(BounceEffect.HardBounced, bounce.Effect);
    }

    [Fact]
    public void MarkApplied_ShouldThrow_WhenTheEventIsUnmatched()
    {
        var bounce = BounceEvent.Create(BounceSource.Api, MessageKind.Bounce, "a@example.com", BounceReason.Blocked, true, null, null, null, null, "r", null, s_now, "k");

        Assert.Throws<DomainException>(() => bounce.MarkApplied(BounceEffect.HardBounced, s_now));
        Assert.Equal(BounceEventState.AwaitingMatch, bounce.State);
    }

    [Fact]
    public void MatchTo_ShouldRefuseAnotherDelivery_WhenAlreadyMatched()
    {
        var bounce = BounceEvent.Create(BounceSource.Mailbox, MessageKind.Bounce, "a@example.com", BounceReason.Blocked, true, null, null, null, null, "r", null, s_now, "k");
        bounce.MatchTo(5);

        bounce.MatchTo(5);
        Assert.Throws<DomainException>(() => bounce.MatchTo(6));
        Assert.Equal(5, bounce.DeliveryId);
    }

    [Theory]
    [InlineData(BounceSource.Mailbox, "box-1:7:42", " Jane@Example.COM ", "Mailbox:box-1:7:42:jane@example.com")]
    [InlineData(BounceSource.SmtpResponse, "delivery-9:attempt-2", "jane@example.com", "SmtpResponse:delivery-9:attempt-2:jane@example.com")]
    [InlineData(BounceSource.Webhook, "evt_1", null, "Webhook:evt_1:")]
    public void KeyFor_ShouldBeStable_WhenTheSameItemAndRecipientAreGiven(BounceSource source, string item, string? recipient, string expected)
    {
        Assert.Equal(expected, BounceEvent.KeyFor(source, item, recipient));
    }

    [Fact]
    public void KeyFor_ShouldShortenToADigest_WhenTheKeyWouldBeTooLong()
    {
        var key = BounceEvent.KeyFor(BounceSource.Api, new string('x', 300), "jane@example.com");

        Assert.True(key.Length <= BounceEvent.IdempotencyKeyMaxLength);
        Assert.StartsWith("Api:sha256:", key, StringComparison.Ordinal);
        Assert.Equal(key, BounceEvent.KeyFor(BounceSource.Api, new string('x', 300), "JANE@example.com"));
        Assert.NotEqual(key, BounceEvent.KeyFor(BounceSource.Api, new string('x', 300), "john@example.com"));
    }
}
