using System.Text;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Imports;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Browser;

/// <summary>A marketer's audience flow in Debian's Chromium against the app as a real process (demo data).</summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed class AudiencesBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task Import_ShouldFlagTheBadRowAndImportTheOthers_WhenAMarketerUploadsACsvWithOneBadRow()
    {
        await using var app = await AppProcess.StartAsync();
        try
        {
            await using var browser = await BrowserSession.StartAsync(app);
            var page = browser.Page;
            await browser.SignInAsMarketerAsync();

            // The list: the demo data's audiences with their counts.
            await browser.GotoAsync("/audiences");
            await page.Locator("#audiences-grid tbody tr.mud-table-row").First.WaitForAsync();
            await Assertions.Expect(page).ToHaveTitleAsync("Audiences · BounceDashboard");
            output.WriteLine($"Screenshot: {await browser.ScreenshotAsync("audiences")}");

            // Create an audience through the dialog, then open it.
            await page.Locator("#new-audience").ClickAsync();
            var dialog = page.Locator(".audience-name-dialog");
            await dialog.Locator("input").First.FillAsync("Browser import");
            await page.Locator("#audience-save").ClickAsync();
            await Assertions.Expect(dialog).ToBeHiddenAsync();
            await page.Locator("#audiences-grid td.audience-name a", new PageLocatorOptions { HasTextString = "Browser import" }).ClickAsync();
            await Assertions.Expect(page.Locator("#audience-title")).ToHaveTextAsync("Browser import");
            await Assertions.Expect(page.Locator("#members-empty")).ToContainTextAsync("No members yet");

            // Upload a file with one bad row: the preview flags it before anything is written.
            var file = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Imports", "one-bad-row.csv");
            await page.Locator("#audience-import input[type=file]").SetInputFilesAsync(file);
            await page.Locator("#import-check").ClickAsync();
            var bad = page.Locator("tr.import-row[data-outcome='InvalidAddress']");
            await Assertions.Expect(bad).ToHaveCountAsync(1);
            await Assertions.Expect(bad).ToContainTextAsync("browser-two.example.com");
            await Assertions.Expect(page.Locator("#import-confirm")).ToContainTextAsync("Import 2 contacts");
            await Assertions.Expect(page.Locator("#members-empty")).ToBeVisibleAsync();
            output.WriteLine($"Screenshot: {await browser.ScreenshotAsync("audience-import-preview")}");

            // The per-row report downloads as CSV.
            var report = await page.RunAndWaitForDownloadAsync(() => page.Locator("#import-report").ClickAsync());
            Assert.Equal("import-report-one-bad-row.csv", report.SuggestedFilename);
            var reportFile = ContactCsvImport.Read(await File.ReadAllBytesAsync((await report.PathAsync())!)).File!;
            Assert.Equal(ImportReportCsv.Header, reportFile.Columns);
            Assert.Equal(3, reportFile.Rows.Count);

            // Import: the two good rows become members; the bad one is not written.
            await page.Locator("#import-confirm").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasTextString = "Imported 2 contacts" })).ToBeVisibleAsync();
            var emails = page.Locator("#members-grid td.member-email");
            await Assertions.Expect(emails).ToHaveCountAsync(2);
            Assert.Equal(["browser-one@example.com", "browser-three@example.com"], (await emails.AllInnerTextsAsync()).Select(e => e.Trim()).Order());
            await Assertions.Expect(page.Locator("#audience-counts [data-count='members']")).ToContainTextAsync("Members: 2");
            output.WriteLine($"Screenshot: {await browser.ScreenshotAsync("audience")}");

            // Export: a CSV named for the audience and the day, with the two members.
            var export = await page.RunAndWaitForDownloadAsync(() => page.Locator("#audience-export").ClickAsync());
            Assert.Matches(@"^audience-browser-import-\d{4}-\d{2}-\d{2}\.csv$", export.SuggestedFilename);
            var exported = Encoding.UTF8.GetString(await File.ReadAllBytesAsync((await export.PathAsync())!));
            var lines = exported.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("email,name,status,suppressed,added_at", lines[0]);
            Assert.Equal(3, lines.Length);
            Assert.StartsWith("browser-one@example.com,Browser One,Active,no,", lines[1], StringComparison.Ordinal);

            // A demo audience lists the campaigns sent to it, some of them to a second audience as well.
            await browser.GotoAsync("/audiences/1");
            var campaigns = page.Locator("#audience-campaigns-table tr.audience-campaign");
            await Assertions.Expect(campaigns.First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#audience-campaigns-table td.audience-campaign-audiences", new PageLocatorOptions { HasTextString = "this and 1 more" }).First)
                .ToBeVisibleAsync();
            output.WriteLine($"Screenshot: {await browser.ScreenshotAsync("audience-campaigns")}");
        }
        finally
        {
            output.WriteLine(app.Output);
        }
    }
}
