using BounceDashboard.Domain.Suppression;

// The folder is Imports, as the other areas are named for what they hold; this C#-only app has no VB callers.
#pragma warning disable CA1716
namespace BounceDashboard.Web.Imports;
#pragma warning restore CA1716

/// <summary>Which column holds the address (required) and which the reason (optional: else the reason typed for the file).</summary>
public sealed record SuppressionColumnMapping(int? EmailColumn, int? ReasonColumn);

/// <summary>What the import does with one row.</summary>
public enum SuppressionImportOutcome
{
    /// <summary>Put on the list (reason Imported).</summary>
    Suppress = 0,
    /// <summary>Skipped: an entry is already in force for the address.</summary>
    AlreadySuppressed = 1,
    /// <summary>Skipped: not a valid address.</summary>
    InvalidAddress = 2,
    /// <summary>Skipped: the address is on an earlier row.</summary>
    DuplicateInFile = 3,
    /// <summary>Skipped: no reason in the row and none typed for the file.</summary>
    NoReason = 4,
    /// <summary>Skipped: the reason is longer than an entry's note may be.</summary>
    ReasonTooLong = 5,
}

/// <summary>One row of the preview: the address as written and normalised, the reason it would carry, and what happens.</summary>
public sealed record SuppressionImportRow(int Line, string RawEmail, string? Email, string? Reason, SuppressionImportOutcome Outcome, string Note)
{
    public bool IsSuppressed => Outcome == SuppressionImportOutcome.Suppress;
}

/// <summary>What an import would do, row by row, before anything is written.</summary>
public sealed record SuppressionImportPreview(IReadOnlyList<SuppressionImportRow> Rows)
{
    public int ToSuppress => Rows.Count(r => r.IsSuppressed);

    public int AlreadySuppressed => Rows.Count(r => r.Outcome == SuppressionImportOutcome.AlreadySuppressed);

    public int Errors => Rows.Count(r => r.Outcome is not (SuppressionImportOutcome.Suppress or SuppressionImportOutcome.AlreadySuppressed));
}

/// <summary>
/// A suppression list read from CSV. The file is read by <see cref="ContactCsvImport"/> (same formats, same errors for a
/// file that cannot be read, the same address checks); this adds the reason column and the rows' reasons.
/// </summary>
public static class SuppressionCsvImport
{
    private static readonly string[] ReasonHeaders = ["reason", "note", "comment", "why", "grund", "raison"];

    /// <summary>Proposes the address column as the contact import does, and a reason column from a header such as "Reason".</summary>
    public static SuppressionColumnMapping ProposeMapping(ContactCsvFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var email = ContactCsvImport.ProposeMapping(file).EmailColumn;
        int? reason = null;
        if (file.HasHeader)
        {
            for (var i = 0; i < file.Columns.Count && reason is null; i++)
            {
                if (i != email && ReasonHeaders.Contains(file.Columns[i].Trim(), StringComparer.OrdinalIgnoreCase))
                {
                    reason = i;
                }
            }
        }

        return new SuppressionColumnMapping(email, reason);
    }

    /// <summary>Why the mapping cannot be used on this file, or null when it can.</summary>
    public static string? CheckMapping(ContactCsvFile file, SuppressionColumnMapping mapping, string? fileReason)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(mapping);
        if (ContactCsvImport.CheckMapping(file, new ContactColumnMapping(mapping.EmailColumn, null)) is { } error)
        {
            return error.Replace("contacts", "addresses", StringComparison.Ordinal);
        }

        if (mapping.ReasonColumn is { } reason && (reason < 0 || reason >= file.Columns.Count || reason == mapping.EmailColumn))
        {
            return "The reason column must be another column of the file than the address.";
        }

        if (mapping.ReasonColumn is null && string.IsNullOrWhiteSpace(fileReason))
        {
            return "Type a reason for this file (the file has no reason column): it is kept with every address and in the audit log.";
        }

        return fileReason is { Length: > SuppressionEntry.NoteMaxLength }
            ? $"The reason for the file is longer than {SuppressionEntry.NoteMaxLength} characters."
            : null;
    }

    /// <summary>Checks every row on its own (no database): a valid address, not on an earlier row, a reason that fits.</summary>
    public static IReadOnlyList<SuppressionImportRow> Check(ContactCsvFile file, SuppressionColumnMapping mapping, string? fileReason)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(mapping);
        var candidates = ContactCsvImport.Check(file, new ContactColumnMapping(mapping.EmailColumn, null));
        var rowsByLine = file.Rows.ToDictionary(r => r.Line);
        var fallback = string.IsNullOrWhiteSpace(fileReason) ? null : fileReason.Trim();
        var rows = new List<SuppressionImportRow>(candidates.Count);
        foreach (var candidate in candidates)
        {
            var cell = mapping.ReasonColumn is { } column ? rowsByLine[candidate.Line].Field(column) : null;
            var reason = string.IsNullOrWhiteSpace(cell) ? fallback : cell.Trim();
            rows.Add(candidate.Problem switch
            {
                ContactRowProblem.InvalidAddress => new SuppressionImportRow(candidate.Line, candidate.RawEmail, null, reason, SuppressionImportOutcome.InvalidAddress,
                    string.IsNullOrWhiteSpace(candidate.RawEmail) ? "Skipped: no address in this row." : "Skipped: not a valid e-mail address."),
                ContactRowProblem.DuplicateInFile => new SuppressionImportRow(candidate.Line, candidate.RawEmail, candidate.Email, reason, SuppressionImportOutcome.DuplicateInFile,
                    "Skipped: the same address is on an earlier row of the file."),
                _ when reason is null => new SuppressionImportRow(candidate.Line, candidate.RawEmail, candidate.Email, null, SuppressionImportOutcome.NoReason,
                    "Skipped: no reason in this row, and none typed for the file."),
                _ when reason.Length > SuppressionEntry.NoteMaxLength => new SuppressionImportRow(candidate.Line, candidate.RawEmail, candidate.Email, reason,
                    SuppressionImportOutcome.ReasonTooLong, $"Skipped: the reason is longer than {SuppressionEntry.NoteMaxLength} characters."),
                _ => new SuppressionImportRow(candidate.Line, candidate.RawEmail, candidate.Email, reason, SuppressionImportOutcome.Suppress, "Will be suppressed."),
            });
        }

        return rows;
    }
}
