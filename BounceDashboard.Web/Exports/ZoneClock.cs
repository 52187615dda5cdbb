namespace BounceDashboard.Web.Exports;

/// <summary>
/// Turns instants into a time zone's wall-clock time for an export's rows, looking the zone's offset up once per UTC
/// hour instead of once per row. An hour whose two ends have different offsets (it holds a change of offset, which
/// can fall on a half hour) is looked up row by row, so the result is always what <see cref="TimeZoneInfo.ConvertTime(DateTimeOffset, TimeZoneInfo)"/> gives.
/// </summary>
public sealed class ZoneClock(TimeZoneInfo zone)
{
    private readonly TimeZoneInfo _zone = zone ?? throw new ArgumentNullException(nameof(zone));
    private long _hour = long.MinValue;
    private TimeSpan? _offset;

    /// <summary>The zone's local date and time at <paramref name="instant"/>.</summary>
    public DateTime LocalTime(DateTimeOffset instant)
    {
        var utc = instant.UtcTicks;
        var hour = utc / TimeSpan.TicksPerHour;
        if (hour != _hour)
        {
            _hour = hour;
            var start = new DateTimeOffset(hour * TimeSpan.TicksPerHour, TimeSpan.Zero);
            var first = _zone.GetUtcOffset(start);
            var last = _zone.GetUtcOffset(start.AddTicks(TimeSpan.TicksPerHour - 1));
            _offset = first == last ? first : null;
        }

        var offset = _offset ?? _zone.GetUtcOffset(instant);
        return new DateTime(utc + offset.Ticks, DateTimeKind.Unspecified);
    }
}
