using System.Globalization;
using BounceDashboard.Web.Components.Pages.Suppressions;
using BounceDashboard.Web.Components.Shared;
using BounceDashboard.Web.Queries;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Http.Features;

namespace BounceDashboard.Web.Exports;

/// <summary>
/// <c>GET /exports/suppressions.csv</c> and <c>/exports/suppressions.xlsx</c>: the suppression list as the page filters
/// it (<see cref="SuppressionListView"/>'s parameters plus <c>tz</c>, the browser's zone for the days and the dates
/// written), newest first, one row per entry with why, when and by whom. Streamed from the query: CSV straight to the
/// response, Excel row by row into the sheet (OpenXmlWriter), never a workbook in memory. Every text cell goes through
/// <see cref="FormulaEscaping"/> (the Excel cells through <see cref="BounceExcelWriter.Text"/>, which also drops
/// characters XML cannot carry): diagnostics come from strangers' servers, notes from anyone's import file.
/// </summary>
public static class SuppressionExport
{
    private static readonly CsvWriterOptions CsvOptions = new() { WriteByteOrderMark = true };
    private static readonly double[] Widths = [34, 18, 10, 20, 28, 50, 18, 10, 14, 80, 24, 12, 20, 28, 50];

    public static string[] Header(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return
        [
            "Address", "Reason", "Source", $"Added ({zone.Id})", "Added by", "Note", "Bounce reason", "Hard/soft", "Enhanced status",
            "Diagnostic", "Rule", "Delivery ID", $"Lifted ({zone.Id})", "Lifted by", "Lift reason",
        ];
    }

    public static void MapSuppressionExport(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").RequireAuthorization();
        group.MapGet(SuppressionListView.CsvPath, (HttpContext context, ISuppressionQueries queries, TimeProvider time) => ExportAsync(context, queries, time, excel: false));
        group.MapGet(SuppressionListView.XlsxPath, (HttpContext context, ISuppressionQueries queries, TimeProvider time) => ExportAsync(context, queries, time, excel: true));
    }

