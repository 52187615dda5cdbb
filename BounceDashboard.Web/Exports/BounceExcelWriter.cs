using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using BounceDashboard.Web.Queries;
using ClosedXML.Excel;

namespace BounceDashboard.Web.Exports;

/// <summary>What an Excel export wrote.</summary>
public sealed record BounceExcelResult(long DetailRows, int SummaryRows, bool Truncated);

/// <summary>
/// Writes the report as an xlsx workbook: a "Summary" sheet (the filters, then the table the page shows) and a "Bounces"
/// sheet with one row per bounce, each with its header row frozen and auto-filtered and its column widths set.
/// </summary>
/// <remarks>
/// ClosedXML keeps every cell of a workbook in memory (about 8 s and 780 MB for 100,000 rows here), so it builds only the
/// small part: the summary, and the bounces sheet's header and one sample row whose cell styles the detail rows reuse.
/// That workbook is then copied into the destination zip entry by entry, except the bounces sheet, which is rewritten
/// with an <see cref="XmlWriter"/> streaming one row per bounce as the query yields it (inline strings, so no shared-string
/// table grows), and the workbook part, whose auto-filter range is set to the rows written. The destination must be
/// seekable (a file): the zip writes each entry's sizes back into its header.
/// </remarks>
public sealed class BounceExcelWriter
{
    /// <summary>The most rows an Excel sheet holds.</summary>
    public const int ExcelMaxRows = 1_048_576;

    /// <summary>The longest text an Excel cell holds.</summary>
    public const int ExcelMaxCellText = 32_767;

    private const string SummarySheet = "Summary";
    private const string DetailSheet = "Bounces";
    private const string DateFormat = "yyyy-mm-dd hh:mm:ss";
    private const string NotMatched = "(not matched to a send)";
    private const string LastDetailColumn = "I";
    private const int SummaryHeaderRow = 9;
    private const string WorkbookPart = "xl/workbook.xml";

    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    private static readonly string[] DetailColumns = ["A", "B", "C", "D", "E", "F", "G", "H", "I"];
    private static readonly double[] DetailWidths = [20, 26, 34, 30, 10, 18, 14, 90, 70];

    /// <summary>The most bounces the detail sheet holds: every row but the header's and the closing note's.</summary>
    public int MaxDetailRows { get; init; } = ExcelMaxRows - 2;

    public async Task<BounceExcelResult> WriteAsync(
        BounceExportRequest request,
        IAsyncEnumerable<BounceReportRow> summary,
        IAsyncEnumerable<BounceDetailRow> details,
        DateTimeOffset generatedAt,
        Stream destination,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(destination);

        using var template = new MemoryStream();
        var summaryRows = await WriteTemplateAsync(request, summary, generatedAt, template, cancellationToken);
        template.Position = 0;

        using var source = new ZipArchive(template, ZipArchiveMode.Read);
        var detailPart = FindSheetPart(source, DetailSheet);
        using var target = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        (long Rows, bool Truncated) written = default;
        foreach (var entry in source.Entries)
        {
            if (entry.FullName == detailPart)
            {
                written = await WriteDetailSheetAsync(entry, target, request.TimeZone, details, cancellationToken);
            }
            else if (entry.FullName != WorkbookPart)
            {
                await CopyAsync(entry, target, cancellationToken);
            }
        }

        var lastRow = written.Rows + 1 + (written.Truncated ? 1 : 0);
        WriteWorkbookPart(source.GetEntry(WorkbookPart)!, target, lastRow);
        return new BounceExcelResult(written.Rows, summaryRows, written.Truncated);
    }

