using System.Globalization;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Web.Components.Pages.Suppressions;

/// <summary>
/// The suppression list's filter as the URL carries it (<c>/suppressions?q=&amp;reason=&amp;source=&amp;from=&amp;to=&amp;lifted=1</c>):
/// dates are the browser's days (<c>yyyy-MM-dd</c>, both included), enums by name. Unknown values are ignored, so an
/// edited or old link still opens the list. The downloads take the same parameters plus <c>tz</c>.
/// </summary>
public sealed record SuppressionListView(
    string? Search = null,
    SuppressionReason? Reason = null,
    SuppressionSource? Source = null,
    DateOnly? From = null,
    DateOnly? To = null,
    bool IncludeLifted = false)
{
    public const string Path = "/suppressions";
    public const string CsvPath = "/exports/suppressions.csv";
    public const string XlsxPath = "/exports/suppressions.xlsx";

    private const string DateFormat = "yyyy-MM-dd";

    public static SuppressionListView Parse(string? search, string? reason, string? source, string? from, string? to, string? lifted) => new(
        string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
        Enum.TryParse<SuppressionReason>(reason, ignoreCase: true, out var r) && Enum.IsDefined(r) && !int.TryParse(reason, out _) ? r : null,
        Enum.TryParse<SuppressionSource>(source, ignoreCase: true, out var s) && Enum.IsDefined(s) && !int.TryParse(source, out _) ? s : null,
        UrlDays.TryRead(from),
        UrlDays.TryRead(to),
        lifted is "1" || string.Equals(lifted, "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The page's address with this view in the query string (nothing for what is not set).</summary>
    public string ToUri() => Path + QueryString();

    /// <summary>A download of this view, with the browser's time zone for the days and the file's dates.</summary>
    public string ExportUri(bool excel, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var query = QueryString();
        var tz = "tz=" + Uri.EscapeDataString(zone.Id);
        return (excel ? XlsxPath : CsvPath) + (query.Length == 0 ? "?" + tz : query + "&" + tz);
    }

    /// <summary>The query's filter: the days from the start of <see cref="From"/> to the end of <see cref="To"/> in <paramref name="zone"/>.</summary>
    public SuppressionFilter ToFilter(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new SuppressionFilter(
            Search,
            Reason,
            Source,
            From is { } from ? UrlDays.StartOf(from, zone) : null,
            To is { } to ? UrlDays.StartOf(to.AddDays(1), zone) : null,
            IncludeLifted);
    }

    /// <summary>A file name that says what the file holds, e.g. <c>suppressions-complaint-at-example.com-2026-12-07.csv</c>.</summary>
    public string FileName(bool excel, DateOnly today)
    {
        var parts = new List<string> { "suppressions" };
        if (IncludeLifted)
        {
            parts.Add("with-lifted");
        }

        if (Reason is { } reason)
        {
            parts.Add(Slug(reason.ToString()));
        }

        if (Source is { } source)
        {
            parts.Add("from-" + Slug(source.ToString()));
        }

        if (Search is { } search)
        {
            parts.Add(Slug(search.Replace("@", "at-", StringComparison.Ordinal)));
        }

        if (From is not null || To is not null)
        {
            parts.Add($"{From?.ToString(DateFormat, CultureInfo.InvariantCulture) ?? "start"}-to-{To?.ToString(DateFormat, CultureInfo.InvariantCulture) ?? "now"}");
        }

        parts.Add(today.ToString(DateFormat, CultureInfo.InvariantCulture));
        return string.Join('-', parts.Where(p => p.Length > 0)) + (excel ? ".xlsx" : ".csv");
    }

    private string QueryString()
    {
        var query = new List<string>();
        if (Search is { } search)
        {
            query.Add("q=" + Uri.EscapeDataString(search));
        }

        if (Reason is { } reason)
        {
            query.Add("reason=" + reason);
        }

        if (Source is { } source)
        {
            query.Add("source=" + source);
        }

        if (From is { } from)
        {
            query.Add("from=" + from.ToString(DateFormat, CultureInfo.InvariantCulture));
        }

        if (To is { } to)
        {
            query.Add("to=" + to.ToString(DateFormat, CultureInfo.InvariantCulture));
        }

        if (IncludeLifted)
        {
            query.Add("lifted=1");
        }

        return query.Count == 0 ? string.Empty : "?" + string.Join('&', query);
    }

    private static string Slug(string text)
    {
        var chars = text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-').ToArray();
        var slug = new string(chars).Trim('-');
        return slug.Length > 60 ? slug[..60] : slug;
    }
}
