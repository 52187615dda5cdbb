using System.Globalization;
using BounceDashboard.Domain.Security;
using BounceDashboard.Web.Components.Pages.Admin;
using BounceDashboard.Web.Components.Shared;
using BounceDashboard.Web.Queries;
using CsvHelper;
using Microsoft.AspNetCore.Http.Features;

namespace BounceDashboard.Web.Exports;

/// <summary>
/// <c>GET /exports/audit.csv</c> (Admins only): the audit log under the page's filters (<see cref="AuditLogView"/>, plus
/// <c>tz</c>, the IANA zone the days and times are read and written in; UTC by default), newest first, streamed row by
/// row. UTF-8 with a byte order mark, a header row, every text cell escaped against formula injection (targets and
/// reasons can come from anyone's import file).
/// </summary>
public static class AuditLogExport
{
    public const string Path = "/exports/audit.csv";

    private static readonly CsvWriterOptions Options = new() { WriteByteOrderMark = true, NewLine = "\r\n" };

    public static string[] Header(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return [$"Time ({zone.Id})", "Actor", "Action", "Target", "Reason", "Details"];
    }

    public static void MapAuditLogExport(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path, ExportAsync).RequireAuthorization(policy => policy.RequireRole(Roles.Admin));

    /// <summary>The download URL of the view, its dates read in <paramref name="zone"/>.</summary>
    public static string UrlOf(AuditLogView view, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(view);
        return Path + view.QueryString(zone);
    }

    /// <summary>"audit-log-2026-11-01-to-2026-11-30.csv"; without dates, "audit-log-all-until-2026-12-07.csv" (UTC date).</summary>
    public static string FileName(AuditLogView view, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(view);
        var period = view.PeriodSlug();
        if (view.To is null)
        {
            period += "-until-" + now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return $"audit-log-{period}.csv";
    }

    /// <summary>Writes the header and every row; returns how many entries it wrote.</summary>
    public static async Task<long> WriteAsync(IAsyncEnumerable<AuditLogRow> rows, TimeZoneInfo zone, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(zone);
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        csv.WriteHeader(Header(zone));
        long count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            csv.WriteField(TimeZoneInfo.ConvertTime(row.At, zone), "yyyy-MM-dd HH:mm:ss");
            csv.WriteField(FormulaEscaping.Escape(row.Actor));
            csv.WriteField(AuditActionChip.LabelOf(row.Action));
            csv.WriteField(FormulaEscaping.Escape(row.Target));
            csv.WriteField(FormulaEscaping.Escape(row.Reason) ?? string.Empty);
            csv.WriteField(FormulaEscaping.Escape(row.Details) ?? string.Empty);
            await csv.EndRecordAsync(cancellationToken);
            count++;
        }

        await csv.FlushAsync(cancellationToken);
        return count;
    }

    private static IResult ExportAsync(HttpContext context, IAuditLogQueries queries, TimeProvider time)
    {
        var query = context.Request.Query;
        var zone = TimeZoneInfo.Utc;
        var tz = query["tz"].ToString();
        if (!string.IsNullOrWhiteSpace(tz) && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out zone))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["tz"] = [$"'{tz}' is not a time zone (use an IANA name such as Europe/Paris)."] },
                title: "The export's parameters are not valid.");
        }

        var view = AuditLogView.Parse(query["actor"], query["action"], query["target"], query["from"], query["to"]);
        var filter = view.ToFilter(zone!);
        var cancellationToken = context.RequestAborted;
        context.Response.Headers.CacheControl = "no-store";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return TypedResults.Stream(
            stream => WriteAsync(queries.StreamAsync(filter, cancellationToken), zone!, stream, cancellationToken),
            "text/csv; charset=utf-8",
            FileName(view, time.GetUtcNow()));
    }
}
