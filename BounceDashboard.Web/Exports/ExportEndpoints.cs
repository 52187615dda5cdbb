using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Http.Features;

namespace BounceDashboard.Web.Exports;

/// <summary>The download endpoints and the services behind them.</summary>
public static class ExportEndpoints
{
    /// <summary>
    /// The exporter. It reads through <see cref="IBounceReportQueries"/>, which the pages' read side registers; built by a
    /// factory, so a host without the report's queries (a command-line host) still builds and says what is missing.
    /// </summary>
    public static void AddBounceDashboardExports(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<BounceReportExporter>();
    }

    /// <summary>
    /// <c>GET /exports/bounces.csv</c> and <c>/exports/bounces.xlsx</c> with the report's filter in the query string
    /// (see <see cref="BounceExportQuery"/>), for any signed-in user. Bad parameters answer 400 with problem details.
    /// </summary>
    public static void MapBounceDashboardExports(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("").RequireAuthorization();
        exports.MapGet(ExportPaths.BouncesCsv, (HttpContext context, BounceReportExporter exporter) => ExportAsync(context, exporter, ExportFormat.Csv));
        exports.MapGet(ExportPaths.BouncesXlsx, (HttpContext context, BounceReportExporter exporter) => ExportAsync(context, exporter, ExportFormat.Xlsx));
    }

    private static async Task<IResult> ExportAsync(HttpContext context, BounceReportExporter exporter, ExportFormat format)
    {
        var query = context.Request.Query;
        var request = BounceExportQuery.Parse(query["from"], query["to"], query["campaign"], query["group"], query["tz"], out var errors);
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The export's parameters are not valid.");
        }

        var fileName = request.FileName(format);
        var contentType = BounceExportRequest.ContentType(format);
        var cancellationToken = context.RequestAborted;
        context.Response.Headers.CacheControl = "no-store";
        if (format == ExportFormat.Csv)
        {
            // Rows go out as the query yields them: no response buffering, no length known beforehand.
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            return TypedResults.Stream(stream => exporter.WriteCsvAsync(request, stream, cancellationToken), contentType, fileName);
        }

        // The zip writes each entry's sizes back into its header, so it goes to a temporary file first; the response
        // then sends the file with its length (the browser's progress shows a percentage), and closing it deletes it.
        var file = BounceReportExporter.CreateTemporaryFile();
        try
        {
            await exporter.WriteExcelAsync(request, file, cancellationToken);
            file.Position = 0;
            return TypedResults.File(file, contentType, fileName);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
