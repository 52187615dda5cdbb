using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Bounces;

/// <summary><see cref="BounceEvent.UpdateReading"/>: what reclassify may change on a stored event.</summary>
public class BounceEventReadingTests
{
    private static readonly BounceRecipient s_newReading = new(
        "ann.smith@example.com", DeliveryAction.Failed, EnhancedStatusCode.Parse("5.2.2"), "552", "mailbox full", "mx.example.com",
        BounceReason.MailboxFull, Permanent: true, Hard: false, "rfc3464-status");

    [Fact]
    public void UpdateReading_ShouldTakeTheNewReading_WhenTheEventIsNotApplied()
    {
        var bounce = new BounceEventBuilder().Build();

        var changed = bounce.UpdateReading(MessageKind.Bounce, s_newReading);

        Assert.True(changed);
        Assert.Equal(
            (BounceReason.MailboxFull, true, false, "5.2.2", "552", "mailbox full", "rfc3464-status"),
            (bounce.Reason, bounce.Permanent, bounce.Hard, bounce.EnhancedStatus, bounce.ReplyCode, bounce.Diagnostic, bounce.Rule));
        Assert.False(bounce.UpdateReading(MessageKind.Bounce, s_newReading));
    }

    [Fact]
    public void UpdateReading_ShouldThrow_WhenTheEventWasApplied()
    {
        var bounce = new BounceEventBuilder().ForDelivery(5).Build();
        bounce.MarkApplied(BounceEffect.HardBounced, TestData.Now);

        Assert.Throws<DomainException>(() => bounce.UpdateReading(MessageKind.Bounce, s_newReading));
        Assert.Equal(BounceReason.UserUnknown, bounce.Reason);
    }

    [Fact]
    public void Create_ShouldThrow_WhenTheInboundMessageIdIsNotPositive()
    {
        var report = new BounceReport(MessageKind.Bounce, [s_newReading], BounceMatch.None);

        Assert.Throws<DomainException>(() =>
            BounceEvent.FromReport(report, s_newReading, BounceSource.Mailbox, TestData.Now, "Mailbox:x:y", inboundMessageId: 0));
    }
}
