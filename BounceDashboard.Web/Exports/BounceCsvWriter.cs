using BounceDashboard.Domain.Bounces;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Web.Exports;

/// <summary>
/// Writes the report's bounces as CSV, one row per bounce, straight to <paramref name="destination"/> as they come from
/// the query (memory stays flat however many there are), through <see cref="Utf8CsvWriter"/>. UTF-8 with a byte order mark, so Excel opens accents right;
/// a header row; RFC 4180 quoting; dates in the export's time zone (<c>yyyy-MM-dd HH:mm:ss</c>, which spreadsheets read as
/// dates; the header names the zone); every text cell escaped against formula injection.
/// </summary>
public static class BounceCsvWriter
{
    public static string[] Header(BounceExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return
        [
            $"Received ({request.TimeZone.Id})", request.GroupTitle, "Recipient", "Campaign ID", "Campaign", "Hard/soft",
            "Reason", "Enhanced status", "Diagnostic", "Pattern",
        ];
    }

    /// <summary>Writes the header and every row; returns how many bounces it wrote.</summary>
    public static async Task<long> WriteAsync(
        BounceExportRequest request, IAsyncEnumerable<BounceDetailRow> rows, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(rows);
        await using var csv = new Utf8CsvWriter(destination);
        csv.WriteByteOrderMark();
        csv.WriteRecord(Header(request));
        var zone = new ZoneClock(request.TimeZone);
        long count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            csv.WriteDateTime(zone.LocalTime(row.ReceivedAt));
            csv.WriteText(row.Group);
            csv.WriteText(row.Recipient);
            csv.WriteField(row.CampaignId);
            csv.WriteText(row.CampaignName);
            csv.WriteAsciiField(row.Hard ? "Hard"u8 : "Soft"u8);
            csv.WriteField(NameOf(row.Reason));
            csv.WriteText(row.EnhancedStatus);
            csv.WriteText(row.Diagnostic);
            csv.WriteText(row.Pattern);
            await csv.EndRecordAsync(cancellationToken);
            count++;
        }

        await csv.FlushAsync(cancellationToken);
        return count;
    }

    /// <summary>The reasons' names by value, so a row does not format its enum.</summary>
    private static readonly string?[] ReasonNames = NamesByValue();

    private static string NameOf(BounceReason reason) =>
        (uint)reason < (uint)ReasonNames.Length && ReasonNames[(int)reason] is { } name ? name : reason.ToString();

    private static string?[] NamesByValue()
    {
        var values = Enum.GetValues<BounceReason>();
        var names = new string?[values.Max(v => (int)v) + 1];
        foreach (var value in values)
        {
            names[(int)value] = value.ToString();
        }

        return names;
    }
}
