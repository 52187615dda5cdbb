using System.Net;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Identity;
using Xunit;

namespace BounceDashboard.Tests.Identity;

/// <summary>The login page, sign-out and access denied, through HTTP against the running app.</summary>
[Collection(BounceDashboardAppCollectionDefinition.Name)]
public sealed class SignInTests(BounceDashboardApp app)
{
    [Fact]
    public async Task Login_ShouldRedirectToTheReturnUrl_WhenTheMarketerSignsIn()
    {
        using var client = app.CreateBrowserlessClient();

        using var response = await BounceDashboardApp.SignInAsync(
            client, BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword, "/campaigns");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/campaigns", response.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example/phish")]
    public async Task Login_ShouldIgnoreTheReturnUrl_WhenItIsNotLocal(string returnUrl)
    {
        using var client = app.CreateBrowserlessClient();

        using var response = await BounceDashboardApp.SignInAsync(
            client, BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.True(!location.IsAbsoluteUri || location.Host == "localhost", $"redirected off-site to {location}");
        Assert.Equal("/", location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString);
    }

    [Fact]
    public async Task Login_ShouldShowAnErrorAndSetNoCookie_WhenThePasswordIsWrong()
    {
        using var client = app.CreateBrowserlessClient();

        using var response = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.MarketerEmail, "Wrong#Password1");
        using var home = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid email or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task Login_ShouldRefuseThePost_WhenTheAntiforgeryTokenIsMissing()
    {
        using var client = app.CreateBrowserlessClient();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = BounceDashboardApp.MarketerEmail,
            ["Input.Password"] = BounceDashboardApp.MarketerPassword,
        });

        using var response = await client.PostAsync(AccountPaths.Login, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Logout_ShouldEndTheSession_WhenPostedWithTheAntiforgeryToken()
    {
        using var client = app.CreateBrowserlessClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword);
        var token = await BounceDashboardApp.ReadAntiforgeryTokenAsync(client, "/");

        using var logout = await client.PostAsync(AccountPaths.Logout,
            new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", token)]));
        using var home = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(AccountPaths.Login, logout.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task Logout_ShouldBeRefused_WhenTheAntiforgeryTokenIsMissing()
    {
        using var client = app.CreateBrowserlessClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword);

        using var logout = await client.PostAsync(AccountPaths.Logout, new FormUrlEncodedContent([]));
        using var stillSignedIn = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
    }
}
