using BounceDashboard.Web.Cli.Eval;
using Xunit;

namespace BounceDashboard.Tests.Cli.Eval;

public sealed class PassRatesTests
{
    [Fact]
    public void From_ShouldReportTheMiddleRate_WhenThePassCountIsOdd()
    {
        var rates = PassRates.From([9000, 3000, 10000]);

        Assert.Equal(new PassRates(3, 9000, 22000 / 3.0, 10000), rates);
    }

    [Fact]
    public void From_ShouldAverageTheTwoMiddleRates_WhenThePassCountIsEven()
    {
        var rates = PassRates.From([4000, 1000, 8000, 6000]);

        Assert.Equal(5000, rates.Median);
        Assert.Equal(8000, rates.Best);
    }
}
