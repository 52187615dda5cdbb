using BounceDashboard.Domain.Bounces;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Identity;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Browser;

/// <summary>The admin's health and settings pages in Debian's Chromium against the running app; a marketer is refused.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed class HealthSettingsBrowserTests(ITestOutputHelper output)
{
    // appsettings.Development.json's tracking key: configured, so the settings page says "set" and never shows it.
    private const string DevelopmentSigningKey = "ZGV2ZWxvcG1lbnQtb25seSB0cmFja2luZyBrZXksIG5vdCBhIHNlY3JldA==";

    [ChromiumFact]
    public async Task AdminPages_ShouldShowHealthAndSettings_WhenTheAdminOpensThemAndRefuseTheMarketer()
    {
        await using var app = await AppProcess.StartAsync();
        try
        {
            await using (var session = await BrowserSession.StartAsync(app))
            {
                await session.SignInAsAdminAsync();
                var page = session.Page;

                // Health: reached from the Admin section of the menu.
                await page.Locator("a.mud-nav-link[href='/admin/health']").ClickAsync();
                await Assertions.Expect(page).ToHaveTitleAsync("Health · BounceDashboard");
                await Assertions.Expect(page.Locator("#health-database-provider")).ToHaveTextAsync("Sqlite");
                await Assertions.Expect(page.Locator("#health-database-size")).ToContainTextAsync("B");
                await Assertions.Expect(page.Locator("#health-mailboxes-empty")).ToContainTextAsync("Mailboxes");
                await Assertions.Expect(page.Locator("#health-jobs tr.health-job[data-job='dispatch-deliveries']")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#health-jobs tr.health-job[data-job='purge-inbound-raw-content']")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#health-hangfire")).ToHaveAttributeAsync("href", "/hangfire");
                await page.Locator("#health-refresh").ClickAsync();
                await Assertions.Expect(page.Locator("#health-refresh")).ToBeEnabledAsync();
                Assert.Equal(0, await page.Locator("#health-error").CountAsync());
                output.WriteLine(await session.ScreenshotAsync("health"));

                await page.SetViewportSizeAsync(1024, 768);
                Assert.True(await OverflowAsync(page) <= 0, "the health page is wider than a 1024px tablet");
                output.WriteLine(await session.ScreenshotAsync("health-tablet"));
                await page.SetViewportSizeAsync(1440, 900);

                // Settings: every value with its key and source, the reason table, and no secret.
                await page.Locator("a.mud-nav-link[href='/admin/settings']").First.ClickAsync();
                await Assertions.Expect(page).ToHaveTitleAsync("Settings · BounceDashboard");
                var attempts = page.Locator("tr.setting[data-key='Rules:MaxAttempts']");
                await Assertions.Expect(attempts.Locator(".setting-value")).ToHaveTextAsync("4");
                await Assertions.Expect(attempts.Locator(".setting-source")).ToHaveTextAsync("appsettings.json");
                await Assertions.Expect(page.Locator("tr.setting[data-key='ConnectionStrings:Sqlite'] .setting-source")).ToHaveTextAsync("environment variables");
                await Assertions.Expect(page.Locator("tr.setting[data-key='Inbound:RawRetentionDays'] .setting-value")).ToHaveTextAsync("90");
                var key = page.Locator("tr.setting[data-key='Tracking:SigningKey']");
                await Assertions.Expect(key.Locator(".setting-value")).ToHaveTextAsync("set (hidden)");
                await Assertions.Expect(key.Locator(".setting-source")).ToHaveTextAsync("appsettings.Development.json");
                await Assertions.Expect(page.Locator("#settings-reasons tr.reason-row")).ToHaveCountAsync(Enum.GetValues<BounceReason>().Length);
                await Assertions.Expect(page.Locator("tr.reason-row[data-reason='UserUnknown'] .reason-permanent")).ToHaveTextAsync("hard bounce");
                var html = await page.ContentAsync();
                Assert.DoesNotContain(DevelopmentSigningKey, html, StringComparison.Ordinal);
                Assert.DoesNotContain(BounceDashboardApp.AdminPassword, html, StringComparison.Ordinal);
                output.WriteLine(await session.ScreenshotAsync("settings"));

                await page.SetViewportSizeAsync(1024, 768);
                Assert.True(await OverflowAsync(page) <= 0, "the settings page is wider than a 1024px tablet");
                output.WriteLine(await session.ScreenshotAsync("settings-tablet"));
            }

            // A marketer: no Admin links, and both pages end at the access-denied page with 403.
            await using (var session = await BrowserSession.StartAsync(app))
            {
                await session.SignInAsMarketerAsync();
                var page = session.Page;
                Assert.Equal(0, await page.Locator("a[href='/admin/health']").CountAsync());
                foreach (var path in new[] { "/admin/health", "/admin/settings" })
                {
                    var response = await page.GotoAsync(path);
                    Assert.Equal(403, response!.Status);
                    Assert.Contains(AccountPaths.AccessDenied, page.Url, StringComparison.Ordinal);
                    await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Access denied");
                    Assert.Equal(0, await page.Locator("#health-database, #settings-reasons").CountAsync());
                }

                output.WriteLine(await session.ScreenshotAsync("health-marketer-refused"));
            }
        }
        catch
        {
            output.WriteLine(app.Output);
            throw;
        }
    }

    private static Task<int> OverflowAsync(IPage page) =>
        page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
}
