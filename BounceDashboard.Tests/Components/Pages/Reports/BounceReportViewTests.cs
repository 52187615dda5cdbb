using BounceDashboard.Web.Components.Pages.Reports;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Reports;

public class BounceReportViewTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);

    [Fact]
    public void Parse_ShouldReadEveryValue_WhenTheUrlCarriesThem()
    {
        var view = BounceReportView.Parse("2026-10-01", "2026-10-31", 12, "ip", Today);

        Assert.Equal(new BounceReportView(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31), 12, BounceReportGrouping.SendingIp), view);
        Assert.Equal("reports/bounces?from=2026-10-01&to=2026-10-31&campaign=12&group=ip", view.ToUri());
    }

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData("yesterday", "2026-13-45", -3L, "nonsense")]
    public void Parse_ShouldFallBackToTheLast30DaysByDomain_WhenValuesAreMissingOrWrong(string? from, string? to, long? campaign, string? group)
    {
        var view = BounceReportView.Parse(from, to, campaign, group, Today);

        Assert.Equal(BounceReportView.Default(Today), view);
        Assert.Equal((new DateOnly(2026, 11, 8), Today, (long?)null, BounceReportGrouping.SendingDomain), (view.From, view.To, view.CampaignId, view.GroupBy));
        Assert.Equal(BounceReportPreset.Last30Days, view.PresetFor(Today));
    }

    [Fact]
    public void Parse_ShouldSwapTheDates_WhenTheyAreReversed()
    {
        var view = BounceReportView.Parse("2026-10-31", "2026-10-01", null, "domain", Today);

        Assert.Equal((new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31)), (view.From, view.To));
    }

    [Theory]
    [InlineData(BounceReportPreset.Last7Days, "2026-12-01")]
    [InlineData(BounceReportPreset.Last90Days, "2026-09-09")]
    [InlineData(BounceReportPreset.ThisMonth, "2026-12-01")]
    public void Preset_ShouldEndToday_WhenChosen(BounceReportPreset preset, string from)
    {
        var view = BounceReportView.Preset(preset, Today, null, BounceReportGrouping.SendingDomain);

        Assert.Equal((DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), Today), (view.From, view.To));
    }

    [Fact]
    public void ToFilter_ShouldCoverWholeLocalDays_WhenTheBrowserIsInAnotherZone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var view = new BounceReportView(new DateOnly(2026, 10, 24), new DateOnly(2026, 10, 25), null, BounceReportGrouping.SendingDomain);

        var filter = view.ToFilter(berlin);

        // Summer time ends on 25 October: the first midnight is UTC+2, the one after the last day UTC+1.
        Assert.Equal(new DateTimeOffset(2026, 10, 23, 22, 0, 0, TimeSpan.Zero), filter.From.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 23, 0, 0, TimeSpan.Zero), filter.To.ToUniversalTime());
    }
}
