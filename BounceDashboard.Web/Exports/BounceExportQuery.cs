using System.Globalization;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Web.Exports;

/// <summary>
/// The export's parameters as text, the way the download URL (<c>?from=&amp;to=&amp;campaign=&amp;group=&amp;tz=</c>) and the
/// command line give them, and the URL the report's download buttons call.
/// </summary>
/// <remarks>
/// <c>from</c> and <c>to</c> are either dates (<c>2026-11-07</c>: midnight in the export's time zone; a <c>to</c> date
/// includes that whole day) or exact instants with an offset (<c>2026-11-07T00:00:00+01:00</c>, <c>to</c> excluded),
/// which is what the page sends, so the file holds exactly what the table shows. <c>group</c> is <c>domain</c> (the
/// default) or <c>ip</c>; <c>tz</c> an IANA time zone (UTC by default).
/// </remarks>
public static class BounceExportQuery
{
    private static readonly string[] InstantFormats = ["o", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK"];

    /// <summary>The request the parameters describe, or every problem with them by parameter name.</summary>
    public static BounceExportRequest? Parse(
        string? from, string? to, string? campaign, string? group, string? timeZone, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var zone = TimeZoneInfo.Utc;
        if (!string.IsNullOrWhiteSpace(timeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out zone))
        {
            errors["tz"] = [$"'{timeZone}' is not a time zone (use an IANA name such as Europe/Paris)."];
            zone = TimeZoneInfo.Utc;
        }

        var start = ParseInstant("from", from, zone, endOfDay: false, errors);
        var end = ParseInstant("to", to, zone, endOfDay: true, errors);
        if (start is { } s && end is { } e && e <= s)
        {
            errors["to"] = ["'to' must come after 'from'."];
        }

        long? campaignId = null;
        if (!string.IsNullOrWhiteSpace(campaign))
        {
            if (long.TryParse(campaign, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                campaignId = id;
            }
            else
            {
                errors["campaign"] = [$"'{campaign}' is not a campaign id."];
            }
        }

        var grouping = BounceReportGrouping.SendingDomain;
        if (!string.IsNullOrWhiteSpace(group))
        {
            if (ParseGrouping(group) is { } parsed)
            {
                grouping = parsed;
            }
            else
            {
                errors["group"] = [$"'{group}' is not a grouping: use domain or ip."];
            }
        }

        return errors.Count == 0
            ? new BounceExportRequest(new BounceReportFilter(start!.Value, end!.Value, campaignId, grouping), zone)
            : null;
    }

    /// <summary>The download URL of exactly <paramref name="filter"/>, dates written in <paramref name="timeZone"/>.</summary>
    public static string Url(ExportFormat format, BounceReportFilter filter, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(timeZone);
        var path = format == ExportFormat.Xlsx ? ExportPaths.BouncesXlsx : ExportPaths.BouncesCsv;
        var query = new List<string>
        {
            "from=" + Uri.EscapeDataString(filter.From.ToString("o", CultureInfo.InvariantCulture)),
            "to=" + Uri.EscapeDataString(filter.To.ToString("o", CultureInfo.InvariantCulture)),
            "group=" + (filter.GroupBy == BounceReportGrouping.SendingIp ? "ip" : "domain"),
        };
        if (filter.CampaignId is { } id)
        {
            query.Add(string.Create(CultureInfo.InvariantCulture, $"campaign={id}"));
        }

        query.Add("tz=" + Uri.EscapeDataString(timeZone.Id));
        return path + "?" + string.Join('&', query);
    }

    public static BounceReportGrouping? ParseGrouping(string value) => value.Trim().ToUpperInvariant() switch
    {
        "DOMAIN" or "SENDING-DOMAIN" or "SENDINGDOMAIN" => BounceReportGrouping.SendingDomain,
        "IP" or "SENDING-IP" or "SENDINGIP" => BounceReportGrouping.SendingIp,
        _ => null,
    };

    private static DateTimeOffset? ParseInstant(string name, string? value, TimeZoneInfo zone, bool endOfDay, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[name] = [$"'{name}' is required: a date (yyyy-MM-dd) or a time with its offset (ISO 8601)."];
            return null;
        }

        value = value.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var midnight = (endOfDay ? day.AddDays(1) : day).ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
        }

        if (DateTimeOffset.TryParseExact(value, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            && (value.EndsWith('Z') || value.LastIndexOfAny(['+', '-']) > value.IndexOf('T', StringComparison.Ordinal)))
        {
            return instant;
        }

        errors[name] = [$"'{value}' is not a date (yyyy-MM-dd) or a time with its offset (ISO 8601)."];
        return null;
    }
}

/// <summary>Where the downloads live.</summary>
public static class ExportPaths
{
    public const string BouncesCsv = "/exports/bounces.csv";
    public const string BouncesXlsx = "/exports/bounces.xlsx";
}
