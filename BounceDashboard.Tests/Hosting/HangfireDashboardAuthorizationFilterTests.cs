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

    [Theory]
    [InlineData(BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword, HttpStatusCode.Forbidden)]
    [InlineData(BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword, HttpStatusCode.OK)]
    public async Task Dashboard_ShouldOpenToAdminsOnly_WhenTheUserIsSignedIn(string email, string password, HttpStatusCode expected)
    {
        using var client = app.CreateBrowserlessClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, email, password);

        using var response = await client.GetAsync(Dashboard);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK,
            (await response.Content.ReadAsStringAsync()).Contains("Hangfire Dashboard", StringComparison.Ordinal));
    }
}
