using BounceDashboard.Benchmarks.Eval;
using Xunit;

namespace BounceDashboard.Tests.Benchmarks.Eval;

public sealed class PassRatesTests
{
    [Fact]
    public void From_ShouldReportTheMiddleRate_WhenThePassCountIsOdd()
    {
        var rates = PassRates.From([9000, 3000, 10000]);

        Assert.Equal(3, rates.Passes);
        Assert.Equal(9000, rates.Median);
        Assert.Equal(22000 / 3.0, rates.Mean, 6);
        Assert.Equal(10000, rates.Best);
    }

    [Fact]
    public void From_ShouldReportMessagesOverTotalTime_WhenAskedForThroughput()
    {
        // Equal-sized passes at 1,000 and 3,000 msg/s: 2 passes of N messages take N/1000 + N/3000 seconds, so the
        // stream ran at 1,500 msg/s, not at the 2,000 the plain mean would say.
        var rates = PassRates.From([1000, 3000]);

        Assert.Equal(1500, rates.Throughput, 6);
    }

    [Fact]
    public void From_ShouldAverageTheTwoMiddleRates_WhenThePassCountIsEven()
    {
        var rates = PassRates.From([4000, 1000, 8000, 6000]);

        Assert.Equal(5000, rates.Median);
        Assert.Equal(8000, rates.Best);
    }
}
