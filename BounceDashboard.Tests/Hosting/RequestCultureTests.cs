using System.Globalization;
using System.Net;
using AngleSharp.Html.Parser;
using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

/// <summary>
/// Figures follow the browser's languages through the real pipeline: the same campaign page, prerendered for a German
/// and an English browser, shows its sent count the German and the English way.
/// </summary>
[Collection(BounceDashboardAppCollectionDefinition.Name)]
public sealed class RequestCultureTests(BounceDashboardApp app)
{
    [Theory]
    [InlineData("de-DE,de;q=0.9,en;q=0.8", "de-DE")]
    [InlineData("en-US,en;q=0.9", "en-US")]
    [InlineData("xx-XX", "en-US")]
    public async Task CampaignPage_ShouldFormatTheSentCountInTheBrowsersCulture_WhenTheBrowserNamesItsLanguages(string acceptLanguage, string culture)
    {
        var (campaignId, sent) = await BiggestSentCampaignAsync();
        Assert.True(sent >= 1000, $"the demo campaign sent {sent}: too few for a thousands separator");
        using var client = app.CreateBrowserlessClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/campaigns/{campaignId}");
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        var card = document.QuerySelector("#card-sent") ?? throw new InvalidOperationException("no sent card in the prerendered page");
        Assert.Contains(sent.ToString("N0", CultureInfo.GetCultureInfo(culture)), card.TextContent, StringComparison.Ordinal);
    }

    private async Task<(long Id, int Sent)> BiggestSentCampaignAsync()
    {
        var options = new DbContextOptionsBuilder<Web.Data.SqliteBounceDbContext>()
            .UseSqlite($"Data Source={app.DatabasePath};Mode=ReadOnly").Options;
        await using var db = new Web.Data.SqliteBounceDbContext(options);
        var statistics = await db.CampaignStatistics.AsNoTracking().ToListAsync();
        var best = statistics.Select(s => (s.CampaignId, s.ToCounts().Sent)).MaxBy(s => s.Sent);
        SqliteConnection.ClearPool(new SqliteConnection(db.Database.GetConnectionString()));
        return best;
    }
}
