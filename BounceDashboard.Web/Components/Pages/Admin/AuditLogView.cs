using System.Globalization;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Web.Components.Pages.Admin;

/// <summary>
/// The audit log's filters as the URL carries them (<c>?actor=&amp;action=&amp;target=&amp;from=&amp;to=</c>), so a filtered
/// view can be bookmarked and shared, and the CSV download gets exactly the same filters. <see cref="From"/> and
/// <see cref="To"/> are days in the viewer's time zone, both included. Unknown or malformed values are ignored.
/// </summary>
public sealed record AuditLogView(string? Actor, AuditAction? Action, string? Target, DateOnly? From, DateOnly? To)
{
    public const string Path = "/admin/audit";

    private const string DateFormat = "yyyy-MM-dd";

    public static AuditLogView Empty { get; } = new(null, null, null, null, null);

    public bool IsNarrowed => Actor is not null || Action is not null || Target is not null || From is not null || To is not null;

    public static AuditLogView Parse(string? actor, string? action, string? target, string? from, string? to)
    {
        var fromDay = UrlDays.TryRead(from);
        var toDay = UrlDays.TryRead(to);
        if (fromDay is { } f && toDay is { } t && t < f)
        {
            (fromDay, toDay) = (toDay, fromDay);
        }

        return new AuditLogView(
            Clean(actor),
            Enum.TryParse<AuditAction>(action, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(action, out _) ? parsed : null,
            Clean(target),
            fromDay,
            toDay);
    }

    /// <summary>The query's filter: the days become instants in <paramref name="zone"/> (the end of <see cref="To"/> excluded).</summary>
    public AuditLogFilter ToFilter(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new AuditLogFilter(Actor, Action, Target, From is { } f ? UrlDays.StartOf(f, zone) : null, To is { } t ? UrlDays.StartOf(t.AddDays(1), zone) : null);
    }

    /// <summary>The query string (with its leading '?', or empty), parameters in a fixed order.</summary>
    public string QueryString(TimeZoneInfo? zone = null)
    {
        var parts = new List<string>();
        Add("actor", Actor);
        Add("action", Action?.ToString());
        Add("target", Target);
        Add("from", From?.ToString(DateFormat, CultureInfo.InvariantCulture));
        Add("to", To?.ToString(DateFormat, CultureInfo.InvariantCulture));
        if (zone is not null && (parts.Count > 0 || zone != TimeZoneInfo.Utc))
        {
            Add("tz", zone.Id);
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);

        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
    }

    public string ToUri() => Path + QueryString();

    /// <summary>"2026-11-01-to-2026-11-30", "from-2026-11-01", "to-2026-11-30" or "all": the period for a file name.</summary>
    public string PeriodSlug() => (From, To) switch
    {
        ({ } f, { } t) => $"{Day(f)}-to-{Day(t)}",
        ({ } f, null) => $"from-{Day(f)}",
        (null, { } t) => $"to-{Day(t)}",
        _ => "all",
    };

    private static string Day(DateOnly day) => day.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
