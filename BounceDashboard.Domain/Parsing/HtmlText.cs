using System.Net;
using System.Text;

namespace BounceDashboard.Domain.Parsing;

/// <summary>Reduces an HTML notice to plain text: tags dropped, block ends become line breaks, entities decoded.</summary>
internal static class HtmlText
{
    public static string Strip(string html)
    {
        var sb = new StringBuilder(html.Length);
        var inTag = false;
        var tagStart = 0;
        for (var i = 0; i < html.Length; i++)
        {
            var c = html[i];
            if (inTag)
            {
                if (c == '>')
                {
                    inTag = false;
                    var tag = html.AsSpan(tagStart, i - tagStart);
                    if (tag.StartsWith("br", StringComparison.OrdinalIgnoreCase)
                        || tag.StartsWith("/p", StringComparison.OrdinalIgnoreCase)
                        || tag.StartsWith("/div", StringComparison.OrdinalIgnoreCase)
                        || tag.StartsWith("/tr", StringComparison.OrdinalIgnoreCase)
                        || tag.StartsWith("/li", StringComparison.OrdinalIgnoreCase)
                        || tag.StartsWith("p", StringComparison.OrdinalIgnoreCase))
                    {
                        sb.Append('\n');
                    }
                }

                continue;
            }

            if (c == '<')
            {
                inTag = true;
                tagStart = i + 1;
                continue;
            }

            sb.Append(c);
        }

        return WebUtility.HtmlDecode(sb.ToString());
    }
}
