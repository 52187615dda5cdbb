namespace BounceDashboard.Web.Mail;

/// <summary>Where one <c>href</c> value sits in the HTML: the span to replace (quotes included) and its raw text.</summary>
public readonly record struct HrefSlot(int Start, int Length, string RawValue);

/// <summary>What <see cref="HtmlLinkScanner.Scan"/> found: every <c>&lt;a href&gt;</c> value, and where the pixel goes.</summary>
public sealed record HtmlScan(IReadOnlyList<HrefSlot> Hrefs, int PixelAt);

/// <summary>
/// A small tokenizer over HTML, enough to find the <c>href</c> of every <c>&lt;a&gt;</c> start tag and the last
/// <c>&lt;/body&gt;</c> the way a browser would, without a package: tags are read attribute by attribute (double,
/// single or no quotes, any case, a <c>&gt;</c> inside a quoted value), comments (Outlook's conditional comments too)
/// are skipped, and so is the text of <c>script</c>, <c>style</c>, <c>textarea</c> and <c>title</c>, where
/// <c>&lt;a</c> is not a tag. Anything that does not parse as a tag is text (<c>1 &lt; 2</c>).
/// </summary>
/// <remarks>
/// Follows the WHATWG tokenizer where it matters for links (the first of two <c>href</c> attributes wins; a comment
/// ends at the first <c>--&gt;</c>) and simplifies elsewhere: no CDATA, no foreign content.
/// </remarks>
public static class HtmlLinkScanner
{
    private static readonly string[] RawTextElements = ["script", "style", "textarea", "title"];

    public static HtmlScan Scan(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var hrefs = new List<HrefSlot>();
        var pixelAt = html.Length;
        var i = 0;
        while ((i = html.IndexOf('<', i)) >= 0)
        {
            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                var end = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = end < 0 ? html.Length : end + 3;
                continue;
            }

            if (i + 1 < html.Length && (html[i + 1] == '!' || html[i + 1] == '?'))
            {
                // A doctype, <![endif]> or a processing instruction: up to the next '>'.
                var end = html.IndexOf('>', i + 2);
                i = end < 0 ? html.Length : end + 1;
                continue;
            }

            var closing = i + 1 < html.Length && html[i + 1] == '/';
            var nameStart = closing ? i + 2 : i + 1;
            var nameEnd = nameStart;
            while (nameEnd < html.Length && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] is ':' or '-' or '_'))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart || !char.IsAsciiLetter(html[nameStart]))
            {
                // "1 < 2", "</ >": text.
                i++;
                continue;
            }

            var name = html.AsSpan(nameStart, nameEnd - nameStart);
            var tagEnd = ReadAttributes(html, nameEnd, isAnchor: !closing && name.Equals("a", StringComparison.OrdinalIgnoreCase), hrefs);
            if (tagEnd < 0)
            {
                // An unterminated tag at the end of the document: text, as far as links go.
                break;
            }

            if (closing && name.Equals("body", StringComparison.OrdinalIgnoreCase))
            {
                pixelAt = i;
            }

            i = tagEnd;
            if (!closing && RawTextElement(name) is { } raw)
            {
                var end = html.IndexOf("</" + raw, i, StringComparison.OrdinalIgnoreCase);
                i = end < 0 ? html.Length : end;
            }
        }

        return new HtmlScan(hrefs, pixelAt);
    }

    private static string? RawTextElement(ReadOnlySpan<char> name)
    {
        foreach (var raw in RawTextElements)
        {
            if (name.Equals(raw, StringComparison.OrdinalIgnoreCase))
            {
                return raw;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads the attributes of a tag from <paramref name="i"/> (just after its name); adds the first <c>href</c> of an
    /// anchor to <paramref name="hrefs"/>. Returns the index after the tag's <c>&gt;</c>, or -1 when there is none.
    /// </summary>
    private static int ReadAttributes(string html, int i, bool isAnchor, List<HrefSlot> hrefs)
    {
        var found = false;
        while (true)
        {
            while (i < html.Length && (IsSpace(html[i]) || html[i] == '/'))
            {
                i++;
            }

            if (i >= html.Length)
            {
                return -1;
            }

            if (html[i] == '>')
            {
                return i + 1;
            }

            // Attribute name: up to whitespace, '/', '>' or '=' (a leading '=' belongs to the name, as in the spec).
            var nameStart = i;
            i++;
            while (i < html.Length && !IsSpace(html[i]) && html[i] is not ('/' or '>' or '='))
            {
                i++;
            }

            var isHref = isAnchor && !found && i - nameStart == 4 && html.AsSpan(nameStart, 4).Equals("href", StringComparison.OrdinalIgnoreCase);
            while (i < html.Length && IsSpace(html[i]))
            {
                i++;
            }

            if (i >= html.Length || html[i] != '=')
            {
                // No value: the next attribute starts here (or the tag ends).
                continue;
            }

            i++;
            while (i < html.Length && IsSpace(html[i]))
            {
                i++;
            }

            if (i >= html.Length)
            {
                return -1;
            }

            var valueStart = i;
            string value;
            if (html[i] is '"' or '\'')
            {
                var end = html.IndexOf(html[i], i + 1);
                if (end < 0)
                {
                    return -1;
                }

                value = html.Substring(i + 1, end - i - 1);
                i = end + 1;
            }
            else
            {
                while (i < html.Length && !IsSpace(html[i]) && html[i] != '>')
                {
                    i++;
                }

                value = html[valueStart..i];
            }

            if (isHref)
            {
                found = true;
                hrefs.Add(new HrefSlot(valueStart, i - valueStart, value));
            }
        }
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';
}
