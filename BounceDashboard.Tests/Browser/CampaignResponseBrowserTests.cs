using System.Text.RegularExpressions;
using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Browser;

/// <summary>The marketer's response list and campaign page on the demo data, in Debian's Chromium.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed partial class CampaignResponseBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task OpenCampaign_ShouldShowItsFiguresChartAndBreakdowns_WhenTheMarketerPicksItFromTheList()
    {
        await using var app = await AppProcess.StartAsync();
        try
        {
            await using var session = await BrowserSession.StartAsync(app);
            var page = session.Page;
            await session.SignInAsMarketerAsync();
            await session.GotoAsync("/campaigns");

            // The list: tabs with their counts, the sent campaigns with their figures.
            var rows = page.Locator("#campaigns-grid tbody tr.mud-table-row");
            await rows.First.WaitForAsync();
            await Assertions.Expect(page.Locator("#campaign-tabs .mud-tab").First).ToHaveTextAsync(TabWithCount());
            var overflow = await page.EvaluateAsync<int>(
                "() => { const c = document.querySelector('#campaigns-grid .mud-table-container'); return c.scrollWidth - c.clientWidth; }");
            Assert.True(overflow <= 0, $"the campaigns grid is {overflow}px wider than its container at 1440px");
            output.WriteLine($"Screenshot: {await session.ScreenshotAsync("campaign-response-list")}");

            // The search narrows the list to the campaign typed.
            var name = (await page.Locator("#campaigns-grid td.campaign-name").First.InnerTextAsync()).Trim();
            await page.Locator(".campaign-search input").FillAsync(name);
            await Assertions.Expect(rows).ToHaveCountAsync(1);

            // The campaign page: cards, chart, reasons and domains.
            await page.Locator("#campaigns-grid td.campaign-name a").First.ClickAsync();
            await page.WaitForURLAsync(CampaignUrl());
            await Assertions.Expect(page.Locator("#campaign-name")).ToHaveTextAsync(name);
            await Assertions.Expect(page).ToHaveTitleAsync($"{name} · BounceDashboard");
            var sent = await page.Locator("#card-sent .figure").InnerTextAsync();
            Assert.True(int.Parse(sent.Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) > 0, $"sent is {sent}");
            await Assertions.Expect(page.Locator("#campaign-chart svg").First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#reason-breakdown tr.reason-row").First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#domain-breakdown tr.domain-row").First).ToBeVisibleAsync();
            output.WriteLine($"Screenshot: {await session.ScreenshotAsync("campaign-page")}");

            // A tablet: the page reflows instead of scrolling sideways.
            await page.SetViewportSizeAsync(1024, 768);
            var pageOverflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(pageOverflow <= 0, $"the campaign page is {pageOverflow}px wider than a 1024px tablet");
            output.WriteLine($"Screenshot: {await session.ScreenshotAsync("campaign-page-tablet")}");
            await page.SetViewportSizeAsync(1440, 900);

            // The campaign still in progress refreshes live and can be paused.
            await session.GotoAsync("/campaigns");
            await page.Locator("#campaign-tabs .mud-tab", new PageLocatorOptions { HasTextString = "In progress" }).ClickAsync();
            await Assertions.Expect(page.Locator("#campaign-tabs .mud-tab-active")).ToContainTextAsync("In progress");
            await page.Locator("#campaigns-grid td.campaign-name a").First.ClickAsync();
            await page.WaitForURLAsync(CampaignUrl());
            await Assertions.Expect(page.Locator("#live-indicator")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#pause-campaign, #resume-campaign").First).ToBeVisibleAsync();
            output.WriteLine($"Screenshot: {await session.ScreenshotAsync("campaign-page-in-progress")}");

            // An unknown id says so and leads back to the list.
            await session.GotoAsync("/campaigns/999999");
            await Assertions.Expect(page.Locator("#campaign-not-found")).ToContainTextAsync("There is no campaign 999999");
        }
        finally
        {
            output.WriteLine(app.Output);
        }
    }

    [GeneratedRegex(@"/campaigns/\d+$")]
    private static partial Regex CampaignUrl();

    [GeneratedRegex(@"^Sent \(\d+\)$")]
    private static partial Regex TabWithCount();
}
