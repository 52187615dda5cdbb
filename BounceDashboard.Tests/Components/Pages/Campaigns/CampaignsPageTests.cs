using System.Net;
using AngleSharp.Html.Parser;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Campaigns;

/// <summary>The Campaigns page served by the running app to a signed-in user (prerendered HTML).</summary>
[Collection(BounceDashboardAppCollectionDefinition.Name)]
public sealed class CampaignsPageTests(BounceDashboardApp app)
{
    [Fact]
    public async Task GetHome_ShouldServeTheCampaignsPageInTheShell_WhenTheMarketerIsSignedIn()
    {
        using var client = app.CreateBrowserlessClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        Assert.Equal("Campaigns · BounceDashboard", document.Title);
        Assert.NotNull(document.QuerySelector("#campaigns-grid"));
        Assert.Contains(BounceDashboardApp.MarketerEmail, document.QuerySelector(".mud-appbar")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("false", document.QuerySelector("#circuit-state")!.GetAttribute("data-interactive"));
        Assert.NotNull(document.QuerySelector("#logout-form input[name=__RequestVerificationToken]"));
    }

    [Fact]
    public async Task CampaignQueries_ShouldListEveryDemoCampaign_WhenTheAppHasSeededItsDatabase()
    {
        // The grid loads through this service once the circuit is up (prerendered HTML has no rows).
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BounceDbContext>();
        var seeded = await db.Set<Campaign>().Select(c => c.Name).ToListAsync();

        var page = await scope.ServiceProvider.GetRequiredService<ICampaignQueries>().ListAsync(new PageRequest(0, 100));

        Assert.NotEmpty(seeded);
        Assert.Equal(seeded.Count, page.TotalCount);
        Assert.Equal(seeded.Order(StringComparer.Ordinal), page.Items.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Contains(page.Items, c => c.Counts.Sent > 0 && c.Counts.Delivered > 0);
    }
}