    /// <summary>The workbook ClosedXML builds: the whole summary sheet, and the bounces sheet's header and sample row.</summary>
    private static async Task<int> WriteTemplateAsync(
        BounceExportRequest request, IAsyncEnumerable<BounceReportRow> rows, DateTimeOffset generatedAt, Stream destination, CancellationToken cancellationToken)
    {
        using var workbook = new XLWorkbook();
        var zone = request.TimeZone;
        var filter = request.Filter;

        var sheet = workbook.AddWorksheet(SummarySheet);
        sheet.Cell(1, 1).SetValue("Bounce report").Style.Font.SetBold().Font.SetFontSize(14);
        Label(2, "Received from", TimeZoneInfo.ConvertTime(filter.From, zone).DateTime);
        Label(3, "Received before", TimeZoneInfo.ConvertTime(filter.To, zone).DateTime);
        Label(4, "Campaign", filter.CampaignId is { } id ? string.Create(CultureInfo.InvariantCulture, $"Campaign {id}") : "All campaigns");
        Label(5, "Grouped by", request.GroupTitle);
        Label(6, "Time zone", zone.Id);
        Label(7, "Generated at", TimeZoneInfo.ConvertTime(generatedAt, zone).DateTime);

        string[] headers = [request.GroupTitle, "Bounce text", "Example", "Amount", "Hard/soft", "Reason"];
        double[] widths = [28, 70, 70, 10, 10, 18];
        for (var c = 0; c < headers.Length; c++)
        {
            sheet.Cell(SummaryHeaderRow, c + 1).SetValue(headers[c]).Style.Font.SetBold();
            sheet.Column(c + 1).Width = widths[c];
        }

        var row = SummaryHeaderRow;
        var limit = ExcelMaxRows - 1;
        await foreach (var item in rows.WithCancellation(cancellationToken))
        {
            if (row == limit)
            {
                sheet.Cell(++row, 1).SetValue("The report has more rows than an Excel sheet holds; the rest are not shown.");
                break;
            }

            row++;
            sheet.Cell(row, 1).SetValue(Text(item.Group ?? NotMatched));
            sheet.Cell(row, 2).SetValue(Text(item.Pattern));
            sheet.Cell(row, 3).SetValue(Text(item.Example));
            sheet.Cell(row, 4).SetValue(item.Amount);
            sheet.Cell(row, 5).SetValue(item.Hard ? "Hard" : "Soft");
            sheet.Cell(row, 6).SetValue(item.Reason.ToString());
        }

        sheet.Range(SummaryHeaderRow, 1, Math.Max(row, SummaryHeaderRow), headers.Length).SetAutoFilter();
        sheet.SheetView.FreezeRows(SummaryHeaderRow);

        var details = workbook.AddWorksheet(DetailSheet);
        string[] detailHeaders =
        [
            $"Received ({zone.Id})", request.GroupTitle, "Recipient", "Campaign", "Hard/soft", "Reason", "Enhanced status", "Diagnostic", "Bounce text",
        ];
        for (var c = 0; c < detailHeaders.Length; c++)
        {
            details.Cell(1, c + 1).SetValue(detailHeaders[c]).Style.Font.SetBold();
            details.Column(c + 1).Width = DetailWidths[c];

            // The sample row: its cells' styles are what the streamed rows use; the row itself is not copied.
            details.Cell(2, c + 1).SetValue("sample");
        }

        details.Cell(2, 1).SetValue(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified)).Style.NumberFormat.Format = DateFormat;
        details.Range(1, 1, 1, detailHeaders.Length).SetAutoFilter();
        details.SheetView.FreezeRows(1);

        workbook.SaveAs(destination);
        return row - SummaryHeaderRow;

