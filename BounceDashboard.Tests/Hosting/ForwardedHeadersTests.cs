using System.Net;
using AngleSharp.Html.Parser;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Identity;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

/// <summary>
/// Behind a reverse proxy that ends TLS: the proxy's X-Forwarded-Proto is believed from known proxies only, and then
/// cookies are Secure and HSTS is sent. Production, because HSTS is off in Development; a public host name, because
/// HSTS is never sent to localhost.
/// </summary>
public sealed class ForwardedHeadersTests : IAsyncLifetime
{
    private const string ConfiguredProxy = "10.20.30.40";
    private const string PublicAddress = "http://bounce.example/";

    private ConfiguredBounceDashboardApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await ConfiguredBounceDashboardApp.Production(
            ("ForwardedHeaders:KnownProxies:0", ConfiguredProxy),
            ("ForwardedHeaders:KnownNetworks:0", "192.168.77.0/24")).StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static HttpRequestMessage Request(HttpMethod method, string path, string remoteIp, string? cookies = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(ConfiguredBounceDashboardApp.RemoteIpHeader, remoteIp);
        request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (cookies is not null)
        {
            request.Headers.Add("Cookie", cookies);
        }

        return request;
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    private static bool IsSecure(string setCookie) =>
        setCookie.Split(';').Any(part => part.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase));

    /// <summary>Opens the login page and posts the form through the "proxy" at <paramref name="remoteIp"/>; returns both responses.</summary>
    private async Task<(HttpResponseMessage Page, HttpResponseMessage SignIn)> SignInThroughProxyAsync(string remoteIp)
    {
        using var client = _app.CreateRawClient(PublicAddress);
        var page = await client.SendAsync(Request(HttpMethod.Get, AccountPaths.Login, remoteIp));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = await new HtmlParser().ParseDocumentAsync(await page.Content.ReadAsStringAsync());
        var form = document.QuerySelector("form[method=post]") ?? throw new InvalidOperationException("The login page has no form.");
        var fields = form.QuerySelectorAll("input[type=hidden]")
            .Select(input => KeyValuePair.Create(input.GetAttribute("name")!, input.GetAttribute("value") ?? ""))
            .Concat([
                KeyValuePair.Create("Input.Email", BounceDashboardApp.MarketerEmail),
                KeyValuePair.Create("Input.Password", BounceDashboardApp.MarketerPassword),
            ]);
        // The browser sends back what it was given (name=value before the first ';').
        var cookies = string.Join("; ", SetCookies(page).Select(c => c.Split(';')[0]));
        var post = Request(HttpMethod.Post, form.GetAttribute("action") ?? AccountPaths.Login, remoteIp, cookies);
        post.Content = new FormUrlEncodedContent(fields);
        var signIn = await client.SendAsync(post);
        return (page, signIn);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData(ConfiguredProxy)]
    [InlineData("::ffff:" + ConfiguredProxy)]
    [InlineData("192.168.77.12")]
    public async Task SignIn_ShouldSetSecureCookiesAndSendHsts_WhenAKnownProxyForwardsHttps(string proxy)
    {
        var (page, signIn) = await SignInThroughProxyAsync(proxy);
        using (page)
        using (signIn)
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            var pageCookies = SetCookies(page).ToList();
            var signInCookies = SetCookies(signIn).ToList();
            Assert.Contains(pageCookies, c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
            Assert.Contains(signInCookies, c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
            Assert.All(pageCookies.Concat(signInCookies), c => Assert.True(IsSecure(c), $"not Secure: {c}"));
            Assert.True(page.Headers.Contains("Strict-Transport-Security"), "no HSTS header on the login page");
        }
    }

    [Theory]
    [InlineData("203.0.113.9")]
    [InlineData("10.20.30.41")]
    [InlineData("192.168.78.12")]
    public async Task SignIn_ShouldIgnoreTheForwardedScheme_WhenTheProxyIsUnknown(string proxy)
    {
        var (page, signIn) = await SignInThroughProxyAsync(proxy);
        using (page)
        using (signIn)
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.All(SetCookies(page).Concat(SetCookies(signIn)), c => Assert.False(IsSecure(c), $"Secure over plain HTTP: {c}"));
            Assert.False(page.Headers.Contains("Strict-Transport-Security"), "HSTS over plain HTTP");
        }
    }
}
