using System.Globalization;
using System.Text;
using BounceDashboard.Web.Components.Shared;
using BounceDashboard.Web.Queries;
using CsvHelper;

namespace BounceDashboard.Web.Exports;

/// <summary>
/// <c>GET /exports/audiences/{id}.csv</c>: every member of an audience as CSV (UTF-8, header row), streamed row by row
/// from the database to the response, so memory stays flat whatever the audience's size. Text cells go through
/// <see cref="FormulaEscaping"/>: names come from anyone's import file.
/// </summary>
public static class AudienceExportEndpoint
{
    public const string Pattern = "/exports/audiences/{id:long}.csv";

    public static readonly string[] Header = ["email", "name", "status", "suppressed", "added_at"];

    public static void MapAudienceExport(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Pattern, ExportAsync).RequireAuthorization();

    /// <summary>The path of an audience's export, for links.</summary>
    public static string PathOf(long audienceId) =>
        "/exports/audiences/" + audienceId.ToString(CultureInfo.InvariantCulture) + ".csv";

    /// <summary>"audience-spring-newsletter-2026-03-02.csv": the audience's name as a slug and the UTC date.</summary>
    public static string FileName(string audienceName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(audienceName);
        var slug = new StringBuilder();
        foreach (var c in audienceName.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString().Trim('-');
        if (text.Length > 60)
        {
            text = text[..60].TrimEnd('-');
        }

        return $"audience-{(text.Length == 0 ? "export" : text)}-{now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";
    }

    /// <summary>Writes the members as CSV to <paramref name="output"/>.</summary>
    public static async Task WriteAsync(IAsyncEnumerable<AudienceMemberRow> members, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { NewLine = "\r\n" }, leaveOpen: true);
        csv.WriteHeader(Header);
        await foreach (var member in members.WithCancellation(cancellationToken))
        {
            csv.WriteField(FormulaEscaping.Escape(member.Email));
            csv.WriteField(FormulaEscaping.Escape(member.DisplayName) ?? string.Empty);
            csv.WriteField(ContactStatusChip.LabelOf(member.Status));
            csv.WriteField(member.Suppressed ? "yes" : "no");
            csv.WriteField(member.AddedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            await csv.EndRecordAsync(cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    private static async Task<IResult> ExportAsync(long id, HttpContext context, IAudienceQueries queries, TimeProvider time)
    {
        var cancellationToken = context.RequestAborted;
        var audience = await queries.GetAsync(id, cancellationToken);
        if (audience is null)
        {
            return Results.NotFound();
        }

        var fileName = FileName(audience.Name, time.GetUtcNow());
        return Results.Stream(
            stream => WriteAsync(queries.StreamMembersAsync(id, cancellationToken), stream, cancellationToken),
            "text/csv; charset=utf-8",
            fileName);
    }
}
