using System.Globalization;
using System.Text;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;

// The folder is Imports, as the other areas are named for what they hold; this C#-only app has no VB callers.
#pragma warning disable CA1716
namespace BounceDashboard.Web.Imports;
#pragma warning restore CA1716

/// <summary>A CSV file read into memory: its columns (from the header, or numbered when it has none) and its rows.</summary>
/// <param name="Columns">One name per column.</param>
/// <param name="HasHeader">False when the first line already held an address, so it was read as data.</param>
/// <param name="Separator">The separator found in the first line: comma, semicolon or tab.</param>
/// <param name="Rows">The data rows, each with its line number in the file (1 is the first line).</param>
public sealed record ContactCsvFile(IReadOnlyList<string> Columns, bool HasHeader, char Separator, IReadOnlyList<ContactCsvRow> Rows);

/// <summary>One data row and the file line it starts on.</summary>
public sealed record ContactCsvRow(int Line, IReadOnlyList<string> Fields)
{
    /// <summary>The field in <paramref name="column"/>, or an empty string when the row is shorter.</summary>
    public string Field(int column) => column >= 0 && column < Fields.Count ? Fields[column] : string.Empty;
}

/// <summary>Which column holds the address (required) and which the name (optional).</summary>
public sealed record ContactColumnMapping(int? EmailColumn, int? NameColumn);

/// <summary>The outcome of reading a file: the file, or why it cannot be imported at all (nothing is written then).</summary>
public sealed record ContactCsvReadResult(ContactCsvFile? File, string? Error)
{
    public bool Succeeded => File is not null;

    public static ContactCsvReadResult Fail(string error) => new(null, error);
}

/// <summary>What is wrong with a row on its own, before the database is asked. Stored nowhere; shown and downloaded.</summary>
public enum ContactRowProblem
{
    None = 0,
    /// <summary>The address cell does not hold a valid address (Domain <see cref="EmailAddress"/> rules).</summary>
    InvalidAddress = 1,
    /// <summary>The same address (after normalisation) appeared on an earlier row of the file.</summary>
    DuplicateInFile = 2,
    /// <summary>The name is longer than a contact's display name may be.</summary>
    NameTooLong = 3,
}

/// <summary>One row checked on its own: the normalised address when valid, the name, and its problem if any.</summary>
public sealed record ContactCsvCandidate(int Line, string RawEmail, string? Email, string? Name, ContactRowProblem Problem);

/// <summary>
/// Reads a contact CSV file and checks each row on its own (pure: no database). A file that cannot be read as a
/// whole (empty, not text, not UTF-8, an unclosed quote, no column to take addresses from) gives an error that says
/// why, and nothing is imported from it. RFC 4180 fields: quoted fields may hold separators, doubled quotes and line
/// breaks. The separator is the one (comma, semicolon or tab) the first line uses most outside quotes; a UTF-8 byte
/// order mark is skipped. A small reader of our own rather than CsvHelper 34's reader, because the import has to
/// tell a structural error apart (strict UTF-8 decoding, an unclosed quote, the line it started on) and sniff the
/// separator, which a record mapper does not report.
/// </summary>
public static class ContactCsvImport
{
    /// <summary>The largest file accepted (the page checks it before reading).</summary>
    public const long MaxFileBytes = 20 * 1024 * 1024;

    private static readonly string[] EmailHeaders = ["email", "e-mail", "email address", "e-mail address", "emailaddress", "mail", "address", "courriel", "e-mail-adresse"];
    private static readonly string[] NameHeaders = ["name", "full name", "fullname", "display name", "displayname", "contact name", "contact", "first name", "firstname"];
    private static readonly char[] Separators = [',', ';', '\t'];

    /// <summary>Reads <paramref name="content"/> (the whole file) into columns and rows, or says why it cannot.</summary>
    public static ContactCsvReadResult Read(ReadOnlySpan<byte> content)
    {
        if (content.Length > MaxFileBytes)
        {
            return ContactCsvReadResult.Fail($"The file is larger than {MaxFileBytes / (1024 * 1024)} MB. Split it into smaller files.");
        }

        if (content.StartsWith(Encoding.UTF8.Preamble))
        {
            content = content[Encoding.UTF8.Preamble.Length..];
        }

        if (content.Length >= 2 && ((content[0] == 0xFF && content[1] == 0xFE) || (content[0] == 0xFE && content[1] == 0xFF)))
        {
            return ContactCsvReadResult.Fail("The file is saved as UTF-16. Save it as CSV UTF-8 and upload it again.");
        }

        if (content.Contains((byte)0))
        {
            return ContactCsvReadResult.Fail("This is not a CSV file: it holds binary data. Upload a text file with one contact per line.");
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return ContactCsvReadResult.Fail(
                "The file is not UTF-8 (it may be saved as Windows-1252 or Latin-1). Save it as CSV UTF-8 and upload it again.");
        }

        return Read(text);
    }

