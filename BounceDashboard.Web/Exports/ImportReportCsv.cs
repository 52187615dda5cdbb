using System.Globalization;
using BounceDashboard.Web.Commands;
using CsvHelper;

namespace BounceDashboard.Web.Exports;

/// <summary>
/// The import's per-row report as CSV (UTF-8, header row): every row of the file with what the import does with it
/// and why. Addresses and names come from the uploaded file, so every text cell goes through <see cref="FormulaEscaping"/>.
/// </summary>
public static class ImportReportCsv
{
    public static readonly string[] Header = ["line", "email", "name", "result", "note"];

    /// <summary>"import-report-spring-list.csv" from "spring-list.csv".</summary>
    public static string FileName(string uploadedName)
    {
        var stem = Path.GetFileNameWithoutExtension(uploadedName ?? string.Empty);
        return "import-report-" + (string.IsNullOrWhiteSpace(stem) ? "contacts" : stem) + ".csv";
    }

    public static void Write(ImportPreview preview, Stream output)
    {
        ArgumentNullException.ThrowIfNull(preview);
        using var csv = CsvWriter.Create(output, new CsvWriterOptions { NewLine = "\r\n" }, leaveOpen: true);
        csv.WriteHeader(Header);
        foreach (var row in preview.Rows)
        {
            csv.WriteField(row.Line.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(FormulaEscaping.Escape(row.RawEmail) ?? string.Empty);
            csv.WriteField(FormulaEscaping.Escape(row.Name) ?? string.Empty);
            csv.WriteField(ResultOf(row.Outcome));
            csv.WriteField(FormulaEscaping.Escape(row.Note) ?? string.Empty);
            csv.EndRecord();
        }

        csv.Flush();
    }

    /// <summary>The short result word of a row, as the preview shows it.</summary>
    public static string ResultOf(ImportRowOutcome outcome) => outcome switch
    {
        ImportRowOutcome.Import => "import",
        ImportRowOutcome.ImportNotSendable => "import, not sendable",
        ImportRowOutcome.AlreadyMember => "already a member",
        ImportRowOutcome.InvalidAddress => "skipped: invalid address",
        ImportRowOutcome.DuplicateInFile => "skipped: duplicate in file",
        ImportRowOutcome.NameTooLong => "skipped: name too long",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown import outcome."),
    };
}
