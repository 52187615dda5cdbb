using System.Buffers;
using System.Text.RegularExpressions;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Reads the human-readable part of a non-standard failure notice: cuts it where the returned message begins,
/// finds the lines that name a failed recipient, and takes the text under each as its diagnostic.
/// Shared by the MTA-family formats, which differ in where they start looking and how they mark recipients.
/// </summary>
public sealed partial class NoticeReader
{
    /// <summary>Most lines of notice examined (notices are short; the rest is the returned message).</summary>
    public const int MaxLines = 400;

    /// <summary>Most diagnostic lines kept per recipient.</summary>
    public const int MaxDiagnosticLines = 12;

    /// <summary>Lines where the returned message (or its headers) begins; the notice ends there.</summary>
    private static readonly string[] ReturnedMarkers =
    [
        "------ this is a copy of the message", "--- below this line is a copy of the message",
        "message headers follow", "----- original message -----", "------- original message -------",
        "original message follows", "--- the header of the original message is following",
        "-----original message-----", "------ this is a copy of your message", "----- message header follows -----",
        "original mail as follows", "------ original message headers", "--- original message follows",
        "------ the original message", "received: from", "return-path:", "content-type: message/rfc822",
        "----- the header of the original message", "the original message was received", "--- copy of the message",
        "----- unsent message follows -----", "----- original message headers -----", "original message:",
        "------ original message -------", "--- original message header", "----- a copy of the original message",
    ];