        void Label(int r, string label, object value)
        {
            sheet.Cell(r, 1).SetValue(label).Style.Font.SetBold();
            var cell = sheet.Cell(r, 2);
            if (value is DateTime date)
            {
                cell.SetValue(date).Style.NumberFormat.Format = DateFormat;
                cell.Style.Alignment.SetHorizontal(XLAlignmentHorizontalValues.Left);
            }
            else
            {
                cell.SetValue(Text((string)value));
            }
        }
    }

    /// <summary>The bounces sheet: the template's XML with the sample row replaced by one row per bounce.</summary>
    private async Task<(long Rows, bool Truncated)> WriteDetailSheetAsync(
        ZipArchiveEntry templateEntry, ZipArchive target, TimeZoneInfo zone, IAsyncEnumerable<BounceDetailRow> details, CancellationToken cancellationToken)
    {
        XDocument template;
        await using (var input = templateEntry.Open())
        {
            template = await XDocument.LoadAsync(input, System.Xml.Linq.LoadOptions.None, cancellationToken);
        }

        var root = template.Root!;
        var sheetData = root.Element(Main + "sheetData")!;
        var headerRow = sheetData.Elements(Main + "row").First(r => (string?)r.Attribute("r") == "1");
        var sample = sheetData.Elements(Main + "row").First(r => (string?)r.Attribute("r") == "2");
        var styles = DetailColumns
            .Select(column => (string?)sample.Elements(Main + "c").FirstOrDefault(c => (string?)c.Attribute("r") == column + "2")?.Attribute("s"))
            .ToArray();

        long rows = 0;
        var truncated = false;
        var entry = target.CreateEntry(templateEntry.FullName, CompressionLevel.Fastest);
        await using (var output = entry.Open())
        {
            // Synchronous writes into the zip's deflate stream (the destination is a file); rows arrive asynchronously.
            using var xml = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CheckCharacters = false, CloseOutput = false });
            xml.WriteStartDocument(standalone: true);
            xml.WriteStartElement(root.GetPrefixOfNamespace(Main), root.Name.LocalName, Main.NamespaceName);
            foreach (var attribute in root.Attributes())
            {
                WriteAttribute(xml, attribute);
            }

            var cells = new string?[DetailColumns.Length];
            foreach (var element in root.Elements())
            {
                if (element.Name == Main + "sheetData")
                {
                    xml.WriteStartElement(root.GetPrefixOfNamespace(Main), "sheetData", Main.NamespaceName);
                    headerRow.WriteTo(xml);
                    var rowNumber = 1;
                    xml.Flush();
                    var rowWriter = new RawRowWriter(output, root.GetPrefixOfNamespace(Main), styles);
                    await foreach (var bounce in details.WithCancellation(cancellationToken))
                    {
                        if (rows == MaxDetailRows)
                        {
                            truncated = true;
                            Array.Clear(cells);
                            cells[0] = string.Create(
                                CultureInfo.InvariantCulture,
                                $"Stopped after {MaxDetailRows:N0} bounces: an Excel sheet holds at most {ExcelMaxRows:N0} rows. The CSV download has every bounce.");
                            await rowWriter.WriteAsync(++rowNumber, null, cells, cancellationToken);
                            break;
                        }

                        cells[1] = bounce.Group ?? NotMatched;
                        cells[2] = bounce.Recipient;
                        cells[3] = bounce.CampaignName ?? (bounce.CampaignId is { } id ? id.ToString(CultureInfo.InvariantCulture) : null);
                        cells[4] = bounce.Hard ? "Hard" : "Soft";
                        cells[5] = bounce.Reason.ToString();
                        cells[6] = bounce.EnhancedStatus;
                        cells[7] = bounce.Diagnostic;
                        cells[8] = bounce.Pattern;
                        await rowWriter.WriteAsync(++rowNumber, TimeZoneInfo.ConvertTime(bounce.ReceivedAt, zone).DateTime, cells, cancellationToken);
                        rows++;
                    }

                    await rowWriter.FlushAsync(cancellationToken);
                    xml.WriteEndElement();
                    continue;
                }

                // The dimension comes before the rows, when their number is not known yet: it is optional, so it goes
                // (readers that trust it would otherwise see the header only).
                if (element.Name == Main + "dimension")
                {
                    continue;
                }

                if (element.Name == Main + "autoFilter")
                {
                    element.SetAttributeValue("ref", string.Create(CultureInfo.InvariantCulture, $"A1:{LastDetailColumn}{rows + 1 + (truncated ? 1 : 0)}"));
                }

                element.WriteTo(xml);
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return (rows, truncated);
    }

    private static void WriteAttribute(XmlWriter xml, XAttribute attribute)
    {
        if (attribute.IsNamespaceDeclaration)
        {
            if (attribute.Name.Namespace == XNamespace.None)
            {
                xml.WriteAttributeString("xmlns", attribute.Value);
            }
            else
            {
                xml.WriteAttributeString("xmlns", attribute.Name.LocalName, null, attribute.Value);
            }

            return;
        }

        xml.WriteAttributeString(attribute.Name.LocalName, attribute.Name.NamespaceName, attribute.Value);
    }

    /// <summary>The workbook part with the bounces sheet's auto-filter name covering the rows written.</summary>
    private static void WriteWorkbookPart(ZipArchiveEntry templateEntry, ZipArchive target, long lastRow)
    {
        XDocument workbook;
        using (var input = templateEntry.Open())
        {
            workbook = XDocument.Load(input);
        }

        foreach (var name in workbook.Descendants(Main + "definedName"))
        {
            if ((string?)name.Attribute("name") == "_xlnm._FilterDatabase"
                && (name.Value.StartsWith(DetailSheet + "!", StringComparison.Ordinal) || name.Value.StartsWith($"'{DetailSheet}'!", StringComparison.Ordinal)))
            {
                name.Value = string.Create(CultureInfo.InvariantCulture, $"'{DetailSheet}'!$A$1:${LastDetailColumn}${lastRow}");
            }
        }

        var entry = target.CreateEntry(templateEntry.FullName, CompressionLevel.Fastest);
        using var output = entry.Open();
        workbook.Save(output, System.Xml.Linq.SaveOptions.DisableFormatting);
    }

    private static async Task CopyAsync(ZipArchiveEntry entry, ZipArchive target, CancellationToken cancellationToken)
    {
        var copy = target.CreateEntry(entry.FullName, CompressionLevel.Fastest);
        await using var input = entry.Open();
        await using var output = copy.Open();
        await input.CopyToAsync(output, cancellationToken);
    }

    /// <summary>The zip path of the worksheet named <paramref name="sheetName"/>, from the workbook part and its relationships.</summary>
    private static string FindSheetPart(ZipArchive package, string sheetName)
    {
        XDocument workbook, relationships;
        using (var input = package.GetEntry(WorkbookPart)!.Open())
        {
            workbook = XDocument.Load(input);
        }

        using (var input = package.GetEntry("xl/_rels/workbook.xml.rels")!.Open())
        {
            relationships = XDocument.Load(input);
        }

        var id = workbook.Descendants(Main + "sheet").Single(s => (string?)s.Attribute("name") == sheetName).Attribute(Relationships + "id")!.Value;
        var target = relationships.Descendants(PackageRelationships + "Relationship").Single(r => (string?)r.Attribute("Id") == id).Attribute("Target")!.Value;
        return target.StartsWith('/') ? target[1..] : "xl/" + target;
    }

    /// <summary>
    /// A text cell as Excel takes it: escaped against formula injection, characters XML cannot carry (control characters
    /// from a stranger's reply) replaced, and cut to Excel's cell limit.
    /// </summary>
    internal static string Text(string text)
    {
        var escaped = FormulaEscaping.Escape(text)!;
        StringBuilder? clean = null;
        for (var i = 0; i < escaped.Length; i++)
        {
            var c = escaped[i];
            var valid = XmlConvert.IsXmlChar(c)
                || (char.IsHighSurrogate(c) && i + 1 < escaped.Length && char.IsLowSurrogate(escaped[i + 1]));
            if (valid && char.IsHighSurrogate(c))
            {
                clean?.Append(c).Append(escaped[i + 1]);
                i++;
                continue;
            }

            if (!valid && clean is null)
            {
                clean = new StringBuilder(escaped.Length).Append(escaped, 0, i);
            }

            clean?.Append(valid ? c : '\uFFFD');
        }

        var result = clean?.ToString() ?? escaped;
        return result.Length > ExcelMaxCellText ? result[..ExcelMaxCellText] : result;
    }

    /// <summary>
    /// Writes detail rows as UTF-8 XML straight to the part's stream, about 32 KB at a time, between the XML writer's
    /// opening and closing of sheetData (it is flushed before and writes nothing meanwhile): per cell, an XML writer's
    /// element and namespace bookkeeping cost more than the text. Text is escaped here (formula injection, XML markup,
    /// characters XML cannot carry, Excel's cell limit).
    /// </summary>
    private sealed class RawRowWriter(Stream output, string? prefix, string?[] styles)
    {
        private const int FlushAt = 32 * 1024;

        private readonly StringBuilder _buffer = new(FlushAt + 4096);
        private readonly string _p = string.IsNullOrEmpty(prefix) ? "" : prefix + ":";
        private char[] _chars = new char[FlushAt + 4096];

        private byte[] _bytes = new byte[3 * (FlushAt + 4096)];

        public async ValueTask WriteAsync(int rowNumber, DateTime? received, string?[] cells, CancellationToken cancellationToken)
        {
            var b = _buffer;
            b.Append('<').Append(_p).Append("row r=\"").Append(rowNumber).Append("\">");
            if (received is { } date)
            {
                StartCell(0, rowNumber, styles[0]);
                Span<char> number = stackalloc char[32];
                date.ToOADate().TryFormat(number, out var length, "R", CultureInfo.InvariantCulture);
                b.Append("><").Append(_p).Append("v>").Append(number[..length]).Append("</").Append(_p).Append("v></").Append(_p).Append("c>");
            }

            for (var c = received is null ? 0 : 1; c < cells.Length; c++)
            {
                if (string.IsNullOrEmpty(cells[c]))
                {
                    continue;
                }

                // The date column's style is a date format: a note in that column is text with the default style.
                StartCell(c, rowNumber, c == 0 ? null : styles[c]);
                b.Append(" t=\"inlineStr\"><").Append(_p).Append("is><").Append(_p).Append("t xml:space=\"preserve\">");
                AppendText(b, cells[c]!);
                b.Append("</").Append(_p).Append("t></").Append(_p).Append("is></").Append(_p).Append("c>");
            }

            b.Append("</").Append(_p).Append("row>");
            if (b.Length >= FlushAt)
            {
                await FlushAsync(cancellationToken);
            }
        }

        /// <summary>Encodes the buffered rows (whole rows, so no surrogate pair is split) and writes them.</summary>
        public async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            var length = _buffer.Length;
            if (length == 0)
            {
                return;
            }

            if (_chars.Length < length)
            {
                _chars = new char[length];
                _bytes = new byte[3 * length];
            }

            _buffer.CopyTo(0, _chars, 0, length);
            var count = Encoding.UTF8.GetBytes(_chars, 0, length, _bytes, 0);
            await output.WriteAsync(_bytes.AsMemory(0, count), cancellationToken);
            _buffer.Clear();
        }

        private void StartCell(int column, int rowNumber, string? style)
        {
            _buffer.Append('<').Append(_p).Append("c r=\"").Append(DetailColumns[column]).Append(rowNumber).Append('"');
            if (style is not null)
            {
                _buffer.Append(" s=\"").Append(style).Append('"');
            }
        }

        private static void AppendText(StringBuilder b, string text)
        {
            if (FormulaEscaping.NeedsEscaping(text))
            {
                b.Append('\'');
            }

            var limit = Math.Min(text.Length, ExcelMaxCellText - (FormulaEscaping.NeedsEscaping(text) ? 1 : 0));
            for (var i = 0; i < limit; i++)
            {
                var c = text[i];
                switch (c)
                {
                    case '&': b.Append("&amp;"); break;
                    case '<': b.Append("&lt;"); break;
                    case '>': b.Append("&gt;"); break;
                    case '\r': b.Append("&#xD;"); break;
                    case >= ' ' and < '\uD800':
                    case '\t' or '\n':
                        b.Append(c);
                        break;
                    case >= '\uD800' and <= '\uDBFF' when i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]):
                        b.Append(c).Append(text[++i]);
                        break;
                    case >= '\uE000' and <= '\uFFFD':
                        b.Append(c);
                        break;
                    default:
                        b.Append('\uFFFD');
                        break;
                }
            }
        }
    }
}
