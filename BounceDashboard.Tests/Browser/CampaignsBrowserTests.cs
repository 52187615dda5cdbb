using System.Text.RegularExpressions;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Browser;

/// <summary>The app as a real process, driven in Debian's Chromium through Playwright.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed partial class CampaignsBrowserTests(ITestOutputHelper output)
{
    // The development defaults from appsettings.Development.json; the app process runs in Development.
    private const string AdminEmail = BounceDashboardApp.AdminEmail;
    private const string AdminPassword = BounceDashboardApp.AdminPassword;

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    [ChromiumFact]
    public async Task SignIn_ShouldShowTheCampaignsGridAndSignOut_WhenTheAdminUsesChromium()
    {
        Assert.True(File.Exists(ChromiumFactAttribute.ChromiumPath),
            $"{ChromiumFactAttribute.ChromiumPath} is required ({ChromiumFactAttribute.RequireExternalVariable}=1) but missing.");
        await using var app = await AppProcess.StartAsync();
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumFactAttribute.ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = app.BaseAddress.ToString(),
                ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            });
            var page = await context.NewPageAsync();

            // Anonymous: every page leads to the login form.
            await page.GotoAsync("/");
            await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());

            await page.Locator("input[name='Input.Email']").FillAsync(AdminEmail);
            await page.Locator("input[name='Input.Password']").FillAsync(AdminPassword);
            await page.Locator("#sign-in").ClickAsync();

            // Signed in: the shell, interactive once the circuit is up, and the grid filled from the database.
            await Assertions.Expect(page).ToHaveURLAsync(new Uri(app.BaseAddress, "/").ToString());
            await page.Locator("#circuit-state[data-interactive='true']")
                .WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
            var rows = page.Locator("#campaigns-grid tbody tr.mud-table-row");
            await rows.First.WaitForAsync();
            var names = await page.Locator("#campaigns-grid tbody td.campaign-name").AllInnerTextsAsync();
            var expected = await NewestCampaignNamesAsync(app.DatabasePath);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, names.Select(n => n.Trim()));
            await Assertions.Expect(page.Locator(".mud-appbar")).ToContainTextAsync(AdminEmail);

            // Every column, the opens and clicks included, fits a 1440-pixel screen: no scrolling sideways.
            var overflow = await page.EvaluateAsync<int>(
                "() => { const c = document.querySelector('#campaigns-grid .mud-table-container'); return c.scrollWidth - c.clientWidth; }");
            Assert.True(overflow <= 0, $"the campaigns grid is {overflow}px wider than its container at 1440px");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Jobs" })).ToBeVisibleAsync();

            var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "campaigns-admin.png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            output.WriteLine($"Screenshot: {screenshot}");
            output.WriteLine($"Campaigns listed: {string.Join(", ", names)}");

            // Sign out through the user menu: back to the login page, and the home page is closed again.
            await page.Locator("#user-menu button").First.ClickAsync();
            await page.Locator("#sign-out").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());
            await page.GotoAsync("/");
            await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());
        }
        finally
        {
            output.WriteLine(app.Output);
        }
    }

    /// <summary>The first page the grid should show, read from the app's database file with the same query service.</summary>
    private static async Task<List<string>> NewestCampaignNamesAsync(string databasePath)
    {
        var options = new DbContextOptionsBuilder<SqliteBounceDbContext>()
            .UseSqlite($"Data Source={databasePath};Mode=ReadOnly")
            .Options;
        var queries = new CampaignQueries(new FileContextFactory(options));
        // The page opens on the Sent tab, newest first.
        var page = await queries.ListAsync(new CampaignListRequest(CampaignTab.Sent, new PageRequest(0, 25)));
        return page.Items.Select(c => c.Name).ToList();
    }

    [GeneratedRegex("/Account/Login")]
    private static partial Regex LoginUrl();

    private sealed class FileContextFactory(DbContextOptions<SqliteBounceDbContext> options) : IDbContextFactory<BounceDbContext>
    {
        public BounceDbContext CreateDbContext() => new SqliteBounceDbContext(options);
    }
}
