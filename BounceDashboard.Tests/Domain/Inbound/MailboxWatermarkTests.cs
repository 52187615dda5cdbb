using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Inbound;
using Xunit;

namespace BounceDashboard.Tests.Domain.Inbound;

public class MailboxWatermarkTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AdvanceWatermark_ShouldRecordTheUidAndSuccess_WhenMovingForward()
    {
        var watermark = MailboxWatermark.Create("bounces");

        watermark.AdvanceWatermark(1700000000, 41, s_now);
        watermark.AdvanceWatermark(1700000000, 42, s_now.AddMinutes(1));

        Assert.Equal((1700000000L, 42L, s_now.AddMinutes(1)), (watermark.UidValidity!.Value, watermark.LastUid, watermark.LastSuccessAt!.Value));
    }

    [Fact]
    public void AdvanceWatermark_ShouldThrowNamingBothUids_WhenGoingBackwardsWithinTheSameUidValidity()
    {
        var watermark = MailboxWatermark.Create("bounces");
        watermark.AdvanceWatermark(1700000000, 42, s_now);

        var error = Assert.Throws<DomainException>(() => watermark.AdvanceWatermark(1700000000, 41, s_now.AddMinutes(1)));

        Assert.Contains("UID 42", error.Message, StringComparison.Ordinal);
        Assert.Contains("UID 41", error.Message, StringComparison.Ordinal);
        Assert.Equal(42, watermark.LastUid);
        Assert.Equal(s_now, watermark.LastSuccessAt);
    }

    [Fact]
    public void AdvanceWatermark_ShouldStartAgain_WhenTheUidValidityChanges()
    {
        var watermark = MailboxWatermark.Create("bounces");
        watermark.AdvanceWatermark(1700000000, 42, s_now);

        watermark.AdvanceWatermark(1800000000, 3, s_now.AddMinutes(1));

        Assert.Equal((1800000000L, 3L), (watermark.UidValidity!.Value, watermark.LastUid));
    }

    [Fact]
    public void AdvanceWatermark_ShouldAcceptTheSameUid_WhenAPollFindsNothingNew()
    {
        var watermark = MailboxWatermark.Create("bounces");
        watermark.AdvanceWatermark(7, 42, s_now);

        watermark.AdvanceWatermark(7, 42, s_now.AddMinutes(5));

        Assert.Equal(s_now.AddMinutes(5), watermark.LastSuccessAt);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(4294967296, 1)]
    [InlineData(7, -1)]
    public void AdvanceWatermark_ShouldThrow_WhenANumberIsOutOfImapRange(long uidValidity, long uid)
    {
        var watermark = MailboxWatermark.Create("bounces");

        Assert.Throws<DomainException>(() => watermark.AdvanceWatermark(uidValidity, uid, s_now));
    }

    [Fact]
    public void RecordFailure_ShouldKeepTheWatermarkAndMarkItFailing_WhenAPollFails()
    {
        var watermark = MailboxWatermark.Create("bounces");
        watermark.AdvanceWatermark(7, 42, s_now);

        watermark.RecordFailure("IMAP: authentication failed", s_now.AddMinutes(5));

        Assert.True(watermark.IsFailing);
        Assert.Equal(("IMAP: authentication failed", 42L), (watermark.LastError, watermark.LastUid));
        watermark.AdvanceWatermark(7, 43, s_now.AddMinutes(10));
        Assert.False(watermark.IsFailing);
    }

    [Fact]
    public void RecordFailure_ShouldThrow_WhenTheErrorIsBlank()
    {
        Assert.Throws<DomainException>(() => MailboxWatermark.Create("bounces").RecordFailure(" ", s_now));
    }

    [Fact]
    public void RecordPoll_ShouldClearFailingAndKeepTheUids_WhenAMailboxWithoutUidsIsPolled()
    {
        var watermark = MailboxWatermark.Create("pop3-bounces");
        watermark.RecordFailure("POP3: connection refused", s_now);

        watermark.RecordPoll(s_now.AddMinutes(1), messages: 0, backlog: 0);

        Assert.False(watermark.IsFailing);
        Assert.Equal(((long?)null, 0L, s_now.AddMinutes(1)), (watermark.UidValidity, watermark.LastUid, watermark.LastSuccessAt!.Value));
    }
}
