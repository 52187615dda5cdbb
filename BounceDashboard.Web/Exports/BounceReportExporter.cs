using BounceDashboard.Web.Queries;

namespace BounceDashboard.Web.Exports;

/// <summary>The bounce report's downloads: the report's queries streamed through the CSV and Excel writers.</summary>
public sealed class BounceReportExporter(IBounceReportQueries queries, TimeProvider time)
{
    /// <summary>Writes one row per bounce as CSV; returns how many.</summary>
    public Task<long> WriteCsvAsync(BounceExportRequest request, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BounceCsvWriter.WriteAsync(request, queries.StreamDetailsAsync(request.Filter, cancellationToken), destination, cancellationToken);
    }

    /// <summary>Writes the summary and detail sheets to <paramref name="destination"/>, which must be seekable (a file).</summary>
    public Task<BounceExcelResult> WriteExcelAsync(BounceExportRequest request, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new BounceExcelWriter().WriteAsync(
            request,
            queries.StreamSummaryAsync(request.Filter, cancellationToken),
            queries.StreamDetailsAsync(request.Filter, cancellationToken),
            time.GetUtcNow(),
            destination,
            cancellationToken);
    }

    /// <summary>
    /// A temporary file for an Excel export (the zip needs a seekable stream), deleted when the returned stream is closed.
    /// Memory stays flat for a million rows; the file is what the response then sends, with its length.
    /// </summary>
    public static FileStream CreateTemporaryFile() =>
        new(
            Path.Combine(Path.GetTempPath(), $"bounce-export-{Guid.NewGuid():N}.xlsx"),
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.None,
            bufferSize: 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
