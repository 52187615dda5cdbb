using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace BounceDashboard.Domain.Bounces;

/// <summary>
/// Turns a bounce's reply into the text the bounce report groups by: the same reply sent for different recipients, at
/// different times, through different hosts or with different queue ids gives the same pattern. The SMTP reply code,
/// the enhanced status code (RFC 3463) and the words are kept; addresses, message ids, dates, times, IP addresses,
/// numbers (also inside host names and ids) and URL query strings become <c>*</c>.
/// </summary>
/// <example>
/// <c>550 5.1.1 &lt;john@x.com&gt;: Recipient address rejected: User unknown in virtual mailbox table</c> and the same
/// reply for <c>&lt;mary@y.org&gt;</c> both give
/// <c>550 5.1.1 &lt;*&gt;: Recipient address rejected: User unknown in virtual mailbox table</c>.
/// </example>
public static partial class DiagnosticPattern
{
    /// <summary>The longest pattern stored; longer ones are cut (the example keeps the whole text).</summary>
    public const int MaxLength = 300;

    /// <summary>The pattern of a bounce that carries no reply text and no codes.</summary>
    public const string NoText = "(no diagnostic text)";

    private const string Wildcard = "*";

    /// <summary>
    /// The pattern of a reply given as its parts (as <see cref="BounceEvent"/> stores them): the reply code and the
    /// enhanced status are put in front of the diagnostic unless it already starts with them.
    /// </summary>
    public static string For(string? replyCode, string? enhancedStatus, string? diagnostic)
    {
        var text = Collapse(diagnostic ?? string.Empty);
        text = TransportLabel().Replace(text, string.Empty, 1);
        if (!string.IsNullOrEmpty(enhancedStatus) && !StartsWithCode(text, enhancedStatus, allowReplyCodeFirst: true))
        {
            text = string.IsNullOrEmpty(text) ? enhancedStatus : $"{enhancedStatus} {text}";
        }

        if (!string.IsNullOrEmpty(replyCode) && !StartsWithCode(text, replyCode, allowReplyCodeFirst: false))
        {
            text = string.IsNullOrEmpty(text) ? replyCode : $"{replyCode} {text}";
        }

        return Normalize(text);
    }

    /// <summary>The pattern of one reply text (already holding its codes, e.g. "550 5.1.1 &lt;a@b.c&gt;: User unknown").</summary>
    public static string Normalize(string? reply)
    {
        var text = TransportLabel().Replace(Collapse(reply ?? string.Empty), string.Empty, 1);
        if (text.Length == 0)
        {
            return NoText;
        }

        // Work on a bounded prefix: a pattern is at most MaxLength long, and the rest cannot change its start.
        if (text.Length > MaxLength * 4)
        {
            text = text[..(MaxLength * 4)];
        }

        // The leading codes are kept as they are: "550 5.1.1", "550-5.7.1", "421 4.7.0", "5.7.9".
        var head = LeadingCodes().Match(text);
        var prefix = head.Success ? head.Value : string.Empty;
        var body = text[prefix.Length..];

        body = Url().Replace(body, m => StripQuery(m.Value));
        body = Address().Replace(body, Wildcard);
        body = RfcDate().Replace(body, Wildcard);
        body = IsoDate().Replace(body, Wildcard);
        body = Time().Replace(body, Wildcard);
        body = IPv4().Replace(body, Wildcard);
        body = IPv6().Replace(body, Wildcard);
        body = ProtectCodes(body, static part =>
        {
            part = Identifier().Replace(part, Wildcard);
            return Digits().Replace(part, Wildcard);
        });
        body = Stars().Replace(body, Wildcard);

        var pattern = Collapse(prefix + body);
        return pattern.Length <= MaxLength ? pattern : string.Concat(pattern.AsSpan(0, MaxLength - 1), "…");
    }

    /// <summary>A short, stable hash of a pattern (the first 8 bytes of its SHA-256), for grouping and indexing.</summary>
    public static long Hash(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(pattern), digest);
        return BinaryPrimitives.ReadInt64LittleEndian(digest);
    }

    private static bool StartsWithCode(string text, string code, bool allowReplyCodeFirst)
    {
        if (text.StartsWith(code, StringComparison.Ordinal))
        {
            return true;
        }

        // "550 5.1.1 ..." or "550-5.1.1 ...": the status follows the reply code.
        return allowReplyCodeFirst && text.Length > 4 && ReplyCodeStart().IsMatch(text)
            && text.AsSpan(4).StartsWith(code, StringComparison.Ordinal);
    }

    /// <summary>Applies <paramref name="replace"/> to the text between enhanced status codes and SMTP reply codes, which stay.</summary>
    private static string ProtectCodes(string body, Func<string, string> replace)
    {
        var builder = new StringBuilder(body.Length);
        var last = 0;
        foreach (Match code in InnerCodes().Matches(body))
        {
            builder.Append(replace(body[last..code.Index])).Append(code.Value);
            last = code.Index + code.Length;
        }

        return builder.Append(replace(body[last..])).ToString();
    }

    private static string StripQuery(string url)
    {
        var cut = url.IndexOfAny(['?', '#']);
        return cut < 0 ? url : string.Concat(url.AsSpan(0, cut), "?*");
    }

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    // RFC 3464 §2.3.6: "Diagnostic-Code: smtp; 550 ..." — the diagnostic type is not part of the reply.
    [GeneratedRegex(@"^(?:smtp|x-[a-z0-9-]+|x-unix|mailbox)\s*;\s*", RegexOptions.IgnoreCase)]
    private static partial Regex TransportLabel();

    [GeneratedRegex(@"^[2-5]\d\d(?:[ -]|$)")]
    private static partial Regex ReplyCodeStart();

    [GeneratedRegex(@"^(?:[2-5]\d\d(?:[ -](?=\S)|$))?(?:[2-5]\.\d{1,3}\.\d{1,3}(?=\s|$|[^\d.]))?")]
    private static partial Regex LeadingCodes();

    // An enhanced status ("4.7.0") or a reply code followed by one ("said: 554 5.7.1") inside the text.
    [GeneratedRegex(@"(?<![\w.])(?:[2-5]\d\d[ -])?[2-5]\.\d{1,3}\.\d{1,3}(?![\w.])")]
    private static partial Regex InnerCodes();

    [GeneratedRegex(@"\bhttps?://[^\s<>""')\]]+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    // An address or a Message-ID, with or without its angle brackets (the brackets stay: "<*>").
    [GeneratedRegex(@"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*")]
    private static partial Regex Address();

    // RFC 5322 date: "Mon, 7 Dec 2026 17:30:50 +0000 (UTC)".
    [GeneratedRegex(@"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\s+)?\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\s+\d{2,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+[+-]\d{4})?(?:\s+\([A-Z]{2,5}\))?", RegexOptions.IgnoreCase)]
    private static partial Regex RfcDate();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?:Z|\s?[+-]\d{2}:?\d{2})?")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s?[+-]\d{4}|Z)?\b")]
    private static partial Regex Time();

    [GeneratedRegex(@"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.]*\d)")]
    private static partial Regex IPv4();

    [GeneratedRegex(@"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])", RegexOptions.IgnoreCase)]
    private static partial Regex IPv6();

    // Queue ids, message ids, session ids: a token of 8+ letters and digits with at least two digits, or 8+ hex digits.
    [GeneratedRegex(@"\b(?=[\w-]*\d[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{8,}\b|\b[0-9A-Fa-f]{8,}\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"\*(?:[*\s.,:-]*\*)+")]
    private static partial Regex Stars();
}
