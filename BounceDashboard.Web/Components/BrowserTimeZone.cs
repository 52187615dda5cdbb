using System.Globalization;

namespace BounceDashboard.Web.Components;

/// <summary>
/// The time zone of the user's browser, per circuit (scoped). The server cannot know it before the circuit is up, so
/// times first show in UTC and re-render when the layout has asked the browser (Intl.DateTimeFormat) and called
/// <see cref="Set"/>. Format every point in time through <see cref="Format"/> (or the LocalTime component).
/// </summary>
public sealed class BrowserTimeZone
{
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>Raised when the browser's zone became known.</summary>
    public event Action? Changed;

    /// <summary>Takes the browser's IANA zone id; an unknown or empty id keeps UTC.</summary>
    public void Set(string? ianaId)
    {
        if (string.IsNullOrWhiteSpace(ianaId) || !TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone) || zone.Id == Zone.Id)
        {
            return;
        }

        Zone = zone;
        Changed?.Invoke();
    }

    /// <summary>The instant in the browser's zone.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset value) => TimeZoneInfo.ConvertTime(value, Zone);

    /// <summary>The instant in the browser's zone, formatted in the user's culture.</summary>
    public string Format(DateTimeOffset value, string format = "g") =>
        ToLocal(value).ToString(format, CultureInfo.CurrentCulture);

    /// <summary>A tooltip: the full date and time with the zone's name.</summary>
    public string Describe(DateTimeOffset value) =>
        $"{ToLocal(value).ToString("F", CultureInfo.CurrentCulture)} ({Zone.Id})";
}
