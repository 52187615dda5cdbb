using BounceDashboard.Domain.Inbound;
using Xunit;

namespace BounceDashboard.Tests.Polling;

/// <summary>The poller's health on <see cref="MailboxWatermark"/>: counts, backlog and the backoff after failures.</summary>
public sealed class MailboxWatermarkHealthTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_first = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_cap = TimeSpan.FromMinutes(10);

    [Fact]
    public void RecordFailure_ShouldDoubleTheWaitUpToTheCap_WhenPollsKeepFailing()
    {
        var watermark = MailboxWatermark.Create("bounces");
        var waits = new List<TimeSpan>();

        for (var failure = 0; failure < 6; failure++)
        {
            var at = s_now.AddHours(failure);
            watermark.RecordFailure("connection refused", at, s_first, s_cap);
            waits.Add(watermark.NextPollAt!.Value - at);
        }

        Assert.Equal([1, 2, 4, 8, 10, 10], waits.Select(w => w.TotalMinutes));
        Assert.Equal(6, watermark.ConsecutiveFailures);
    }

    [Fact]
    public void RecordFailure_ShouldStayAtTheCap_WhenFailuresRunIntoTheHundreds()
    {
        var watermark = MailboxWatermark.Create("bounces");

        for (var failure = 0; failure < 200; failure++)
        {
            watermark.RecordFailure("connection refused", s_now, s_first, s_cap);
        }

        Assert.Equal(s_now + s_cap, watermark.NextPollAt);
    }

    [Fact]
    public void IsDue_ShouldBeFalseUntilTheNextTry_WhenTheLastPollFailed()
    {
        var watermark = MailboxWatermark.Create("bounces");
        watermark.RecordFailure("connection refused", s_now, s_first, s_cap);
        watermark.RecordFailure("connection refused", s_now, s_first, s_cap);

        Assert.False(watermark.IsDue(s_now.AddMinutes(1), TimeSpan.Zero));
        Assert.True(watermark.IsDue(s_now.AddMinutes(2), TimeSpan.Zero));
        Assert.True(watermark.IsDue(s_now.AddSeconds(90), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void RecordPoll_ShouldCountTheMessagesSetTheBacklogAndEndTheBackoff_WhenAPollSucceeds()
    {
        var watermark = MailboxWatermark.Create("bounces");
        watermark.RecordPoll(s_now, messages: 5, backlog: 2);
        watermark.RecordFailure("connection refused", s_now.AddMinutes(1), s_first, s_cap);

        watermark.RecordPoll(s_now.AddMinutes(3), messages: 3, backlog: 0);

        Assert.Equal((3, 8L, 0), (watermark.MessagesLastPoll, watermark.MessagesTotal, watermark.Backlog));
        Assert.Equal((0, (DateTimeOffset?)null), (watermark.ConsecutiveFailures, watermark.NextPollAt));
        Assert.Equal(s_now.AddMinutes(3), watermark.LastSuccessAt);
        Assert.False(watermark.IsFailing);
        Assert.True(watermark.IsDue(s_now.AddMinutes(3), TimeSpan.Zero));
        Assert.Equal("connection refused", watermark.LastError);
    }
}
