using System.Net;
using AngleSharp.Html.Parser;
using BounceDashboard.Web.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// The whole app in memory (WebApplicationFactory) on a temporary SQLite FILE, migrated and seeded the way
/// <c>dotnet run</c> does it. Shared by the test classes of <see cref="BounceDashboardAppCollectionDefinition"/>.
/// </summary>
public sealed class BounceDashboardApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    // The development defaults from appsettings.Development.json; the factory runs in Development.
    public const string AdminEmail = "admin@bouncedashboard.local";
    public const string AdminPassword = "Admin#Demo2026";
    public const string MarketerEmail = "marketer@bouncedashboard.local";
    public const string MarketerPassword = "Marketer#Demo2026";

    private readonly string _directory = Directory.CreateTempSubdirectory("bounce-app-").FullName;

    public string DatabasePath => Path.Combine(_directory, "app.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={DatabasePath}");
    }

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see each 302.</summary>
    public HttpClient CreateBrowserlessClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Posts the login form the way a browser does: the antiforgery token from the page, the handler name.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var loginUrl = returnUrl is null ? AccountPaths.Login : $"{AccountPaths.Login}?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        using var page = await client.GetAsync(loginUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = await new HtmlParser().ParseDocumentAsync(await page.Content.ReadAsStringAsync());
        var form = document.QuerySelector("form[method=post]") ?? throw new InvalidOperationException("The login page has no form.");
        var fields = form.QuerySelectorAll("input[type=hidden]")
            .Select(input => KeyValuePair.Create(input.GetAttribute("name")!, input.GetAttribute("value") ?? ""))
            .Concat([KeyValuePair.Create("Input.Email", email), KeyValuePair.Create("Input.Password", password)]);
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(form.GetAttribute("action") ?? loginUrl, content);
    }

    /// <summary>The antiforgery token a page renders (the login form, or the sign-out form of the shell).</summary>
    public static async Task<string> ReadAntiforgeryTokenAsync(HttpClient client, string path)
    {
        using var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = await new HtmlParser().ParseDocumentAsync(await page.Content.ReadAsStringAsync());
        return document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"{path} renders no antiforgery token.");
    }

    public async Task InitializeAsync()
    {
        // Starts the host: migrations, demo data and demo users happen here.
        using var client = CreateClient();
        using var response = await client.GetAsync(AccountPaths.Login);
        response.EnsureSuccessStatusCode();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class BounceDashboardAppCollectionDefinition : ICollectionFixture<BounceDashboardApp>
{
    public const string Name = "BounceDashboard app";
}
