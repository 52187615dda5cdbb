using System.Text;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Web.Components.Pages.Admin;
using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Exports;

public sealed class AuditLogExportTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 23, 30, 0, TimeSpan.Zero);

    private static async IAsyncEnumerable<AuditLogRow> Rows(params AuditLogRow[] rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    [Fact]
    public async Task WriteAsync_ShouldWriteLabelsLocalTimesAndEscapedText_WhenCellsStartWithFormulaCharacters()
    {
        using var output = new MemoryStream();
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

        var count = await AuditLogExport.WriteAsync(
            Rows(
                new AuditLogRow(2, At, "admin@example.org", AuditAction.ImportSuppressions, "=cmd@example.com", "+1 from the file", "@SUM(A1)"),
                new AuditLogRow(1, At, "ops@example.org", AuditAction.ReactivateAddress, "jane@example.com", "Mailbox, \"recreated\"", null)),
            paris,
            output,
            CancellationToken.None);

        var bytes = output.ToArray();
        Assert.Equal(2, count);
        Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "a byte order mark, so Excel reads UTF-8");
        var lines = Encoding.UTF8.GetString(bytes.AsSpan(Encoding.UTF8.Preamble.Length)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Time (Europe/Paris),Actor,Action,Target,Reason,Details", lines[0]);
        Assert.Equal("2026-03-03 00:30:00,admin@example.org,Imported suppression,'=cmd@example.com,'+1 from the file,'@SUM(A1)", lines[1]);
        Assert.Equal("2026-03-03 00:30:00,ops@example.org,Reactivated address,jane@example.com,\"Mailbox, \"\"recreated\"\"\",", lines[2]);
    }

    [Theory]
    [InlineData("2026-11-01", "2026-11-30", "audit-log-2026-11-01-to-2026-11-30.csv")]
    [InlineData("2026-11-01", null, "audit-log-from-2026-11-01-until-2026-12-07.csv")]
    [InlineData(null, "2026-11-30", "audit-log-to-2026-11-30.csv")]
    [InlineData(null, null, "audit-log-all-until-2026-12-07.csv")]
    public void FileName_ShouldNameThePeriod_WhenDatesAreGivenOrNot(string? from, string? to, string expected)
    {
        var view = AuditLogView.Parse(null, null, null, from, to);

        Assert.Equal(expected, AuditLogExport.FileName(view, new DateTimeOffset(2026, 12, 7, 20, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Parse_ShouldReadEveryFilterAndRoundTrip_WhenTheUrlCarriesThem()
    {
        var view = AuditLogView.Parse(" ops@example.org ", "disableuser", "jane@", "2026-11-30", "2026-11-01");

        Assert.Equal(new AuditLogView("ops@example.org", AuditAction.DisableUser, "jane@", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)), view);
        Assert.Equal("/admin/audit?actor=ops%40example.org&action=DisableUser&target=jane%40&from=2026-11-01&to=2026-11-30", view.ToUri());
        Assert.Equal(
            "/exports/audit.csv?actor=ops%40example.org&action=DisableUser&target=jane%40&from=2026-11-01&to=2026-11-30&tz=Europe%2FParis",
            AuditLogExport.UrlOf(view, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")));
    }

    [Theory]
    [InlineData("Nonsense")]
    [InlineData("99")]
    [InlineData("")]
    public void Parse_ShouldIgnoreTheAction_WhenItIsNotAnAuditAction(string action)
    {
        var view = AuditLogView.Parse(null, action, null, "not a date", null);

        Assert.Equal(AuditLogView.Empty, view);
        Assert.Equal("/admin/audit", view.ToUri());
    }

    [Fact]
    public void ToFilter_ShouldCoverWholeDaysInTheZone_WhenAPeriodIsGiven()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

        var filter = AuditLogView.Parse(null, null, null, "2026-03-02", "2026-03-02").ToFilter(paris);

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero), filter.From!.Value.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 23, 0, 0, TimeSpan.Zero), filter.To!.Value.ToUniversalTime());
    }
}
