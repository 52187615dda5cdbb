using System.Net;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Identity;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

[Collection(BounceDashboardAppCollectionDefinition.Name)]
public sealed class HangfireDashboardAuthorizationFilterTests(BounceDashboardApp app)
{
    private const string Dashboard = "/hangfire";

    [Fact]
    public async Task Dashboard_ShouldRedirectToLogin_WhenAnonymous()
    {
        using var client = app.CreateBrowserlessClient();

        using var response = await client.GetAsync(Dashboard);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(AccountPaths.Login, response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Dashboard_ShouldBeForbidden_WhenTheUserIsAMarketer()
    {
        using var client = app.CreateBrowserlessClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword);

        using var response = await client.GetAsync(Dashboard);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_ShouldOpen_WhenTheUserIsAnAdmin()
    {
        using var client = app.CreateBrowserlessClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword);

        using var response = await client.GetAsync(Dashboard);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hangfire Dashboard", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
