using BounceDashboard.Web.Queries;
using CsvHelper;

namespace BounceDashboard.Web.Exports;

/// <summary>
/// Writes the report's bounces as CSV, one row per bounce, straight to <paramref name="destination"/> as they come from
/// the query (memory stays flat however many there are). UTF-8 with a byte order mark, so Excel opens accents right;
/// a header row; RFC 4180 quoting; dates in the export's time zone (<c>yyyy-MM-dd HH:mm:ss</c>, which spreadsheets read as
/// dates; the header names the zone); every text cell escaped against formula injection.
/// </summary>
public static class BounceCsvWriter
{
    private static readonly CsvWriterOptions Options = new() { WriteByteOrderMark = true };

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
        await using var csv = CsvWriter.Create(destination, Options, leaveOpen: true);
        csv.WriteHeader(Header(request));
        var zone = request.TimeZone;
        long count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            csv.WriteField(TimeZoneInfo.ConvertTime(row.ReceivedAt, zone), "yyyy-MM-dd HH:mm:ss");
            csv.WriteField(FormulaEscaping.Escape(row.Group));
            csv.WriteField(FormulaEscaping.Escape(row.Recipient));
            csv.WriteField(row.CampaignId, "");
            csv.WriteField(FormulaEscaping.Escape(row.CampaignName));
            csv.WriteField(row.Hard ? "Hard" : "Soft");
            csv.WriteField(row.Reason.ToString());
            csv.WriteField(FormulaEscaping.Escape(row.EnhancedStatus));
            csv.WriteField(FormulaEscaping.Escape(row.Diagnostic));
            csv.WriteField(FormulaEscaping.Escape(row.Pattern));
            await csv.EndRecordAsync(cancellationToken);
            count++;
        }

        await csv.FlushAsync(cancellationToken);
        return count;
    }
}