    /// <summary>Reads CSV text into columns and rows, or says why it cannot.</summary>
    public static ContactCsvReadResult Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            return ContactCsvReadResult.Fail("The file is empty. Upload a CSV file with a header row and one contact per line.");
        }

        var separator = SniffSeparator(text);
        var records = new List<ContactCsvRow>();
        var error = Tokenize(text, separator, records);
        if (error is not null)
        {
            return ContactCsvReadResult.Fail(error);
        }

        if (records.Count == 0)
        {
            return ContactCsvReadResult.Fail("The file is empty. Upload a CSV file with a header row and one contact per line.");
        }

        var first = records[0];
        var width = records.Max(r => r.Fields.Count);
        var hasHeader = !first.Fields.Any(f => EmailAddress.TryNormalize(f, out _));
        var columns = hasHeader
            ? Enumerable.Range(0, width).Select(i => HeaderName(first.Field(i), i)).ToList()
            : Enumerable.Range(0, width).Select(i => ColumnNumber(i)).ToList();
        var rows = hasHeader ? records.Skip(1).ToList() : records;
        return new ContactCsvReadResult(new ContactCsvFile(columns, hasHeader, separator, rows), null);
    }

    /// <summary>
    /// Proposes the columns: the address from a header such as "Email" (else the column whose first rows are mostly
    /// addresses), the name from a header such as "Name". The user may change either before the preview.
    /// </summary>
    public static ContactColumnMapping ProposeMapping(ContactCsvFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        int? email = null;
        int? name = null;
        if (file.HasHeader)
        {
            email = FindHeader(file.Columns, EmailHeaders);
            name = FindHeader(file.Columns, NameHeaders);
        }

        if (email is null)
        {
            var sample = file.Rows.Take(50).ToList();
            var best = Enumerable.Range(0, file.Columns.Count)
                .Select(i => (Column: i, Valid: sample.Count(r => EmailAddress.TryNormalize(r.Field(i), out _))))
                .Where(c => c.Valid > 0 && c.Valid * 2 >= sample.Count)
                .OrderByDescending(c => c.Valid)
                .FirstOrDefault();
            email = best.Valid > 0 ? best.Column : null;
        }

        return new ContactColumnMapping(email, name == email ? null : name);
    }

    /// <summary>Why the mapping cannot be used on this file, or null when it can.</summary>
    public static string? CheckMapping(ContactCsvFile file, ContactColumnMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(mapping);
        if (mapping.EmailColumn is not { } email || email < 0 || email >= file.Columns.Count)
        {
            return "Choose the column that holds the e-mail addresses: no column of this file was recognised as one.";
        }

        if (mapping.NameColumn is { } name && (name < 0 || name >= file.Columns.Count || name == email))
        {
            return "The name column must be another column of the file than the address.";
        }

        return file.Rows.Count == 0 ? "The file has a header but no contacts." : null;
    }

    /// <summary>Checks every row on its own: a valid address, not seen on an earlier row, a name that fits.</summary>
    public static IReadOnlyList<ContactCsvCandidate> Check(ContactCsvFile file, ContactColumnMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(mapping);
        var emailColumn = mapping.EmailColumn ?? throw new ArgumentException("The mapping has no address column.", nameof(mapping));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var candidates = new List<ContactCsvCandidate>(file.Rows.Count);
        foreach (var row in file.Rows)
        {
            var raw = row.Field(emailColumn);
            var name = mapping.NameColumn is { } nameColumn ? Blank(row.Field(nameColumn)) : null;
            if (!EmailAddress.TryNormalize(raw, out var email))
            {
                candidates.Add(new ContactCsvCandidate(row.Line, raw, null, name, ContactRowProblem.InvalidAddress));
            }
            else if (!seen.Add(email))
            {
                candidates.Add(new ContactCsvCandidate(row.Line, raw, email, name, ContactRowProblem.DuplicateInFile));
            }
            else if (name is { Length: > Contact.DisplayNameMaxLength })
            {
                candidates.Add(new ContactCsvCandidate(row.Line, raw, email, name, ContactRowProblem.NameTooLong));
            }
            else
            {
                candidates.Add(new ContactCsvCandidate(row.Line, raw, email, name, ContactRowProblem.None));
            }
        }

        return candidates;
    }

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static int? FindHeader(IReadOnlyList<string> columns, string[] names)
    {
        foreach (var name in names)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (string.Equals(columns[i].Trim(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }

        return null;
    }

    private static string HeaderName(string header, int index) =>
        string.IsNullOrWhiteSpace(header) ? ColumnNumber(index) : header.Trim();

    private static string ColumnNumber(int index) => "Column " + (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The separator the first line uses most, outside quotes; a comma when it uses none (one column).</summary>
    private static char SniffSeparator(string text)
    {
        var counts = new int[Separators.Length];
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\r' or '\n')
            {
                break;
            }
            else if (!quoted && Array.IndexOf(Separators, c) is var i and >= 0)
            {
                counts[i]++;
            }
        }

        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return Separators[best];
    }

    /// <summary>RFC 4180 records; blank lines are skipped. Returns an error for an unclosed quote.</summary>
    private static string? Tokenize(string text, char separator, List<ContactCsvRow> records)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var quoteLine = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                i++;
                continue;
            }

            if (c == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = true;
                quoteLine = line;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(field.ToString());
                field.Clear();
                AddRecord(records, fields, recordLine);
                fields = [];
                line++;
                recordLine = line;
            }
            else
            {
                field.Append(c);
            }

            i++;
        }

        if (quoted)
        {
            return $"A quoted field that starts on line {quoteLine} is never closed (a missing \"). Fix the file and upload it again.";
        }

        fields.Add(field.ToString());
        AddRecord(records, fields, recordLine);
        return null;
    }

    private static void AddRecord(List<ContactCsvRow> records, List<string> fields, int line)
    {
        if (fields.TrueForAll(string.IsNullOrWhiteSpace))
        {
            return;
        }

        records.Add(new ContactCsvRow(line, fields));
    }
}
