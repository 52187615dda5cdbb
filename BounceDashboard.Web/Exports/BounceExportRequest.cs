using System.Globalization;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Web.Exports;

/// <summary>The two files a bounce report downloads as.</summary>
public enum ExportFormat
{
    Csv = 0,
    Xlsx = 1,
}

/// <summary>
/// One bounce report export: the report's filter and the time zone its dates are written in (the browser's, so the file
/// shows the times the page showed; UTC from the command line unless it names one).
/// </summary>
public sealed record BounceExportRequest(BounceReportFilter Filter, TimeZoneInfo TimeZone)
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The first day of the period, in the export's time zone.</summary>
    public DateOnly FirstDay => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Filter.From, TimeZone).DateTime);

    /// <summary>The last day of the period (the filter's end is excluded), in the export's time zone.</summary>
    public DateOnly LastDay => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Filter.To.AddTicks(-1), TimeZone).DateTime);

    /// <summary>What the grouping column holds, as a column title.</summary>
    public string GroupTitle => Filter.GroupBy == BounceReportGrouping.SendingIp ? "Sending IP" : "Sending domain";

    /// <summary>A file name that says what the file holds, e.g. <c>bounces-by-sending-domain-2026-11-07-to-2026-12-06-campaign-42.xlsx</c>.</summary>
    public string FileName(ExportFormat format)
    {
        var grouping = Filter.GroupBy == BounceReportGrouping.SendingIp ? "sending-ip" : "sending-domain";
        var campaign = Filter.CampaignId is { } id ? string.Create(CultureInfo.InvariantCulture, $"-campaign-{id}") : "";
        var extension = format == ExportFormat.Xlsx ? "xlsx" : "csv";
        return string.Create(CultureInfo.InvariantCulture, $"bounces-by-{grouping}-{FirstDay:yyyy-MM-dd}-to-{LastDay:yyyy-MM-dd}{campaign}.{extension}");
    }

    public static string ContentType(ExportFormat format) => format == ExportFormat.Xlsx ? XlsxContentType : CsvContentType;
}
