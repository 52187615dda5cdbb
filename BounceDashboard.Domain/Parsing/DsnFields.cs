using MimeKit;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Reads RFC 3464 §2.3 per-recipient fields (Final-Recipient, Action, Status, Diagnostic-Code, Remote-MTA) from
/// header groups, whether they came from a message/delivery-status part or from fields quoted in a text notice.
/// </summary>
public sealed class DsnFields
{
    /// <summary>Adds one evidence entry per recipient group.</summary>
    public void ReadGroups(IEnumerable<HeaderList> groups, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(recipients);
        string? reportingMta = null;
        foreach (var group in groups)
        {
            // RFC 3464 §2.2: the first group holds per-message fields (Reporting-MTA, Arrival-Date, ...).
            reportingMta ??= AfterType(RawHeader.Value(group, "Reporting-MTA"));
            var final = RawHeader.Value(group, "Final-Recipient") ?? RawHeader.Value(group, "Original-Recipient")
                ?? RawHeader.Value(group, "X-Actual-Recipient");
            if (final is null)
            {
                continue;
            }

            var diagnosticCode = RawHeader.Value(group, "Diagnostic-Code");
            var diagnostic = AfterType(diagnosticCode);
            var evidence = new RecipientEvidence
            {
                Address = Address(AfterType(final)),
                OriginalRecipient = RawHeader.Value(group, "Original-Recipient"),
                Action = ParseAction(RawHeader.Value(group, "Action")),
                Status = FirstToken(RawHeader.Value(group, "Status")),
                Diagnostic = diagnostic,
                RemoteMta = AfterType(RawHeader.Value(group, "Remote-MTA")) ?? reportingMta,
            };
            evidence.CommandFrom(() => CommandFinder.Find(diagnostic));

            // RFC 3464 §2.3.6 diagnostic-type "X-Unix": the local delivery program (procmail, a pipe) failed (what it
            // means, with or without an X.3.x status: the classifier's table of format codes).
            if (diagnosticCode is { } code && code.TrimStart().StartsWith("x-unix", StringComparison.OrdinalIgnoreCase))
            {
                evidence.Explicit = new ExplicitClass("diagnostic-type", "x-unix");
            }
            else if (diagnosticCode is { } untyped && !untyped.Contains(';', StringComparison.Ordinal)
                && untyped.TrimStart() is var value && (value.Length < 3 || !char.IsAsciiDigit(value[0])))
            {
                // No diagnostic-type and no SMTP reply code: the text is the reporter's own words, which say nothing
                // of the SMTP stage the recipient was refused at.
                evidence.StageUnknown = true;
            }
            recipients.Add(evidence);
        }
    }

    /// <summary>
    /// "Name: value" lines (with folded continuations) grouped at blank lines: report fields quoted in a notice
    /// (<paramref name="fromFirstReportField"/>: from the first RFC 3464 field on), or a delivery-status part MimeKit
    /// could not split. Lenient per field: a field whose name MimeKit refuses ("Détails:"), or whose value it cannot
    /// parse (a quoted "Content-Type:"), is left out and the rest of its group kept.
    /// </summary>
    public static List<HeaderList> TextGroups(string text, bool fromFirstReportField)
    {
        ArgumentNullException.ThrowIfNull(text);
        var groups = new List<HeaderList>();
        HeaderList? current = null;
        string? name = null;
        var value = new System.Text.StringBuilder();
        var started = !fromFirstReportField;

        void Flush()
        {
            if (name is not null && current is not null && RefusedFields.IsFieldName(name))
            {
                try
                {
                    current.Add(name, value.ToString().Trim());
                }
                catch (FormatException)
                {
                    // MimeKit parses the values of some fields it knows (Content-Type, ...): this one's is malformed.
                }
            }

            name = null;
            value.Clear();
        }

        foreach (var raw in NoticeReader.Lines(text))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0)
            {
                Flush();
                current = null;
                continue;
            }

