using BounceDashboard.Domain.Rules;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Rules;

public class SendingGuardTests
{
    [Fact]
    public void PauseReason_ShouldBeNull_WhenFewerAttemptsThanTheWindowCompleted()
    {
        var guard = new SendingGuard(new RulesOptions { AutoPauseWindow = 500 });

        Assert.Null(guard.PauseReason(499, 499));
        Assert.Null(guard.PauseReason(0, 0));
    }

    [Theory]
    [InlineData(500, 25)]
    [InlineData(20, 1)]
    public void PauseReason_ShouldBeNull_WhenTheRateIsExactlyTheLimit(int window, int permanent)
    {
        var guard = new SendingGuard(new RulesOptions { AutoPauseWindow = window, AutoPauseHardBounceRate = 0.05 });

        Assert.Null(guard.PauseReason(window, permanent));
    }

    [Fact]
    public void PauseReason_ShouldNameTheCountsAndTheLimit_WhenTheRateIsAboveTheLimit()
    {
        var guard = new SendingGuard(new RulesOptions { AutoPauseWindow = 500, AutoPauseHardBounceRate = 0.05 });

        var reason = guard.PauseReason(500, 26);

        Assert.NotNull(reason);
        Assert.StartsWith("Paused automatically: 26 of the last 500 attempts bounced hard", reason, StringComparison.Ordinal);
        Assert.Contains("5.2", reason, StringComparison.Ordinal);
        Assert.Contains("5.0", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PauseReason_ShouldTrip_WhenTheWindowIsTheSmallestAllowed()
    {
        var guard = new SendingGuard(new RulesOptions { AutoPauseWindow = 10 });

        Assert.Null(guard.PauseReason(10, 0));
        Assert.NotNull(guard.PauseReason(10, 1));
        Assert.Null(guard.PauseReason(9, 9));
    }

    [Fact]
    public void PauseReason_ShouldBeNull_WhenTheRateIsZero()
    {
        var guard = new SendingGuard(new RulesOptions { AutoPauseWindow = 10, AutoPauseHardBounceRate = 0 });

        Assert.Null(guard.PauseReason(10, 10));
    }

    [Fact]
    public void PauseReason_ShouldBeTheSame_WhenTheCultureUsesACommaForDecimals()
    {
        var guard = new SendingGuard(new RulesOptions { AutoPauseWindow = 10 });
        var invariant = guard.PauseReason(10, 3);

        string? german;
        using (CultureScope.German())
        {
            german = guard.PauseReason(10, 3);
        }

        Assert.Equal(invariant, german);
    }

    [Fact]
    public void Window_ShouldBeTheOptionsWindow_WhenRead()
    {
        Assert.Equal(1234, new SendingGuard(new RulesOptions { AutoPauseWindow = 1234 }).Window);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(10, -1)]
    [InlineData(10, 11)]
    public void PauseReason_ShouldThrow_WhenTheCountsAreImpossible(int completed, int permanent)
    {
        var guard = new SendingGuard(new RulesOptions { AutoPauseWindow = 10 });

        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => guard.PauseReason(completed, permanent));
    }

    [Fact]
    public void Constructor_ShouldThrow_WhenOptionsAreNull()
    {
        Assert.Throws<ArgumentNullException>(() => new SendingGuard(null!));
    }
}
