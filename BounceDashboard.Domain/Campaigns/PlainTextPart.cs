using System.Text;
using System.Text.RegularExpressions;
using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Domain.Campaigns;

/// <summary>
/// The plain-text alternative of a campaign whose author left it empty, generated from the HTML body: the head, styles,
/// scripts and comments dropped, each absolute link's address written after its text ("Spring sale (https://…)"), tags
/// removed (<see cref="HtmlText.Strip"/>: block ends become line breaks, entities decoded), spaces collapsed and at most
/// one blank line in a row.
/// </summary>
public static partial class PlainTextPart
{
    /// <summary>The text part for <paramref name="html"/>; empty when the HTML has no visible text.</summary>
    public static string FromHtml(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return string.Empty;
        }

        var visible = Invisible().Replace(html, string.Empty);
        visible = Link().Replace(visible, m =>
        {
            var url = m.Groups["url"].Value.Trim();
            var text = m.Groups["text"].Value;
            var shown = HtmlText.Strip(text).Trim();
            return shown.Length == 0 || string.Equals(shown, url, StringComparison.OrdinalIgnoreCase)
                ? $" {url} "
                : $"{text} ({url})";
        });

        // Line breaks in the source are layout, not text: only tags break lines (as in a browser).
        visible = SourceBreaks().Replace(visible, " ");
        visible = BlockEnds().Replace(visible, "<br>");
        var text = HtmlText.Strip(visible).Replace('\u00A0', ' ');
        var sb = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = Spaces().Replace(raw, " ").Trim();
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(blank > 0 ? "\n\n" : "\n");
            }

            sb.Append(line);
            blank = 0;
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"<head\b.*?</head\s*>|<style\b.*?</style\s*>|<script\b.*?</script\s*>|<!--.*?-->|<title\b.*?</title\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Invisible();

    [GeneratedRegex(@"<a\b[^>]*?\bhref\s*=\s*[""'](?<url>https?://[^""']+)[""'][^>]*>(?<text>.*?)</a\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Link();

    [GeneratedRegex(@"</h[1-6]\s*>|</td\s*>|</th\s*>|</table\s*>|</ul\s*>|</ol\s*>|<hr\b[^>]*>|</blockquote\s*>", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BlockEnds();

    [GeneratedRegex(@"[\r\n]+", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SourceBreaks();

    [GeneratedRegex(@"[ \t\f\v]+", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Spaces();
}