    private static readonly SearchValues<string> MarkerSearch =
        SearchValues.Create(ReturnedMarkers, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The notice up to the start of the returned message: the first marker at the start of a line (after the
    /// first line), found in one vectorised pass.
    /// </summary>
    public string Section(string text, int start = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        start = Math.Clamp(start, 0, text.Length);
        var span = text.AsSpan(start);
        var offset = 0;
        while (offset < span.Length)
        {
            var i = span[offset..].IndexOfAny(MarkerSearch);
            if (i < 0)
            {
                break;
            }

            var p = offset + i;
            var q = p - 1;
            while (q >= 0 && span[q] is ' ' or '\t' or '\r')
            {
                q--;
            }

            if (q >= 0 && span[q] == '\n')
            {
                return text.Substring(start, q + 1);
            }

            offset = p + 1;
        }

        return start == 0 ? text : text[start..];
    }

    /// <summary>
    /// The fixed sentences of Postfix's bounce(8) template, which wrap every notice it sends and say nothing about
    /// why delivery failed; a notice made only of them names no reason.
    /// </summary>
    private static readonly string[] Boilerplate =
    [
        "This is the mail system at host", "I'm sorry to have to inform you that your message could not",
        "be delivered to one or more recipients.", "For further assistance, please send mail to",
        "If you do so, please include this problem report.", "delete your own text from the attached returned message.",
        "This is a MIME-encapsulated message.",
    ];

    /// <summary>Whole lines of the same template: the heading over the recipient list and its empty-report marker.</summary>
    private static readonly string[] BoilerplateLines = ["The mail system", "--- Delivery report unavailable ---"];

    /// <summary>True for a line of the Postfix notice template (<see cref="Boilerplate"/>).</summary>
    public static bool IsBoilerplate(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = line.AsSpan().Trim();
        foreach (var sentence in Boilerplate)
        {
            if (trimmed.StartsWith(sentence, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var whole in BoilerplateLines)
        {
            if (trimmed.Equals(whole, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Splits into lines without the trailing CR.</summary>
    public static List<string> Lines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<string>(Math.Min(text.AsSpan().Count('\n') + 1, MaxLines));
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan()[range].TrimEnd('\r');
            list.Add(line.ToString());
            if (list.Count >= MaxLines)
            {
                break;
            }
        }

        return list;
    }

    /// <summary>
    /// The address a line names, when the line is essentially just an address: "  user@example.org",
    /// "&lt;user@example.org&gt;:", "\"user@example.org\":", "&gt;&gt;&gt; user@example.org", "user@example.org on date".
    /// </summary>
    public string? AddressLine(string line) => AddressLine(line, out _);

    /// <summary>As <see cref="AddressLine(string)"/>; "&lt;a@b&gt;: 550 ..." also gives the text after the colon.</summary>
    public string? AddressLine(string line, out string inline)
    {
        inline = string.Empty;
        if (line.Length > 200 || line.IndexOf('@', StringComparison.Ordinal) < 0)
        {
            return null;
        }

        var m = AddressLineRegex().Match(line);
        if (!m.Success)
        {
            // "Unknown user: a@example.com", "user mailbox exceeds allowed size: b@example.com" (IMail): a reason of a few
            // words, a colon, and the address alone.
            var labelled = ReasonLabelRegex().Match(line);
            if (labelled.Success && NamesFailure(labelled.Groups[1].Value))
            {
                inline = labelled.Groups[1].Value.Trim();
                return DsnFields.Address(labelled.Groups[2].Value);
            }

            return null;
        }

        var rest = m.Groups[3].Value.Trim();
        if (m.Groups[2].Success && rest.Length > 0)
        {
            // "address: reply" on one line (OpenSMTPD, MXLogic, Postfix-style summaries).
            inline = rest;
            return DsnFields.Address(m.Groups[1].Value);
        }

        // "user@example.org Invalid Address, ERROR_CODE :550" (Zoho) or "user@example.org [User unknown]" (X1):
        // the address opens the line and the rest is the error.
        if (rest.Length > 0 && m.Groups[1].Index <= 4 && (rest.Contains("error", StringComparison.OrdinalIgnoreCase)
            || rest.StartsWith('[') || rest.Contains("invalid", StringComparison.OrdinalIgnoreCase)))
        {
            inline = rest;
            return DsnFields.Address(m.Groups[1].Value);
        }

        // "<user@example.org> (expanded from <alias@example.org>): host ... said: 550 ..." (Postfix) and
        // "user@example.org (user not found)" (GroupWise): the reply after the comment, or the comment itself.
        if (rest.StartsWith('(') && rest.IndexOf(')', StringComparison.Ordinal) is var close and > 1 && m.Groups[1].Index <= 8)
        {
            var after = rest[(close + 1)..].Trim();
            if (after.Length > 1 && after[0] == ':')
            {
                inline = after[1..].Trim();
                return DsnFields.Address(m.Groups[1].Value);
            }

            if (after.Length == 0 && !rest.StartsWith("(expanded from", StringComparison.OrdinalIgnoreCase))
            {
                inline = rest[1..close].Trim();
                return DsnFields.Address(m.Groups[1].Value);
            }
        }

        // "user@example.org ... unknown host" (Sendmail's "addr... reason" and its imitators): the text after the dots.
        if (rest.StartsWith("...", StringComparison.Ordinal) && rest.TrimStart('.').Trim() is { Length: > 0 } reason)
        {
            inline = reason;
            return DsnFields.Address(m.Groups[1].Value);
        }

        if (rest.Length > 0 && !rest.StartsWith("on ", StringComparison.OrdinalIgnoreCase) && !rest.StartsWith('(')
            && !rest.StartsWith('<') && !rest.StartsWith("...", StringComparison.Ordinal)
            && !rest.StartsWith(':') && !rest.StartsWith("by ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return DsnFields.Address(m.Groups[1].Value);
    }

    /// <summary>
    /// Words of a failure, one of which a label must hold to name a failed recipient: "Unknown user: a@x" does,
    /// "For further assistance contact: helpdesk@x" and "Message ID: id@host" do not.
    /// </summary>
    private static readonly string[] FailureWords =
    [
        "unknown", "user", "mailbox", "full", "quota", "exceed", "reject", "invalid", "disabled", "denied", "refused",
        "not found", "no such", "failed", "failure", "error", "blocked", "suspended", "undeliverable", "inactive",
    ];

    private static bool NamesFailure(string label)
    {
        foreach (var word in FailureWords)
        {
            if (label.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every address in the text, in order.</summary>
    public IEnumerable<string> Addresses(string text)
    {
        foreach (Match m in AnyAddressRegex().Matches(text))
        {
            yield return DsnFields.Address(m.Value);
        }
    }

    /// <summary>
    /// Recipient blocks: each address line and the non-empty lines under it (up to a blank line once text was
    /// collected, the next address line, or <see cref="MaxDiagnosticLines"/>).
    /// </summary>
    public List<(string Address, string Diagnostic)> Blocks(IReadOnlyList<string> lines, Func<string, bool>? skip = null)
    {
        var blocks = new List<(string, string)>();

        // Blocks with no text whose next line names another address: a list sharing the reason that follows it.
        HashSet<int>? listed = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var address = AddressLine(lines[i], out var inline);
            if (address is null || address.Length == 0 || (skip?.Invoke(address) ?? false))
            {
                continue;
            }

            var indent = Indent(lines[i]);
            var diag = new List<string>();

            // Exim: "pipe to |/usr/bin/handler" then "generated by user@example.org": what failed is the line above.
            if (i > 0 && lines[i].TrimStart().StartsWith("generated by", StringComparison.OrdinalIgnoreCase) && lines[i - 1].Trim() is { Length: > 0 } target)
            {
                diag.Add(target);
            }

            if (inline.Length > 0)
            {
                diag.Add(inline);
            }

            var j = i + 1;
            var afterBlank = false;
            for (; j < lines.Count && diag.Count < MaxDiagnosticLines; j++)
            {
                var line = lines[j].Trim();
                if (line.Length == 0)
                {
                    if (diag.Count > 0 && !diag[^1].EndsWith(':'))
                    {
                        break;
                    }

                    afterBlank |= diag.Count == 0;
                    continue;
                }

                // An address line indented deeper than the recipient belongs to its diagnostic (Exim).
                if (Indent(lines[j]) <= indent && AddressLine(lines[j]) is { Length: > 0 })
                {
                    break;
                }

                if (line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("***", StringComparison.Ordinal)
                    || line.StartsWith("===", StringComparison.Ordinal) || line.StartsWith("|---", StringComparison.Ordinal))
                {
                    if (diag.Count > 0)
                    {
                        break;
                    }

                    continue;
                }

                diag.Add(line);
            }

            var diagnostic = string.Join(' ', diag);

            // "a@x", "b@x", a blank line, then "Reason: ...": the addresses listed together above share the reason.
            if (afterBlank && diagnostic.Length > 0)
            {
                for (var k = blocks.Count - 1; k >= 0 && blocks[k].Item2.Length == 0 && listed is not null && listed.Contains(k); k--)
                {
                    blocks[k] = (blocks[k].Item1, diagnostic);
                }
            }

            if (diag.Count == 0 && j < lines.Count && AddressLine(lines[j]) is { Length: > 0 })
            {
                (listed ??= []).Add(blocks.Count);
            }

            blocks.Add((address, diagnostic));
            i = j - 1;
        }

        return blocks;
    }

    /// <summary>One block per address: a notice that names a recipient twice (summary, then details) is one failure.</summary>
    public static List<(string Address, string Diagnostic)> Merge(List<(string Address, string Diagnostic)> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var merged = new List<(string Address, string Diagnostic)>(blocks.Count);
        foreach (var (address, diagnostic) in blocks)
        {
            var index = merged.FindIndex(b => b.Address.Equals(address, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                merged.Add((address, diagnostic));
            }
            else if (diagnostic.Length > 0)
            {
                merged[index] = (address, (merged[index].Diagnostic + " " + diagnostic).Trim());
            }
        }

        return merged;
    }

    /// <summary>
    /// What the notice says about one address: the rest of the line that names it ("addr: 550 ...") or the block
    /// under it. Used when a report's own fields carry no diagnostic.
    /// </summary>
    public string? DiagnosticFor(string section, string address, IReadOnlyList<string>? sectionLines = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        var at = section.IndexOf(address, StringComparison.OrdinalIgnoreCase);
        while (at >= 0)
        {
            var end = section.IndexOf('\n', at);
            var rest = (end < 0 ? section[(at + address.Length)..] : section[(at + address.Length)..end]).TrimStart('>', ':', ' ', '\t', '"', '.').TrimEnd();
            if (rest.Length > 8)
            {
                // Postfix folds the reply onto indented continuation lines.
                var more = new System.Text.StringBuilder(rest);
                var lines = 0;
                while (end >= 0 && end + 1 < section.Length && section[end + 1] is ' ' or '\t' && lines++ < MaxDiagnosticLines)
                {
                    var next = section.IndexOf('\n', end + 1);
                    var line = next < 0 ? section[(end + 1)..] : section[(end + 1)..next];
                    more.Append(' ').Append(line.Trim());
                    end = next;
                }

                return more.ToString();
            }

            at = section.IndexOf(address, at + address.Length, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var (blockAddress, diagnostic) in Blocks(sectionLines ?? Lines(section)))
        {
            if (blockAddress.Equals(address, StringComparison.OrdinalIgnoreCase) && diagnostic.Length > 0)
            {
                return diagnostic;
            }
        }

        return null;
    }

    private static int Indent(string line)
    {
        var n = 0;
        while (n < line.Length && line[n] is ' ' or '\t')
        {
            n++;
        }

        return n;
    }

    [GeneratedRegex(@"^[\s>*]*(?:(?:(?:failed|invalid|unknown|bad|rejected|undeliverable|intended|e-?mail)\s+)?(?:recipient|to|address|original-recipient|final-recipient|rcpt to)\s*:\s*(?:rfc822;\s*)?|generated by\s+|user\s+|failed to deliver to\s+|[^\x00-\x7F\s]{1,16}\s*[：:]\s*)?[""'<(\[]{0,2}([^\s<>""'(\[@,;]+@[A-Za-z0-9][A-Za-z0-9.\-]*[A-Za-z0-9\]])[>""')\]]*(:)?(.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AddressLineRegex();

    // Two to eight words (letters, apostrophes, hyphens) before the colon: a reason, not a header name or one-word label.
    [GeneratedRegex(@"^\s*([A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*){1,7})\s*:\s*<?([^\s<>""'(\[@,;:]+@[A-Za-z0-9][A-Za-z0-9.\-]*[A-Za-z0-9])>?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ReasonLabelRegex();

    [GeneratedRegex(@"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9][A-Za-z0-9.\-]*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex AnyAddressRegex();
}
