using System.Net;
using System.Security.Claims;
using AngleSharp.Html.Parser;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Identity;

/// <summary>The admin pages, the audit export and the account pages through HTTP against the running app.</summary>
[Collection(BounceDashboardAppCollectionDefinition.Name)]
public sealed class UserAdministrationHttpTests(BounceDashboardApp app)
{
    [Theory]
    [InlineData("/admin/users")]
    [InlineData("/admin/audit")]
    [InlineData("/exports/audit.csv")]
    public async Task Get_ShouldEndAt403_WhenAMarketerAsksForAnAdminPage(string path)
    {
        using var client = app.CreateBrowserlessClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword);

        var (status, finalPath) = await FollowAsync(client, path);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(AccountPaths.AccessDenied, finalPath);
    }

    [Theory]
    [InlineData("/admin/users", "Users · BounceDashboard")]
    [InlineData("/admin/audit", "Audit log · BounceDashboard")]
    public async Task Get_ShouldRenderThePage_WhenAnAdminAsks(string path, string title)
    {
        using var client = app.CreateBrowserlessClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(title, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditExport_ShouldDownloadTheFilteredLogAsCsv_WhenAnAdminAsks()
    {
        using var client = app.CreateBrowserlessClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword);

        using var response = await client.GetAsync(AuditLogExport.Path + "?action=ReactivateAddress&from=2020-01-01&to=2030-12-31&tz=Europe%2FParis");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("audit-log-2020-01-01-to-2030-12-31.csv", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Time (Europe/Paris),Actor,Action,Target,Reason,Details", lines[0]);
        Assert.All(lines.Skip(1), line => Assert.Contains(",Reactivated address,", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_ShouldSayTheAccountIsDisabled_WhenAnAdminDisabledTheUser()
    {
        var commands = app.Services.GetRequiredService<IUserCommands>();
        var email = $"http-disabled-{Guid.NewGuid():N}@example.org";
        var created = await commands.CreateAsync(Admin, email, Roles.Marketer, "Before#2026a");
        Assert.True(created.Succeeded, created.Message);
        using (var before = app.CreateBrowserlessClient())
        {
            using var signedIn = await BounceDashboardApp.SignInAsync(before, email, "Before#2026a");
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        string id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<BounceDashboard.Web.Queries.IUserQueries>()
                .ListAsync(email, new BounceDashboard.Web.Queries.PageRequest(0, 1))).Items.Single().Id;
        }

        Assert.True((await commands.DisableAsync(Admin, id)).Succeeded);
        using var client = app.CreateBrowserlessClient();
        using var refused = await BounceDashboardApp.SignInAsync(client, email, "Before#2026a");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("This account is disabled", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_ShouldChangeItAndKeepTheSession_WhenTheCurrentPasswordIsRight()
    {
        var commands = app.Services.GetRequiredService<IUserCommands>();
        var email = $"http-password-{Guid.NewGuid():N}@example.org";
        Assert.True((await commands.CreateAsync(Admin, email, Roles.Marketer, "Before#2026a")).Succeeded);
        using var client = app.CreateBrowserlessClient();
        using var signIn = await BounceDashboardApp.SignInAsync(client, email, "Before#2026a");

        using var response = await PostFormAsync(client, AccountPaths.ChangePassword, new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = "Before#2026a",
            ["Input.NewPassword"] = "After#2026b",
            ["Input.ConfirmPassword"] = "After#2026b",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Your password is changed.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        using var other = app.CreateBrowserlessClient();
        using var withNew = await BounceDashboardApp.SignInAsync(other, email, "After#2026b");
        Assert.Equal(HttpStatusCode.Redirect, withNew.StatusCode);
    }

    [Fact]
    public async Task ResetPassword_ShouldSayTheLinkIsInvalid_WhenItIsMadeUp()
    {
        using var client = app.CreateBrowserlessClient();

        using var response = await client.GetAsync(AccountPaths.ResetPassword + "?userId=nobody&code=bm9wZQ");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("This link is invalid", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Input.Password", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPassword_ShouldSetThePasswordAnonymously_WhenTheLinkIsValid()
    {
        var commands = app.Services.GetRequiredService<IUserCommands>();
        var email = $"http-link-{Guid.NewGuid():N}@example.org";
        var created = await commands.CreateAsync(Admin, email, Roles.Marketer, null);
        using var client = app.CreateBrowserlessClient();

        using var response = await PostFormAsync(client, created.OneTimeLink!, new Dictionary<string, string>
        {
            ["Input.Password"] = "Linked#2026c",
            ["Input.ConfirmPassword"] = "Linked#2026c",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Your password is set.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var signIn = await BounceDashboardApp.SignInAsync(client, email, "Linked#2026c");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public void SignInCookie_ShouldBeCheckedAgainEveryFiveMinutes_WhenTheAppRuns()
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Identity.SecurityStampValidatorOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(5), options.ValidationInterval);
        Assert.Equal(options.ValidationInterval, IdentityRevalidatingAuthenticationStateProvider.Interval);
    }

    private static ClaimsPrincipal Admin =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, BounceDashboardApp.AdminEmail), new Claim(ClaimTypes.Role, Roles.Admin)], "Test"));

    /// <summary>Follows redirects by hand (the client does not) and returns the last status and path.</summary>
    private static async Task<(HttpStatusCode Status, string Path)> FollowAsync(HttpClient client, string path)
    {
        for (var hops = 0; hops < 5; hops++)
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                return (response.StatusCode, path.Split('?')[0]);
            }

            var location = response.Headers.Location!;
            path = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    /// <summary>Posts the page's form the way a browser does: its hidden fields (antiforgery, handler) plus the values.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> values)
    {
        using var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = await new HtmlParser().ParseDocumentAsync(await page.Content.ReadAsStringAsync());
        var form = document.QuerySelector("form[method=post]:not(#logout-form)") ?? throw new InvalidOperationException($"{path} has no form.");
        var fields = form.QuerySelectorAll("input[type=hidden]")
            .Select(input => KeyValuePair.Create(input.GetAttribute("name")!, input.GetAttribute("value") ?? ""))
            .Concat(values);
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(form.GetAttribute("action") ?? path, content);
    }
}
