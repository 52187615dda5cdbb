using System.Globalization;
using System.Text;
using BounceDashboard.Web.Exports;
using CsvHelper;
using Xunit;

namespace BounceDashboard.Tests.Exports;

/// <summary>The export's own CSV writer, with CsvHelper (the library the other exports use) as the yardstick.</summary>
public sealed class Utf8CsvWriterTests
{
    private static readonly string?[] Awkward =
    [
        null, "", "plain", "with,comma", "with \"quotes\"", "\"", "line\r\nbreak", "lone\rcr", "lone\nlf", " leading",
        "trailing ", " ", "tab\tinside", "=cmd|' /C calc'!A0", "ümlaut ünd 日本語", "emoji 😀 pair", "a,\"b\"\r\n c ",
        new string('x', 70_000) + ",\"" + new string('é', 30_000),
    ];

    public static TheoryData<string?> AwkwardFields() => [.. Awkward];

    [Theory]
    [MemberData(nameof(AwkwardFields))]
    public async Task WriteField_ShouldWriteTheSameBytesAsCsvHelper_WhenTheFieldIsAwkward(string? field)
    {
        var ours = await OursAsync(csv =>
        {
            csv.WriteField("first");
            csv.WriteField(field);
            csv.WriteField(field);
        });
        var theirs = await CsvHelperAsync(csv =>
        {
            csv.WriteField("first");
            csv.WriteField(field);
            csv.WriteField(field);
        });

        Assert.Equal(Encoding.UTF8.GetString(theirs), Encoding.UTF8.GetString(ours));
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public async Task WriteField_ShouldReadBackAsTheSameValues_WhenReadWithCsvHelper()
    {
        var fields = Awkward;
        var bytes = await OursAsync(csv =>
        {
            foreach (var field in fields)
            {
                csv.WriteField(field);
            }
        });

        await using var reader = CsvReader.Create(new MemoryStream(bytes), new CsvReaderOptions { HasHeader = false }, leaveOpen: false);
        Assert.True(await reader.ReadAsync());
        Assert.Equal(fields.Select(f => f ?? string.Empty), Enumerable.Range(0, fields.Length).Select(i => reader.GetString(i)));
    }

    [Fact]
    public async Task WriteText_ShouldEscapeAFormula_WhenTheCellStartsWithATriggerCharacter()
    {
        var bytes = await OursAsync(csv =>
        {
            csv.WriteText("=HYPERLINK(\"http://evil\")");
            csv.WriteText("+1");
            csv.WriteText("fine");
        });

        Assert.Equal("\"'=HYPERLINK(\"\"http://evil\"\")\",'+1,fine\r\n", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task WriteDateTimeAndNumbers_ShouldWriteInvariantDigits_WhenTheCultureIsNotInvariant()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("ar-SA");
        try
        {
            var bytes = await OursAsync(csv =>
            {
                csv.WriteDateTime(new DateTime(2026, 1, 2, 3, 4, 5));
                csv.WriteField(1234567L);
                csv.WriteField((long?)null);
                csv.WriteAsciiField("Hard"u8);
            });

            Assert.Equal("2026-01-02 03:04:05,1234567,,Hard\r\n", Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public async Task EndRecordAsync_ShouldKeepEveryRecordInOrder_WhenTheBufferIsFlushedManyTimes()
    {
        using var file = new MemoryStream();
        await using (var csv = new Utf8CsvWriter(file))
        {
            csv.WriteByteOrderMark();
            csv.WriteRecord(["n", "text"]);
            for (var i = 0; i < 20_000; i++)
            {
                csv.WriteField(i);
                csv.WriteField($"row {i}, with a comma");
                await csv.EndRecordAsync(CancellationToken.None);
            }
        }

        await using var reader = CsvReader.Create(new MemoryStream(file.ToArray()), null, leaveOpen: false);
        var n = 0;
        while (await reader.ReadAsync())
        {
            Assert.Equal(n.ToString(CultureInfo.InvariantCulture), reader.GetString("n"));
            Assert.Equal($"row {n}, with a comma", reader.GetString("text"));
            n++;
        }

        Assert.Equal(20_000, n);
    }

    private static async Task<byte[]> OursAsync(Action<Utf8CsvWriter> write)
    {
        using var file = new MemoryStream();
        await using (var csv = new Utf8CsvWriter(file))
        {
            write(csv);
            await csv.EndRecordAsync(CancellationToken.None);
        }

        return file.ToArray();
    }

    private static async Task<byte[]> CsvHelperAsync(Action<CsvWriter> write)
    {
        using var file = new MemoryStream();
        await using (var csv = CsvWriter.Create(file, new CsvWriterOptions { WriteByteOrderMark = false }, leaveOpen: true))
        {
            write(csv);
            await csv.EndRecordAsync(CancellationToken.None);
            await csv.FlushAsync(CancellationToken.None);
        }

        return file.ToArray();
    }
}

/// <summary>The export's time zone conversion against <see cref="TimeZoneInfo.ConvertTime(DateTimeOffset, TimeZoneInfo)"/>.</summary>
public sealed class ZoneClockTests
{
    [Theory]
    [InlineData("Europe/Paris")]
    [InlineData("America/New_York")]
    [InlineData("Australia/Adelaide")]
    [InlineData("Asia/Kathmandu")]
    [InlineData("America/St_Johns")]
    [InlineData("UTC")]
    public void LocalTime_ShouldAgreeWithTimeZoneInfo_WhenTheRowsCrossAChangeOfOffset(string id)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
        var clock = new ZoneClock(zone);

        // Every 7 minutes and 13 seconds, newest first as an export reads, over two years: every change of offset in them.
        for (var instant = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero); instant > new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero); instant -= TimeSpan.FromSeconds(433))
        {
            Assert.Equal(TimeZoneInfo.ConvertTime(instant, zone).DateTime, clock.LocalTime(instant));
        }
    }
}
