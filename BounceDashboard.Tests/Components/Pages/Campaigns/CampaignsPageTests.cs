using System.Net;
using AngleSharp.Html.Parser;
using BounceDashboard.Tests.TestInfrastructure;
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
}