            if (name is not null && line[0] is ' ' or '\t')
            {
                value.Append(' ').Append(line.Trim());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon > 0 ? line[..colon].Trim() : string.Empty;
            if (colon <= 0 || field.Length > 40 || field.Contains(' ', StringComparison.Ordinal))
            {
                Flush();
                if (started)
                {
                    current = null;
                }

                continue;
            }

            started |= field.Equals("Reporting-MTA", StringComparison.OrdinalIgnoreCase)
                || field.Equals("Final-Recipient", StringComparison.OrdinalIgnoreCase)
                || field.Equals("Original-Recipient", StringComparison.OrdinalIgnoreCase)
                || field.Equals("Action", StringComparison.OrdinalIgnoreCase);
            if (!started)
            {
                continue;
            }

            Flush();
            if (current is null)
            {
                current = [];
                groups.Add(current);
            }

            // A refused name is kept until its continuation lines are read, then left out (see Flush).
            name = field;
            value.Append(line[(colon + 1)..]);
        }

        Flush();
        return groups;
    }

    /// <summary>RFC 3464 §2.3.3 action values mapped to the enum once.</summary>
    public static DeliveryAction ParseAction(string? value)
    {
        var v = value.AsSpan().Trim();
        if (v.IsEmpty)
        {
            return DeliveryAction.Failed;
        }

        if (v.StartsWith("fail", StringComparison.OrdinalIgnoreCase))
        {
            return DeliveryAction.Failed;
        }

        if (v.StartsWith("delay", StringComparison.OrdinalIgnoreCase))
        {
            return DeliveryAction.Delayed;
        }

        if (v.StartsWith("deliver", StringComparison.OrdinalIgnoreCase))
        {
            return DeliveryAction.Delivered;
        }

        if (v.StartsWith("relay", StringComparison.OrdinalIgnoreCase))
        {
            return DeliveryAction.Relayed;
        }

        if (v.StartsWith("expand", StringComparison.OrdinalIgnoreCase))
        {
            return DeliveryAction.Expanded;
        }

        // Non-standard values seen in the wild ("expired", "undeliverable") are failures.
        return DeliveryAction.Failed;
    }

    /// <summary>The part after "type;" (RFC 3464 address-type / diagnostic-type / mta-name-type).</summary>
    public static string? AfterType(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var semi = value.IndexOf(';', StringComparison.Ordinal);
        var rest = (semi >= 0 && semi < 16 ? value.AsSpan(semi + 1) : value.AsSpan()).Trim();
        return rest.IsEmpty ? null : rest.Length == value.Length ? value : rest.ToString();
    }

    /// <summary>A bare address: angle brackets, quotes and trailing dots removed, domain lower-cased.</summary>
    public static string Address(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        // Spans until the end: one string is built, not one per trim and cut.
        var v = value.AsSpan().Trim();
        var lt = v.IndexOf('<');
        if (lt >= 0)
        {
            var gt = v[(lt + 1)..].IndexOf('>');
            v = gt >= 0 ? v.Slice(lt + 1, gt) : v[(lt + 1)..];
        }

        var space = v.IndexOfAny(" \t,");
        if (space > 0)
        {
            v = v[..space];
        }

        v = v.Trim("\"'.:;()[]");
        var at = v.LastIndexOf('@');
        if (at <= 0)
        {
            return v.Length == value.Length ? value : v.ToString();
        }

        var domain = v[(at + 1)..];
        if (System.Text.Ascii.IsValid(domain) && !domain.ContainsAnyInRange('A', 'Z'))
        {
            return v.Length == value.Length ? value : v.ToString();
        }

        return string.Concat(v[..(at + 1)], domain.ToString().ToLowerInvariant());
    }

    private static string? FirstToken(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var v = value.AsSpan().Trim();
        var space = v.IndexOfAny(" \t(");
        v = space > 0 ? v[..space] : v;
        return v.Length == value.Length ? value : v.ToString();
    }
}
