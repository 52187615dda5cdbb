using System.Net;
using System.Text;
using System.Text.Json;
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

/// <summary>The download endpoints of the running app, with the report's queries replaced by a list.</summary>
[Collection(BounceDashboardAppCollectionDefinition.Name)]
public sealed class ExportEndpointsTests(BounceDashboardApp app)
{
    private const string November = "from=2026-11-01&to=2026-11-30&tz=Europe%2FParis";

    private readonly FakeBounceReportQueries _queries = FakeBounceReportQueries.WithSample();

    private HttpClient CreateClient() =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IBounceReportQueries>(_queries)))
            .CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<HttpClient> SignedInAsync()
    {
        var client = CreateClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    [Theory]
    [InlineData(ExportPaths.BouncesCsv)]
    [InlineData(ExportPaths.BouncesXlsx)]
    public async Task Get_ShouldSendToTheLoginPage_WhenNobodyIsSignedIn(string path)
    {
        using var client = CreateClient();

        using var response = await client.GetAsync($"{path}?{November}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(AccountPaths.Login, response.Headers.Location!.AbsolutePath, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_queries.Filters);
    }

    [Fact]
    public async Task GetCsv_ShouldStreamTheBouncesOfTheFilterWithAFileNameSayingWhatItHolds_WhenTheMarketerIsSignedIn()
    {
        using var client = await SignedInAsync();

        using var response = await client.GetAsync($"{ExportPaths.BouncesCsv}?{November}&campaign=42&group=domain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("bounces-by-sending-domain-2026-11-01-to-2026-11-30-campaign-42.csv", response.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition.DispositionType);
        var text = Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync()).AsSpan(Encoding.UTF8.Preamble.Length));
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("Received (Europe/Paris),Sending domain,Recipient", lines[0], StringComparison.Ordinal);
        Assert.Contains("josé@exämple.com", lines[1], StringComparison.Ordinal);
        Assert.Contains("'=cmd", lines[3], StringComparison.Ordinal);
        var filter = Assert.Single(_queries.Filters);
        Assert.Equal(new BounceReportFilter(
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(1)), 42, BounceReportGrouping.SendingDomain),
            filter);
    }

    [Fact]
    public async Task GetXlsx_ShouldSendAWorkbookWithItsLength_WhenTheMarketerIsSignedIn()
    {
        using var client = await SignedInAsync();

        using var response = await client.GetAsync($"{ExportPaths.BouncesXlsx}?{November}&group=ip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BounceExportRequest.XlsxContentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("bounces-by-sending-ip-2026-11-01-to-2026-11-30.xlsx", response.Content.Headers.ContentDisposition!.FileNameStar);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        Assert.Equal("Sending IP", workbook.Worksheet("Summary").Cell("B5").GetString());
        Assert.Equal(4, workbook.Worksheet("Bounces").LastRowUsed().RowNumber());
    }

    [Fact]
    public async Task Get_ShouldAnswer400WithProblemDetailsNamingEachParameter_WhenTheFilterIsNotValid()
    {
        using var client = await SignedInAsync();

        using var response = await client.GetAsync($"{ExportPaths.BouncesXlsx}?from=2026-11-31&campaign=abc&group=country");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["campaign", "from", "group", "to"], errors);
        Assert.Empty(_queries.Filters);
    }
}
