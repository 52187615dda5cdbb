using System.Text;
using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Browser;

/// <summary>The suppression list in Debian's Chromium against the app as a real process (demo data): an Admin's flow and a Marketer's view.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed class SuppressionsBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task Admin_ShouldSearchReactivateWithAReasonAndPreviewAnImport_WhenManagingTheList()
    {
        await using var app = await AppProcess.StartAsync();
        try
        {
            await using var browser = await BrowserSession.StartAsync(app);
            var page = browser.Page;
            await browser.SignInAsAdminAsync();

            // The list of hard bounces in force, newest first, each with why.
            await browser.GotoAsync("/suppressions?reason=HardBounce");
            await Assertions.Expect(page).ToHaveTitleAsync("Suppression list · BounceDashboard");
            var rows = page.Locator("#suppression-grid tbody tr.suppression-row");
            await rows.First.WaitForAsync();
            await Assertions.Expect(page.Locator(".suppression-reason[data-reason='HardBounce']").First).ToBeVisibleAsync();
            output.WriteLine($"Screenshot: {await browser.ScreenshotAsync("suppressions")}");

            // Search: the start of one listed address narrows the list to addresses starting with it (and goes in the URL).
            var address = (await rows.First.Locator("td.suppression-email").InnerTextAsync()).Trim();
            await page.Locator("#suppression-search").FillAsync(address);
            await page.WaitForURLAsync(url => url.Contains("q=", StringComparison.Ordinal));
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows.First.Locator("td.suppression-email")).ToHaveTextAsync(address);

            // Reactivate it with a reason: the dialog says what will happen first.
            await rows.First.Locator(".suppression-reactivate").ClickAsync();
            await Assertions.Expect(page.Locator("#reactivate-consequence"))
                .ToHaveTextAsync($"{address} will be sent to again; its contact returns to Active with counters reset.");
            await page.Locator("#reactivate-reason").FillAsync("Browser test: the mailbox was recreated");
            await page.Locator("#reactivate-confirm").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasTextString = "is active again" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".suppression-empty")).ToContainTextAsync("No entry matches these filters");

            // Import a CSV with one bad row: the preview flags it before anything is written.
            await browser.GotoAsync("/suppressions");
            await page.Locator("#suppression-import-toggle").ClickAsync();
            var csv = "email,reason\nbrowser-one@example.com,Bounced at the old ESP\nbrowser-two.example.com,typo\nbrowser-three@example.com,\n";
            await page.Locator("#suppression-import input[type=file]").SetInputFilesAsync(new FilePayload
            {
                Name = "old-esp.csv",
                MimeType = "text/csv",
                Buffer = Encoding.UTF8.GetBytes(csv),
            });
            await page.Locator("#suppression-import-reason").FillAsync("Imported from the old ESP");
            await page.Locator("#suppression-import-check").ClickAsync();
            var bad = page.Locator("tr.suppression-import-row[data-outcome='InvalidAddress']");
            await Assertions.Expect(bad).ToHaveCountAsync(1);
            await Assertions.Expect(bad).ToContainTextAsync("browser-two.example.com");
            await Assertions.Expect(page.Locator("#suppression-import-confirm")).ToContainTextAsync("Suppress 2 addresses");
            output.WriteLine($"Screenshot: {await browser.ScreenshotAsync("suppression-import-preview")}");
            await page.Locator("#suppression-import-confirm").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasTextString = "2 addresses suppressed" })).ToBeVisibleAsync();
            await browser.GotoAsync("/suppressions?q=browser-");
            await Assertions.Expect(rows).ToHaveCountAsync(2);

            // The reactivation is in the audit log, with the address (the audit log page comes with issue 12's admin pages).
            await browser.GotoAsync("/admin/audit");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync(address);
        }
        finally
        {
            output.WriteLine(app.Output);
        }
    }

    [ChromiumFact]
    public async Task Marketer_ShouldSeeTheListReadOnly_WhenSignedInAsAMarketer()
    {
        await using var app = await AppProcess.StartAsync();
        try
        {
            await using var browser = await BrowserSession.StartAsync(app, width: 1024, height: 768);
            var page = browser.Page;
            await browser.SignInAsMarketerAsync();

            await browser.GotoAsync("/suppressions");
            await page.Locator("#suppression-grid tbody tr.suppression-row").First.WaitForAsync();
            await Assertions.Expect(page.Locator("#suppression-read-only")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#suppression-add, #suppression-import-toggle, #suppression-bulk-reactivate, .suppression-reactivate"))
                .ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#suppression-grid button:enabled", new PageLocatorOptions { HasTextString = "Reactivate" })).ToHaveCountAsync(0);
            output.WriteLine($"Screenshot: {await browser.ScreenshotAsync("suppressions-marketer-tablet")}");
        }
        finally
        {
            output.WriteLine(app.Output);
        }
    }
}
