using System.Globalization;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Web.Components.Pages.Reports;

/// <summary>The date presets the report offers.</summary>
public enum BounceReportPreset
{
    Last7Days,
    Last30Days,
    Last90Days,
    ThisMonth,
}

/// <summary>
/// What the bounce report shows, as the URL carries it (<c>?from=2026-11-08&amp;to=2026-12-07&amp;campaign=12&amp;group=ip</c>):
/// calendar days in the browser's time zone, both included, a campaign or all, and the grouping. Missing or unreadable
/// values fall back to the default view (the last 30 days, all campaigns, by sending domain), so a shared link never fails.
/// </summary>
public sealed record BounceReportView(DateOnly From, DateOnly To, long? CampaignId, BounceReportGrouping GroupBy)
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>The longest period one view covers.</summary>
    public const int MaxDays = 800;

    public static BounceReportView Default(DateOnly today) => Preset(BounceReportPreset.Last30Days, today, null, BounceReportGrouping.SendingDomain);

    public static BounceReportView Preset(BounceReportPreset preset, DateOnly today, long? campaignId, BounceReportGrouping groupBy) => preset switch
    {
        BounceReportPreset.Last7Days => new(today.AddDays(-6), today, campaignId, groupBy),
        BounceReportPreset.Last30Days => new(today.AddDays(-29), today, campaignId, groupBy),
        BounceReportPreset.Last90Days => new(today.AddDays(-89), today, campaignId, groupBy),
        BounceReportPreset.ThisMonth => new(new DateOnly(today.Year, today.Month, 1), today, campaignId, groupBy),
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown preset."),
    };

    /// <summary>The view a URL's query values describe; what is missing or wrong takes the default.</summary>
    public static BounceReportView Parse(string? from, string? to, long? campaign, string? group, DateOnly today)
    {
        var fallback = Default(today);
        var start = UrlDays.TryRead(from) ?? fallback.From;
        var end = UrlDays.TryRead(to) ?? (UrlDays.TryRead(from) is null ? fallback.To : today);
        if (end < start)
        {
            (start, end) = (end, start);
        }

        if (end.DayNumber - start.DayNumber >= MaxDays)
        {
            start = end.AddDays(-(MaxDays - 1));
        }

        var grouping = string.Equals(group, "ip", StringComparison.OrdinalIgnoreCase) ? BounceReportGrouping.SendingIp : BounceReportGrouping.SendingDomain;
        return new BounceReportView(start, end, campaign is > 0 ? campaign : null, grouping);
    }

    /// <summary>The preset this view equals, if any.</summary>
    public BounceReportPreset? PresetFor(DateOnly today) =>
        Enum.GetValues<BounceReportPreset>().Cast<BounceReportPreset?>()
            .FirstOrDefault(p => Preset(p!.Value, today, CampaignId, GroupBy) == this);

    /// <summary>The relative URL of this view.</summary>
    public string ToUri()
    {
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"from={From.ToString(DateFormat, CultureInfo.InvariantCulture)}&to={To.ToString(DateFormat, CultureInfo.InvariantCulture)}");
        if (CampaignId is { } campaign)
        {
            query += string.Create(CultureInfo.InvariantCulture, $"&campaign={campaign}");
        }

        query += GroupBy == BounceReportGrouping.SendingIp ? "&group=ip" : "&group=domain";
        return $"reports/bounces?{query}";
    }

    /// <summary>The query filter: from the start of the first day to the start of the day after the last, in <paramref name="zone"/>.</summary>
    public BounceReportFilter ToFilter(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new BounceReportFilter(UrlDays.StartOf(From, zone), UrlDays.StartOf(To.AddDays(1), zone), CampaignId, GroupBy);
    }
}
