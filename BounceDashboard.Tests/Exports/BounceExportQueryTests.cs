using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Exports;

public sealed class BounceExportQueryTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Fact]
    public void Parse_ShouldTakeWholeDaysInTheTimeZone_WhenGivenDates()
    {
        var request = BounceExportQuery.Parse("2026-11-07", "2026-12-06", "42", "ip", "Europe/Paris", out var errors);

        Assert.Empty(errors);
        Assert.NotNull(request);
        Assert.Equal(new DateTimeOffset(2026, 11, 7, 0, 0, 0, TimeSpan.FromHours(1)), request.Filter.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.FromHours(1)), request.Filter.To);
        Assert.Equal(42, request.Filter.CampaignId);
        Assert.Equal(BounceReportGrouping.SendingIp, request.Filter.GroupBy);
        Assert.Equal("bounces-by-sending-ip-2026-11-07-to-2026-12-06-campaign-42.csv", request.FileName(ExportFormat.Csv));
    }

    [Fact]
    public void Parse_ShouldGiveBackExactlyTheFilter_WhenGivenTheUrlTheDownloadButtonsBuild()
    {
        var filter = new BounceReportFilter(
            new DateTimeOffset(2026, 11, 7, 0, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.FromHours(1)), null, BounceReportGrouping.SendingDomain);

        var url = BounceExportQuery.Url(ExportFormat.Xlsx, filter, Paris);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://localhost"), url).Query);
        var request = BounceExportQuery.Parse(query["from"], query["to"], query["campaign"], query["group"], query["tz"], out var errors);

        Assert.StartsWith("/exports/bounces.xlsx?from=2026-11-07T00%3A00%3A00.0000000%2B01%3A00&", url, StringComparison.Ordinal);
        Assert.Empty(errors);
        Assert.Equal(new BounceExportRequest(filter, Paris), request);
        Assert.Equal("bounces-by-sending-domain-2026-11-07-to-2026-12-06.xlsx", request!.FileName(ExportFormat.Xlsx));
    }

    [Theory]
    [InlineData(null, "2026-12-06", null, null, null, "from")]
    [InlineData("2026-11-07", "yesterday", null, null, null, "to")]
    [InlineData("2026-12-07", "2026-11-07", null, null, null, "to")]
    [InlineData("2026-11-07T00:00:00", "2026-12-06", null, null, null, "from")]
    [InlineData("2026-11-07", "2026-12-06", "x", null, null, "campaign")]
    [InlineData("2026-11-07", "2026-12-06", "0", null, null, "campaign")]
    [InlineData("2026-11-07", "2026-12-06", null, "country", null, "group")]
    [InlineData("2026-11-07", "2026-12-06", null, null, "Mars/Olympus", "tz")]
    public void Parse_ShouldNameTheParameter_WhenItIsNotValid(string? from, string? to, string? campaign, string? group, string? tz, string parameter)
    {
        var request = BounceExportQuery.Parse(from, to, campaign, group, tz, out var errors);

        Assert.Null(request);
        Assert.Contains(parameter, errors.Keys);
    }

    [Fact]
    public void FileName_ShouldNameTheLastDayOfThePeriod_WhenTheEndIsMidnight()
    {
        var request = new BounceExportRequest(
            new BounceReportFilter(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), 7, BounceReportGrouping.SendingDomain),
            TimeZoneInfo.Utc);

        Assert.Equal("bounces-by-sending-domain-2026-11-01-to-2026-11-30-campaign-7.xlsx", request.FileName(ExportFormat.Xlsx));
    }
}
