using BounceDashboard.Domain.Rules;
using Xunit;

namespace BounceDashboard.Tests.Domain.Rules;

public class RetryScheduleTests
{
    private static readonly DateTimeOffset s_first = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(4, 30, 2.0, new[] { "00:00:00", "04:17:09", "12:51:26", "1.06:00:00" })]
    [InlineData(3, 30, 2.0, new[] { "00:00:00", "10:00:00", "1.06:00:00" })]
    [InlineData(4, 30, 1.0, new[] { "00:00:00", "10:00:00", "20:00:00", "1.06:00:00" })]
    [InlineData(5, 30, 2.0, new[] { "00:00:00", "02:00:00", "06:00:00", "14:00:00", "1.06:00:00" })]
    [InlineData(2, 12, 2.0, new[] { "00:00:00", "12:00:00" })]
    [InlineData(1, 30, 2.0, new[] { "00:00:00" })]
    public void DueTimes_ShouldSpreadAttemptsOverTheWindow_WhenOptionsAreGiven(int maxAttempts, int windowHours, double factor, string[] expectedOffsets)
    {
        var schedule = new RetrySchedule(new RulesOptions
        {
            MaxAttempts = maxAttempts,
            RetryWindow = TimeSpan.FromHours(windowHours),
            RetryBackoffFactor = factor,
        });

        var offsets = schedule.DueTimes(s_first)
            .Select(t => TimeSpan.FromSeconds(Math.Round((t - s_first).TotalSeconds)))
            .ToArray();

        Assert.Equal(expectedOffsets.Select(o => TimeSpan.Parse(o, System.Globalization.CultureInfo.InvariantCulture)), offsets);
    }

    [Fact]
    public void DueTimes_ShouldEndExactlyThirtyHoursAfterTheFirstAttempt_WhenDefaults()
    {
        var due = new RetrySchedule(new RulesOptions()).DueTimes(s_first);

        Assert.Equal(4, due.Count);
        Assert.Equal(s_first.AddHours(30), due[^1]);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    public void NextAttemptAt_ShouldReturnTheSlotOfTheNextAttempt_WhenAttemptsRemain(int attemptsMade, int expectedAttempt)
    {
        var schedule = new RetrySchedule(new RulesOptions());

        var next = schedule.NextAttemptAt(s_first, attemptsMade, s_first.AddMinutes(1));

        Assert.Equal(s_first + schedule.OffsetOf(expectedAttempt), next);
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(3, 3)]
    [InlineData(1, 1)]
    public void NextAttemptAt_ShouldReturnNull_WhenEveryAttemptWasMade(int maxAttempts, int attemptsMade)
    {
        var schedule = new RetrySchedule(new RulesOptions { MaxAttempts = maxAttempts });

        Assert.Null(schedule.NextAttemptAt(s_first, attemptsMade, s_first.AddHours(1)));
    }

    [Fact]
    public void NextAttemptAt_ShouldWaitTheMinimumDelay_WhenTheSlotHasAlreadyPassed()
    {
        var schedule = new RetrySchedule(new RulesOptions { MinimumRetryDelay = TimeSpan.FromMinutes(10) });
        var lateReport = s_first.AddHours(5);

        var next = schedule.NextAttemptAt(s_first, attemptsMade: 1, lateReport);

        Assert.Equal(lateReport.AddMinutes(10), next);
    }

    [Fact]
    public void NextAttemptAt_ShouldStayAnchoredToTheFirstAttempt_WhenARetryRanLate()
    {
        var schedule = new RetrySchedule(new RulesOptions());

        // The second attempt ran two hours late; the third is still due at its own slot.
        var next = schedule.NextAttemptAt(s_first, attemptsMade: 2, schedule.DueTimes(s_first)[1].AddHours(2));

        Assert.Equal(schedule.DueTimes(s_first)[2], next);
    }
}
