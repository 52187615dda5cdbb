using System.Text.RegularExpressions;
using BounceDashboard.Tests.TestInfrastructure;
using ClosedXML.Excel;
using CsvHelper;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Browser;

/// <summary>
/// The bounce report's downloads in Chromium: a marketer downloads the Excel and CSV files of the report's current
/// filter, by sending domain and then by sending IP, and the files hold what they should, a stranger's formula escaped.
/// </summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed partial class BounceExportBrowserTests(ITestOutputHelper output)
{
    private const string Formula = "=HYPERLINK(\"http://evil.example/\",\"click\")";

    [ChromiumFact]
    public async Task Downloads_ShouldSaveTheReportAsExcelAndCsvWithTheFormulaEscaped_WhenTheMarketerClicksThem()
    {
        await using var app = await AppProcess.StartAsync();
        var newest = await PlantFormulaInNewestBounceAsync(app.DatabasePath);
        output.WriteLine($"Bounce {newest} now carries a formula for its diagnostic.");
        await using var session = await BrowserSession.StartAsync(app);
        var page = session.Page;
        try
        {
            await session.SignInAsMarketerAsync();
            await session.GotoAsync("/reports/bounces");
            await page.Locator("#bounce-report-grid").WaitForAsync();

            // Excel, by sending domain (the report's default), for the report's default period.
            var excel = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-xlsx").ClickAsync());
            Assert.Matches(FileName("sending-domain", "xlsx"), excel.SuggestedFilename);
            var excelPath = Path.Combine(BrowserSession.ScreenshotDirectory, "..", "downloads", excel.SuggestedFilename);
            await excel.SaveAsAsync(excelPath);
            int excelRows;
            using (var workbook = new XLWorkbook(excelPath))
            {
                Assert.Equal(["Summary", "Bounces"], workbook.Worksheets.Select(w => w.Name));
                Assert.Equal("Sending domain", workbook.Worksheet("Summary").Cell("B5").GetString());
                var details = workbook.Worksheet("Bounces");
                Assert.Equal(1, details.SheetView.SplitRow);
                Assert.Equal(XLDataType.DateTime, details.Cell("A2").DataType);
                var planted = details.Column(8).CellsUsed().Single(c => c.GetString() == "'" + Formula);
                Assert.False(planted.HasFormula);
                excelRows = details.LastRowUsed().RowNumber() - 1;
            }

            await Assertions.Expect(page.Locator("#download-progress")).ToHaveCountAsync(0);
            await session.ScreenshotAsync("bounce-report-downloads");

            // CSV, after switching the report to sending IPs: the file follows the page's filter.
            await page.Locator("#group-ip").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("group=ip"));
            var csv = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-csv").ClickAsync());
            Assert.Matches(FileName("sending-ip", "csv"), csv.SuggestedFilename);
            var csvPath = Path.Combine(BrowserSession.ScreenshotDirectory, "..", "downloads", csv.SuggestedFilename);
            await csv.SaveAsAsync(csvPath);
            await using var file = File.OpenRead(csvPath);
            await using var reader = CsvReader.Create(file, null, leaveOpen: true);
            var diagnostics = new List<string>();
            while (await reader.ReadAsync())
            {
                diagnostics.Add(reader.GetString("Diagnostic"));
            }

            Assert.Equal("Sending IP", reader.Headers.ToArray()[1]);
            Assert.Equal(excelRows, diagnostics.Count);
            Assert.Contains("'" + Formula, diagnostics);
            output.WriteLine($"Downloaded {excel.SuggestedFilename} and {csv.SuggestedFilename}: {excelRows} bounces each.");
        }
        catch
        {
            await session.ScreenshotAsync("bounce-report-downloads-failure");
            output.WriteLine(app.Output);
            throw;
        }
    }

    private static Regex FileName(string grouping, string extension) =>
        new($@"^bounces-by-{grouping}-\d{{4}}-\d{{2}}-\d{{2}}-to-\d{{4}}-\d{{2}}-\d{{2}}\.{extension}$");

    /// <summary>Gives the newest bounce a formula for a diagnostic, as a hostile server could send.</summary>
    private static async Task<long> PlantFormulaInNewestBounceAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "UPDATE BounceEvents SET Diagnostic = $formula WHERE Id = (SELECT Id FROM BounceEvents WHERE Kind = 'Bounce' ORDER BY ReceivedAt DESC, Id DESC LIMIT 1) RETURNING Id";
        command.Parameters.AddWithValue("$formula", Formula);
        var id = (long)(await command.ExecuteScalarAsync())!;
        SqliteConnection.ClearPool(connection);
        return id;
    }
}
