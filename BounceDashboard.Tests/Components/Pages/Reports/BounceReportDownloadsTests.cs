using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Components;
using BounceDashboard.Web.Components.Pages.Reports;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Reports;

/// <summary>The report's download buttons: the URL of exactly the filter, progress while the file arrives, clear errors.</summary>
public sealed class BounceReportDownloadsTests : MudTestContext
{
    private static readonly BounceReportFilter Filter = new(
        new DateTimeOffset(2026, 11, 7, 0, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.FromHours(1)), 42, BounceReportGrouping.SendingIp);

    private IRenderedComponent<BounceReportDownloads> RenderDownloads()
    {
        Services.GetRequiredService<BrowserTimeZone>().Set("Europe/Paris");
        _snackbars = Render<MudSnackbarProvider>();
        return Render<BounceReportDownloads>(p => p.Add(c => c.Filter, Filter));
    }

    private IRenderedComponent<MudSnackbarProvider>? _snackbars;

    private IRenderedComponent<MudSnackbarProvider> Snackbars => _snackbars!;

    [Fact]
    public void ClickExcel_ShouldFetchExactlyTheFilterUnderAFileNameSayingWhatItHolds_WhenClicked()
    {
        var download = JSInterop.Setup<BounceReportDownloads.DownloadResult>("bounceDashboard.download", _ => true);
        var cut = RenderDownloads();

        cut.Find("#download-xlsx").Click();

        var call = Assert.Single(download.Invocations);
        Assert.Equal(
            "/exports/bounces.xlsx?from=2026-11-07T00%3A00%3A00.0000000%2B01%3A00&to=2026-12-07T00%3A00%3A00.0000000%2B01%3A00&group=ip&campaign=42&tz=Europe%2FParis",
            call.Arguments[0]);
        Assert.Equal("bounces-by-sending-ip-2026-11-07-to-2026-12-06-campaign-42.xlsx", call.Arguments[1]);
    }

    [Fact]
    public async Task ClickCsv_ShouldShowProgressAndDisableTheButtons_WhileTheFileArrives()
    {
        var download = JSInterop.Setup<BounceReportDownloads.DownloadResult>("bounceDashboard.download", _ => true);
        var cut = RenderDownloads();

        cut.Find("#download-csv").Click();
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Preparing the CSV file", cut.Find("#download-progress").TextContent, StringComparison.Ordinal);
            Assert.True(cut.Find("#download-xlsx").HasAttribute("disabled"));
        });
        Assert.EndsWith(".csv", (string)download.Invocations.Single().Arguments[1]!, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Instance.ReportProgress(3 * 1024 * 1024, null));
        cut.WaitForAssertion(() => Assert.Contains("CSV: 3.0 MB received", cut.Find("#download-progress").TextContent, StringComparison.Ordinal));

        download.SetResult(new BounceReportDownloads.DownloadResult(true, 200, null, 3 * 1024 * 1024));
        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("#download-progress"));
            Assert.False(cut.Find("#download-csv").HasAttribute("disabled"));
        });
        Assert.DoesNotContain("failed", Snackbars.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ClickExcel_ShouldSayWhatWentWrongInASnackbar_WhenTheServerAnswersAnError()
    {
        JSInterop.Setup<BounceReportDownloads.DownloadResult>("bounceDashboard.download", _ => true)
            .SetResult(new BounceReportDownloads.DownloadResult(false, 500, null, 0));
        var cut = RenderDownloads();

        cut.Find("#download-xlsx").Click();

        cut.WaitForAssertion(() => Assert.Contains(
            "The Excel download failed: the server could not write the file (error 500). Try again, or narrow the period.", Snackbars.Markup, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("#download-progress"));
    }

    [Fact]
    public void ClickCsv_ShouldSayTheConnectionWasInterrupted_WhenTheBrowserCallFails()
    {
        JSInterop.Setup<BounceReportDownloads.DownloadResult>("bounceDashboard.download", _ => true)
            .SetException(new Microsoft.JSInterop.JSException("network error"));
        var cut = RenderDownloads();

        cut.Find("#download-csv").Click();

        cut.WaitForAssertion(() => Assert.Contains("The CSV download failed: the connection to the server was interrupted", Snackbars.Markup, StringComparison.Ordinal));
    }
}
