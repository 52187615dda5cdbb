using System.Text.RegularExpressions;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Finds RFC 3463 enhanced status codes and RFC 5321 reply codes inside diagnostic text.
/// All patterns are source-generated; nothing is compiled per message.
/// </summary>
public sealed partial class SmtpCodeFinder
{
    /// <summary>First enhanced status code (class 2, 4 or 5) not part of a longer dotted number such as an IP address or version.</summary>
    public string? FindStatus(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.IndexOf('.') < 0)
        {
            return null;
        }

        // The patterns' lookarounds are zero-width: the match is the code itself, so no Match object is needed.
        foreach (var m in StatusRegex().EnumerateMatches(text))
        {
            return text.Substring(m.Index, m.Length);
        }

        return null;
    }

    /// <summary>
    /// The first <paramref name="max"/> enhanced status codes in the text, in order; with <paramref name="failuresOnly"/>,
    /// class 4 and 5 only (in a failed recipient's transcript a 2.x.x is a step the server accepted before the refusal).
    /// </summary>
    public IReadOnlyList<string> FindStatuses(string? text, int max, bool failuresOnly = false)
    {
        var found = new List<string>();
        if (string.IsNullOrEmpty(text) || text.IndexOf('.') < 0)
        {
            return found;
        }

        foreach (var m in StatusRegex().EnumerateMatches(text))
        {
            if (found.Count == max)
            {
                break;
            }

            if (!failuresOnly || text[m.Index] != '2')
            {
                found.Add(text.Substring(m.Index, m.Length));
            }
        }

        return found;
    }

    /// <summary>
    /// The SMTP reply code: a 2xx/4xx/5xx number at the start of the text or of a reply after "smtp;", a colon or "said:";
    /// with <paramref name="failuresOnly"/>, the first 4xx or 5xx (a transcript's 220 and 250 come before the refusal).
    /// </summary>
    public string? FindReply(string? text, bool failuresOnly = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        foreach (var m in ReplyRegex().EnumerateMatches(text))
        {
            if (!failuresOnly || text[m.Index] != '2')
            {
                return text.Substring(m.Index, m.Length);
            }
        }

        return null;
    }

    /// <summary>True for a line of a multi-line reply that more lines follow ("550-5.1.1 ...", RFC 5321 §4.2.1).</summary>
    public static bool IsContinuedReply(string replyLine)
    {
        ArgumentNullException.ThrowIfNull(replyLine);
        return replyLine.Length > 3 && char.IsAsciiDigit(replyLine[0]) && char.IsAsciiDigit(replyLine[1])
            && char.IsAsciiDigit(replyLine[2]) && replyLine[3] == '-';
    }

    /// <summary>The reply code right before the first occurrence of <paramref name="status"/> ("421 4.4.2").</summary>
    public string? FindReplyBefore(string? text, string status)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var at = text.IndexOf(status, StringComparison.Ordinal);
        if (at < 4)
        {
            return null;
        }

        var head = text.AsSpan(0, at).TrimEnd(" -");
        return head.Length >= 3 && head[^3] is '4' or '5' && char.IsAsciiDigit(head[^2]) && char.IsAsciiDigit(head[^1])
            && (head.Length == 3 || !char.IsAsciiDigit(head[^4]))
            ? head[^3..].ToString()
            : null;
    }

    // RFC 3463 §2: class "." subject "." detail; subject and detail up to three digits. Not preceded by a digit
    // or dot and not followed by one (keeps IPv4 addresses like 192.0.2.1 and versions like 8.14.4 out).
    [GeneratedRegex(@"(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.]\d)(?!\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex StatusRegex();

    // RFC 5321 §4.2: three digits, then a space, a hyphen or the end. Either the text starts with it, or it follows
    // "smtp;", ":", "said", ">" or a quote; or it stands directly before an enhanced code.
    [GeneratedRegex(@"(?<![\w.\-/:#=+])([245][0-5]\d)(?=[\s\-]|$)(?<!2[0-4]\d|25[1-9])", RegexOptions.CultureInvariant)]
    private static partial Regex ReplyRegex();
}
