using System.Globalization;

namespace BounceDashboard.Web.Components;

/// <summary>
/// Whole days in a page's URL (<c>?from=2026-11-01&amp;to=2026-11-30</c>): written and read as <c>yyyy-MM-dd</c>, and
/// turned into instants in the browser's time zone. One place for the bounce report, the suppression list and the audit log.
/// </summary>
public static class UrlDays
{
    public const string Format = "yyyy-MM-dd";

    public static string Write(DateOnly day) => day.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>The day the text names, or null for anything else (missing, malformed).</summary>
    public static DateOnly? TryRead(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>Midnight of <paramref name="day"/> in <paramref name="zone"/>; a midnight skipped by a daylight-saving change gives the first minute that exists.</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
