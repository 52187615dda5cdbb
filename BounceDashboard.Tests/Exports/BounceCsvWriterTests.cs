using System.Diagnostics;
using System.Text;
using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Queries;
using CsvHelper;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Exports;

/// <summary>The CSV writer, its files read back with CsvHelper.</summary>
public sealed class BounceCsvWriterTests(ITestOutputHelper output)
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private static BounceExportRequest November(TimeZoneInfo zone, long? campaign = null) => new(
        new BounceReportFilter(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(1)), campaign, BounceReportGrouping.SendingDomain),
        zone);

    [Fact]
    public async Task WriteAsync_ShouldWriteAHeaderAndOneRowPerBounceInUtf8WithABom_WhenReadBackWithCsvHelper()
    {
        var queries = FakeBounceReportQueries.WithSample();
        var request = November(Paris);
        using var file = new MemoryStream();

        var count = await BounceCsvWriter.WriteAsync(request, queries.StreamDetailsAsync(request.Filter), file, CancellationToken.None);

        Assert.Equal(3, count);
        var bytes = file.ToArray();
        Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "the file starts with a UTF-8 byte order mark, so Excel reads accents right");
        file.Position = 0;
        await using var reader = CsvReader.Create(file, null, leaveOpen: true);
        var rows = new List<Dictionary<string, string>>();
        while (await reader.ReadAsync())
        {
            rows.Add(BounceCsvWriter.Header(request).ToDictionary(h => h, h => reader.GetString(h)));
        }

        Assert.Equal(BounceCsvWriter.Header(request), reader.Headers.ToArray());
        Assert.Equal(["Received (Europe/Paris)", "Sending domain", "Recipient", "Campaign ID", "Campaign"], BounceCsvWriter.Header(request)[..5]);
        Assert.Equal(3, rows.Count);

        // Newest first, as the query yields them; the time in the export's zone (UTC+1 in November).
        var first = rows[0];
        Assert.Equal("2026-11-20 10:30:00", first["Received (Europe/Paris)"]);
        Assert.Equal("josé@exämple.com", first["Recipient"]);
        Assert.Equal("Black Friday – Réductions", first["Campaign"]);
        Assert.Equal("42", first["Campaign ID"]);
        Assert.Equal("Hard", first["Hard/soft"]);
        Assert.Equal("UserUnknown", first["Reason"]);
        Assert.Equal("5.1.1", first["Enhanced status"]);
        Assert.Equal("550 5.1.1 <*>: User unknown", first["Pattern"]);

        // A stranger's formula arrives as text: escaped with a leading apostrophe in every text column.
        var formula = rows[2];
        Assert.Equal("'=cmd|' /C calc'!A0", formula["Diagnostic"]);
        Assert.Equal("'=cmd|' /C calc'!A0", formula["Pattern"]);
        Assert.Equal("", formula["Sending domain"]);
        Assert.Equal("Soft", formula["Hard/soft"]);
    }

    [Fact]
    public async Task WriteAsync_ShouldWriteOnlyTheHeader_WhenThePeriodHasNoBounces()
    {
        var request = November(TimeZoneInfo.Utc);
        using var file = new MemoryStream();

        var count = await BounceCsvWriter.WriteAsync(request, new FakeBounceReportQueries().StreamDetailsAsync(request.Filter), file, CancellationToken.None);

        Assert.Equal(0, count);
        var text = Encoding.UTF8.GetString(file.ToArray().AsSpan(Encoding.UTF8.Preamble.Length));
        Assert.Equal(string.Join(',', BounceCsvWriter.Header(request)) + "\r\n", text);
    }

    [Fact]
    public async Task WriteAsync_ShouldNameTheIpColumn_WhenGroupedBySendingIp()
    {
        var request = November(TimeZoneInfo.Utc) with { };
        request = request with { Filter = request.Filter with { GroupBy = BounceReportGrouping.SendingIp } };
        using var file = new MemoryStream();

        await BounceCsvWriter.WriteAsync(request, new FakeBounceReportQueries().StreamDetailsAsync(request.Filter), file, CancellationToken.None);

        Assert.Contains("Received (UTC),Sending IP,Recipient", Encoding.UTF8.GetString(file.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ShouldWriteEveryRowWithoutHoldingThem_When100000BouncesStream()
    {
        // Not a timed test: it prints the writer's own rate (the rows are generated, not read from a database).
        var request = November(Paris);
        var queries = new FakeBounceReportQueries { GeneratedDetails = 100_000 };
        await BounceCsvWriter.WriteAsync(request, new FakeBounceReportQueries { GeneratedDetails = 2_000 }.StreamDetailsAsync(request.Filter), Stream.Null, CancellationToken.None);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();

        var count = await BounceCsvWriter.WriteAsync(request, queries.StreamDetailsAsync(request.Filter), Stream.Null, CancellationToken.None);

        output.WriteLine($"100,000 rows: {clock.Elapsed.TotalSeconds:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s CPU, "
            + $"{count / clock.Elapsed.TotalSeconds:N0} rows/s");
        Assert.Equal(100_000, count);
    }
}