    /// <summary>Writes the header and every row as CSV (UTF-8 with a byte order mark); returns how many rows it wrote.</summary>
    public static async Task<long> WriteCsvAsync(IAsyncEnumerable<SuppressionRow> rows, TimeZoneInfo zone, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var csv = CsvWriter.Create(destination, CsvOptions, leaveOpen: true);
        csv.WriteHeader(Header(zone));
        long count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            var cause = row.Cause;
            csv.WriteField(FormulaEscaping.Escape(row.Email));
            csv.WriteField(SuppressionReasonChip.LabelOf(row.Reason));
            csv.WriteField(SuppressionReasonChip.LabelOf(row.Source));
            csv.WriteField(TimeZoneInfo.ConvertTime(row.CreatedAt, zone), "yyyy-MM-dd HH:mm:ss");
            csv.WriteField(FormulaEscaping.Escape(row.CreatedBy));
            csv.WriteField(FormulaEscaping.Escape(row.Note) ?? string.Empty);
            csv.WriteField(cause is null ? string.Empty : cause.Reason.ToString());
            csv.WriteField(cause is null ? string.Empty : cause.Hard ? "Hard" : "Soft");
            csv.WriteField(FormulaEscaping.Escape(cause?.EnhancedStatus) ?? string.Empty);
            csv.WriteField(FormulaEscaping.Escape(cause?.Diagnostic) ?? string.Empty);
            csv.WriteField(FormulaEscaping.Escape(cause?.Rule) ?? string.Empty);
            csv.WriteField(cause?.DeliveryId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
            csv.WriteField(row.LiftedAt is { } lifted ? TimeZoneInfo.ConvertTime(lifted, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : string.Empty);
            csv.WriteField(FormulaEscaping.Escape(row.LiftedBy) ?? string.Empty);
            csv.WriteField(FormulaEscaping.Escape(row.LiftReason) ?? string.Empty);
            await csv.EndRecordAsync(cancellationToken);
            count++;
        }

        await csv.FlushAsync(cancellationToken);
        return count;
    }

    /// <summary>
    /// Writes one "Suppressions" sheet (header bold, frozen and auto-filtered, widths set, real dates), rows streamed as
    /// the query yields them; past Excel's row limit it stops with a note. <paramref name="destination"/> must be seekable.
    /// </summary>
    public static async Task<long> WriteExcelAsync(IAsyncEnumerable<SuppressionRow> rows, TimeZoneInfo zone, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(zone);
        var header = Header(zone);
        long count = 0;
        var truncated = false;
        using (var document = SpreadsheetDocument.Create(destination, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            styles.Stylesheet.Save();
            var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(sheetPart))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteElement(new SheetViews(new SheetView(
                    new Pane { VerticalSplit = 1D, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
                { TabSelected = true, WorkbookViewId = 0U }));
                writer.WriteElement(new Columns(Widths.Select((w, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = w, CustomWidth = true })));
                writer.WriteStartElement(new SheetData());
                writer.WriteElement(new Row(header.Select(h => TextCell(h, BoldStyle))) { RowIndex = 1U });
                await foreach (var row in rows.WithCancellation(cancellationToken))
                {
                    if (count == BounceExcelWriter.ExcelMaxRows - 2)
                    {
                        truncated = true;
                        writer.WriteElement(new Row(TextCell(string.Create(CultureInfo.InvariantCulture,
                            $"Stopped after {count:N0} entries: an Excel sheet holds at most {BounceExcelWriter.ExcelMaxRows:N0} rows. The CSV download has every entry."), 0U))
                        { RowIndex = (uint)count + 2 });
                        break;
                    }

                    count++;
                    writer.WriteElement(new Row(Cells(row, zone)) { RowIndex = (uint)count + 1 });
                }

                writer.WriteEndElement();
                writer.WriteElement(new AutoFilter { Reference = $"A1:O{count + 1 + (truncated ? 1 : 0)}" });
                writer.WriteEndElement();
            }

            workbookPart.Workbook = new Workbook(
                new Sheets(new Sheet { Id = workbookPart.GetIdOfPart(sheetPart), SheetId = 1U, Name = "Suppressions" }),
                new DefinedNames(new DefinedName($"'Suppressions'!$A$1:$O${count + 1}") { Name = "_xlnm._FilterDatabase", LocalSheetId = 0U, Hidden = true }));
            workbookPart.Workbook.Save();
        }

        return count;
    }

    private const uint BoldStyle = 1U;
    private const uint DateStyle = 2U;

    private static IEnumerable<Cell> Cells(SuppressionRow row, TimeZoneInfo zone)
    {
        var cause = row.Cause;
        yield return TextCell(row.Email);
        yield return TextCell(SuppressionReasonChip.LabelOf(row.Reason));
        yield return TextCell(SuppressionReasonChip.LabelOf(row.Source));
        yield return DateCell(TimeZoneInfo.ConvertTime(row.CreatedAt, zone).DateTime);
        yield return TextCell(row.CreatedBy);
        yield return TextCell(row.Note);
        yield return TextCell(cause?.Reason.ToString());
        yield return TextCell(cause is null ? null : cause.Hard ? "Hard" : "Soft");
        yield return TextCell(cause?.EnhancedStatus);
        yield return TextCell(cause?.Diagnostic);
        yield return TextCell(cause?.Rule);
        yield return cause?.DeliveryId is { } delivery ? new Cell { CellValue = new CellValue(delivery.ToString(CultureInfo.InvariantCulture)), DataType = CellValues.Number } : new Cell();
        yield return row.LiftedAt is { } lifted ? DateCell(TimeZoneInfo.ConvertTime(lifted, zone).DateTime) : new Cell();
        yield return TextCell(row.LiftedBy);
        yield return TextCell(row.LiftReason);
    }

    private static Cell TextCell(string? text, uint style = 0U) => string.IsNullOrEmpty(text)
        ? new Cell { StyleIndex = style }
        : new Cell(new InlineString(new Text(BounceExcelWriter.Text(text)) { Space = SpaceProcessingModeValues.Preserve }))
        {
            DataType = CellValues.InlineString,
            StyleIndex = style,
        };

    private static Cell DateCell(DateTime date) =>
        new() { CellValue = new CellValue(date.ToOADate().ToString("R", CultureInfo.InvariantCulture)), StyleIndex = DateStyle };

    /// <summary>Style 0 plain, 1 bold (the header), 2 a date and time (<c>yyyy-mm-dd hh:mm:ss</c>).</summary>
    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164U, FormatCode = "yyyy-mm-dd hh:mm:ss" }) { Count = 1U },
        new Fonts(new Font(), new Font(new Bold())) { Count = 2U },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2U },
        new Borders(new Border()) { Count = 1U },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1U, ApplyFont = true },
            new CellFormat { NumberFormatId = 164U, ApplyNumberFormat = true })
        { Count = 3U });

    private static async Task<IResult> ExportAsync(HttpContext context, ISuppressionQueries queries, TimeProvider time, bool excel)
    {
        var query = context.Request.Query;
        var zone = TimeZoneInfo.Utc;
        string? tz = query["tz"];
        if (!string.IsNullOrWhiteSpace(tz) && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out zone))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["tz"] = [$"'{tz}' is not a time zone (use an IANA name such as Europe/Paris)."] },
                title: "The export's parameters are not valid.");
        }

        var view = SuppressionListView.Parse(query["q"], query["reason"], query["source"], query["from"], query["to"], query["lifted"]);
        var filter = view.ToFilter(zone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        var fileName = view.FileName(excel, today);
        var cancellationToken = context.RequestAborted;
        context.Response.Headers.CacheControl = "no-store";
        if (!excel)
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            return TypedResults.Stream(
                stream => WriteCsvAsync(queries.StreamAsync(filter, cancellationToken), zone, stream, cancellationToken),
                BounceExportRequest.CsvContentType,
                fileName);
        }

        // The package writes each part's sizes back, so it goes to a temporary file first (deleted when closed).
        var file = BounceReportExporter.CreateTemporaryFile();
        try
        {
            await WriteExcelAsync(queries.StreamAsync(filter, cancellationToken), zone, file, cancellationToken);
            file.Position = 0;
            return TypedResults.File(file, BounceExportRequest.XlsxContentType, fileName);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
