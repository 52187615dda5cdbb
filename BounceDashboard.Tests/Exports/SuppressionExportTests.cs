using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Identity;
using BounceDashboard.Web.Queries;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Exports;

/// <summary>The suppression list's downloads through the running app, with the list's queries replaced by two rows.</summary>
[Collection(BounceDashboardAppCollectionDefinition.Name)]
public sealed class SuppressionExportTests(BounceDashboardApp app)
{
    private readonly FakeQueries _queries = new();

    private HttpClient CreateClient() =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ISuppressionQueries>(_queries)))
            .CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<HttpClient> SignedInAsync()
    {
        var client = CreateClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    [Theory]
    [InlineData("/exports/suppressions.csv")]
    [InlineData("/exports/suppressions.xlsx")]
    public async Task Get_ShouldSendToTheLoginPage_WhenNobodyIsSignedIn(string path)
    {
        using var client = CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(AccountPaths.Login, response.Headers.Location!.AbsolutePath, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_queries.Filters);
    }

    [Fact]
    public async Task GetCsv_ShouldStreamTheFilteredListEscapedWithAFileNameSayingWhatItHolds_WhenSignedIn()
    {
        using var client = await SignedInAsync();

        using var response = await client.GetAsync("/exports/suppressions.csv?q=%40example.com&reason=HardBounce&from=2026-03-01&to=2026-03-31&tz=Europe%2FParis");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("suppressions-hardbounce-at-example.com-2026-03-01-to-2026-03-31-", response.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);
        var filter = Assert.Single(_queries.Filters);
        Assert.Equal(("@example.com", SuppressionReason.HardBounce), (filter.Search, filter.Reason));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(1)), filter.From);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(2)), filter.To);

        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble));
        var lines = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("Address,Reason,Source,Added (Europe/Paris),Added by,Note,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("ann@example.com,Hard bounce,Rules,2026-03-02 10:30:00,system,,UserUnknown,Hard,5.1.1,", lines[1], StringComparison.Ordinal);
        // A stranger's reply and an admin's note that a spreadsheet would read as formulas are written as text.
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\")\",", lines[1], StringComparison.Ordinal);
        Assert.Contains(",'+1 call us,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetXlsx_ShouldHoldOneRowPerEntryWithRealDatesAndEscapedText_WhenSignedIn()
    {
        using var client = await SignedInAsync();

        using var response = await client.GetAsync("/exports/suppressions.xlsx?lifted=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);
        Assert.StartsWith("suppressions-with-lifted-", response.Content.Headers.ContentDisposition.FileNameStar, StringComparison.Ordinal);
        Assert.True(Assert.Single(_queries.Filters).IncludeLifted);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var workbook = new XLWorkbook(stream);
        var sheet = workbook.Worksheet("Suppressions");
        Assert.Equal("Address", sheet.Cell(1, 1).GetString());
        Assert.Equal("Added (UTC)", sheet.Cell(1, 4).GetString());
        Assert.Equal("ann@example.com", sheet.Cell(2, 1).GetString());
        Assert.Equal(new DateTime(2026, 3, 2, 9, 30, 0), sheet.Cell(2, 4).GetDateTime());
        Assert.Equal("'=HYPERLINK(\"http://evil.example\")", sheet.Cell(2, 10).GetString());
        Assert.Equal(77, sheet.Cell(2, 12).GetDouble());
        Assert.Equal("'+1 call us", sheet.Cell(3, 6).GetString());
        Assert.True(sheet.Cell(4, 1).IsEmpty());
        Assert.NotNull(sheet.AutoFilter);
    }

    [Fact]
    public async Task Get_ShouldAnswerBadRequest_WhenTheTimeZoneIsUnknown()
    {
        using var client = await SignedInAsync();

        using var response = await client.GetAsync("/exports/suppressions.csv?tz=Mars%2FOlympus");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_queries.Filters);
    }

    private sealed class FakeQueries : ISuppressionQueries
    {
        private static readonly SuppressionRow[] Rows =
        [
            new(1, "ann@example.com", SuppressionReason.HardBounce, SuppressionSource.Rules, TestData.Now, SuppressionEntry.SystemActor, null, null, null, null,
                new SuppressionCause(41, TestData.Now, MessageKind.Bounce, BounceReason.UserUnknown, true, "5.1.1", "=HYPERLINK(\"http://evil.example\")", "rfc3464", null, 77)),
            new(2, "bob@example.com", SuppressionReason.Manual, SuppressionSource.Admin, TestData.Now.AddDays(-1), "admin@example.org", "+1 call us", null, null, null, null),
        ];

        public List<SuppressionFilter> Filters { get; } = [];

        public Task<PagedResult<SuppressionRow>> ListAsync(
            SuppressionFilter filter, SuppressionSortField sortBy, bool descending, PageRequest page, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<SuppressionSelection> SelectionAsync(SuppressionFilter filter, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<SuppressionRow> StreamAsync(SuppressionFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Filters.Add(filter);
            foreach (var row in Rows)
            {
                await Task.Yield();
                yield return row;
            }
        }
    }
}
