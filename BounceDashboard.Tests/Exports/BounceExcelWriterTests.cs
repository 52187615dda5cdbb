using System.Diagnostics;
using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Queries;
using ClosedXML.Excel;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Exports;

/// <summary>The Excel writer, its workbooks opened again with ClosedXML.</summary>
public sealed class BounceExcelWriterTests(ITestOutputHelper output)
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly DateTimeOffset GeneratedAt = new(2026, 12, 7, 17, 0, 0, TimeSpan.Zero);

    private static BounceExportRequest November(long? campaign = 42) => new(
        new BounceReportFilter(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(1)), campaign, BounceReportGrouping.SendingDomain),
        Paris);

    private static async Task<(MemoryStream File, BounceExcelResult Result)> WriteAsync(
        FakeBounceReportQueries queries, BounceExportRequest request, BounceExcelWriter? writer = null)
    {
        var file = new MemoryStream();
        var result = await (writer ?? new BounceExcelWriter()).WriteAsync(
            request, queries.StreamSummaryAsync(request.Filter), queries.StreamDetailsAsync(request.Filter), GeneratedAt, file, CancellationToken.None);
        file.Position = 0;
        return (file, result);
    }

    [Fact]
    public async Task WriteAsync_ShouldWriteAFilteredFrozenSummaryAndDetailSheet_WhenOpenedWithClosedXml()
    {
        var (file, result) = await WriteAsync(FakeBounceReportQueries.WithSample(), November());

        Assert.Equal(new BounceExcelResult(3, 2, false), result);
        using var workbook = new XLWorkbook(file);
        Assert.Equal(["Summary", "Bounces"], workbook.Worksheets.Select(w => w.Name));

        var summary = workbook.Worksheet("Summary");
        Assert.Equal(new DateTime(2026, 11, 1), summary.Cell("B2").GetDateTime());
        Assert.Equal(new DateTime(2026, 12, 1), summary.Cell("B3").GetDateTime());
        Assert.Equal("Campaign 42", summary.Cell("B4").GetString());
        Assert.Equal("Sending domain", summary.Cell("B5").GetString());
        Assert.Equal("Europe/Paris", summary.Cell("B6").GetString());
        Assert.Equal(new DateTime(2026, 12, 7, 18, 0, 0), summary.Cell("B7").GetDateTime());
        Assert.Equal(["Sending domain", "Bounce text", "Example", "Amount", "Hard/soft", "Reason"], summary.Row(9).Cells(1, 6).Select(c => c.GetString()));
        Assert.Equal("news.example.org", summary.Cell("A10").GetString());
        Assert.Equal(2, summary.Cell("D10").GetValue<int>());
        Assert.Equal("(not matched to a send)", summary.Cell("A11").GetString());
        Assert.Equal("'=cmd|' /C calc'!A0", summary.Cell("B11").GetString());
        Assert.False(summary.Cell("B11").HasFormula);
        Assert.Equal(9, summary.SheetView.SplitRow);
        Assert.Equal("A9:F11", summary.AutoFilter.Range.RangeAddress.ToString());

        var details = workbook.Worksheet("Bounces");
        Assert.Equal(
            ["Received (Europe/Paris)", "Sending domain", "Recipient", "Campaign", "Hard/soft", "Reason", "Enhanced status", "Diagnostic", "Bounce text"],
            details.Row(1).Cells(1, 9).Select(c => c.GetString()));
        Assert.Equal(1, details.SheetView.SplitRow);
        Assert.Equal("A1:I4", details.AutoFilter.Range.RangeAddress.ToString());
        Assert.Equal(4, details.LastRowUsed().RowNumber());
        Assert.Equal(XLDataType.DateTime, details.Cell("A2").DataType);
        Assert.Equal(new DateTime(2026, 11, 20, 10, 30, 0), details.Cell("A2").GetDateTime());
        Assert.Equal("josé@exämple.com", details.Cell("C2").GetString());
        Assert.Equal("Black Friday – Réductions", details.Cell("D2").GetString());
        Assert.Equal("'=cmd|' /C calc'!A0", details.Cell("H4").GetString());
        Assert.False(details.Cell("H4").HasFormula);
        Assert.Equal("(not matched to a send)", details.Cell("B4").GetString());
        Assert.True(details.Column(8).Width > 50, "the diagnostic column is set wide");
        file.Position = 0;
        using var package = new System.IO.Compression.ZipArchive(file, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
        var sheet = package.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith("2.xml", StringComparison.Ordinal));
        using var xml = new StreamReader(sheet.Open());
        Assert.DoesNotContain("dimension ref=\"A1:I1\"", await xml.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ShouldWriteHeadersOnly_WhenThePeriodHasNoBounces()
    {
        var (file, result) = await WriteAsync(new FakeBounceReportQueries(), November(campaign: null));

        Assert.Equal(new BounceExcelResult(0, 0, false), result);
        using var workbook = new XLWorkbook(file);
        Assert.Equal("All campaigns", workbook.Worksheet("Summary").Cell("B4").GetString());
        var details = workbook.Worksheet("Bounces");
        Assert.Equal(1, details.LastRowUsed().RowNumber());
        Assert.Equal("A1:I1", details.AutoFilter.Range.RangeAddress.ToString());
    }

    [Fact]
    public async Task WriteAsync_ShouldStopWithANoteInTheLastRow_WhenTheBouncesExceedWhatTheSheetHolds()
    {
        var queries = new FakeBounceReportQueries { GeneratedDetails = 8 };

        var (file, result) = await WriteAsync(queries, November(), new BounceExcelWriter { MaxDetailRows = 5 });

        Assert.Equal(new BounceExcelResult(5, 0, true), result);
        using var workbook = new XLWorkbook(file);
        var details = workbook.Worksheet("Bounces");
        Assert.Equal(7, details.LastRowUsed().RowNumber());
        Assert.StartsWith("Stopped after 5 bounces", details.Cell("A7").GetString(), StringComparison.Ordinal);
        Assert.Equal("A1:I7", details.AutoFilter.Range.RangeAddress.ToString());
    }

    [Fact]
    public void Text_ShouldReplaceCharactersXmlCannotCarryAndCutToTheCellLimit_WhenAReplyHoldsThem()
    {
        Assert.Equal("a\uFFFDb 😀", BounceExcelWriter.Text("a\u0001b 😀"));
        Assert.Equal("'-1 day", BounceExcelWriter.Text("-1 day"));
        Assert.Equal(BounceExcelWriter.ExcelMaxCellText, BounceExcelWriter.Text(new string('x', 40_000)).Length);
    }

    [Fact]
    public async Task WriteAsync_ShouldWrite100000BouncesInSeconds_WhenTheDetailSheetIsStreamed()
    {
        // Not a timed test (the lead benchmarks the export on a large database): a guard against falling back to an
        // in-memory workbook, which takes about 8 s and 780 MB for this many rows.
        var queries = new FakeBounceReportQueries { GeneratedDetails = 100_000 };
        await WriteAsync(new FakeBounceReportQueries { GeneratedDetails = 2_000 }, November()); // warm-up: JIT, ClosedXML's start
        var path = Path.Combine(Path.GetTempPath(), $"bounces-{Guid.NewGuid():N}.xlsx");
        try
        {
            var before = GC.GetTotalAllocatedBytes();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            BounceExcelResult result;
            await using (var file = File.Create(path))
            {
                result = await new BounceExcelWriter().WriteAsync(
                    November(), queries.StreamSummaryAsync(November().Filter), queries.StreamDetailsAsync(November().Filter), GeneratedAt, file, CancellationToken.None);
            }

            output.WriteLine($"100,000 rows: {clock.Elapsed.TotalSeconds:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s CPU, {new FileInfo(path).Length / 1e6:F1} MB file, "
                + $"{(GC.GetTotalAllocatedBytes() - before) / 1e6:F0} MB allocated, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
            Assert.Equal(100_000, result.DetailRows);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
