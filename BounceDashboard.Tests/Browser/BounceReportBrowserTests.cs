using System.Text.RegularExpressions;
using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.Playwright;
using Xunit;

namespace BounceDashboard.Tests.Browser;

/// <summary>The bounce report in Debian's Chromium against the app process and its demo data.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed partial class BounceReportBrowserTests
{
    [ChromiumFact]
    public async Task BounceReport_ShouldSwitchBetweenDomainAndIpAndDrillDown_WhenTheMarketerUsesIt()
    {
        await using var app = await AppProcess.StartAsync();
        await using var session = await BrowserSession.StartAsync(app);
        var page = session.Page;
        await session.SignInAsMarketerAsync();

        await session.GotoAsync("/reports/bounces");
        await Assertions.Expect(page).ToHaveTitleAsync("Bounce report · BounceDashboard");
        var rows = page.Locator("#bounce-report-grid tbody tr.bounce-report-row");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#bounce-report-grid thead")).ToContainTextAsync("Sending domain");
        // The demo's domains are names, and the largest row comes first.
        await Assertions.Expect(rows.First.Locator(".bounce-group")).ToHaveTextAsync(DomainOrNotMatched());
        var amounts = await page.Locator("#bounce-report-grid tbody .bounce-amount").AllTextContentsAsync();
        var figures = amounts.Select(a => int.Parse(a.Trim(), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.GetCultureInfo("en-US"))).ToList();
        Assert.Equal(figures.OrderByDescending(f => f), figures);
        Assert.Contains("<*>", string.Join('\n', await page.Locator(".bounce-pattern").AllTextContentsAsync()), StringComparison.Ordinal);
        await session.ScreenshotAsync("bounce-report");

        // By sending IP: the URL says so (a shared link reopens the same view), and the groups are addresses.
        await page.Locator("#group-ip").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("group=ip"));
        await Assertions.Expect(page.Locator("#bounce-report-grid thead")).ToContainTextAsync("Sending IP");
        await Assertions.Expect(rows.First.Locator(".bounce-group")).ToHaveTextAsync(IpOrNotMatched());
        await session.ScreenshotAsync("bounce-report-by-ip");
        await page.ReloadAsync();
        await session.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator("#group-ip")).ToHaveClassAsync(new Regex("mud-button-filled"));
        await Assertions.Expect(rows.First.Locator(".bounce-group")).ToHaveTextAsync(IpOrNotMatched());

        // The drill-down lists the row's bounces with their full diagnostic.
        await rows.First.Locator(".drill-down").ClickAsync();
        var details = page.Locator("#bounce-details-grid tbody tr.bounce-detail-row");
        await Assertions.Expect(details.First).ToBeVisibleAsync();
        await Assertions.Expect(details.First.Locator(".bounce-recipient")).ToContainTextAsync("@");
        await Assertions.Expect(details.First.Locator(".bounce-diagnostic")).Not.ToBeEmptyAsync();
        await session.ScreenshotAsync("bounce-report-drill-down");
        await page.Locator("#bounce-details-close").ClickAsync();
        await Assertions.Expect(page.Locator("#bounce-details-grid")).ToHaveCountAsync(0);

        // A preset keeps the grouping; the last 7 days may be empty, and then the page says what to do.
        await page.Locator("#preset-last7days").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("group=ip"));
        await Assertions.Expect(page.Locator("#preset-last7days")).ToHaveClassAsync(new Regex("mud-button-filled"));

        // A tablet.
        await page.SetViewportSizeAsync(1024, 768);
        await session.GotoAsync("/reports/bounces?group=domain");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        await session.ScreenshotAsync("bounce-report-tablet");
    }

    [GeneratedRegex(@"^\s*([a-z0-9-]+\.)+[a-z]{2,}\s*$|not matched to a send")]
    private static partial Regex DomainOrNotMatched();

    [GeneratedRegex(@"^\s*(\d{1,3}\.){3}\d{1,3}\s*$|^\s*[0-9a-f:]+\s*$|not matched to a send")]
    private static partial Regex IpOrNotMatched();
}
