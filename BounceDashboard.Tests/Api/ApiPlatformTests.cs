using System.Net;
using System.Text.Json;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Api;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Api;

/// <summary>The OpenAPI document and the per-key rate limit, each on an app of its own.</summary>
public sealed class ApiPlatformTests
{
    private static readonly string[] ApiPaths =
    [
        "/api/v1/suppressions",
        "/api/v1/suppressions/{address}",
        "/api/v1/contacts/{address}",
        "/api/v1/campaigns",
        "/api/v1/campaigns/{id}",
        "/api/v1/bounces",
        "/api/v1/bounces/raw",
    ];

    [Fact]
    public async Task OpenApiDocument_ShouldListEveryApiPathWithTheKeyScheme_WhenFetchedWithoutSignIn()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();
        using var client = app.CreateRawClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        // The webhook receivers, when this build has them, must be in the document too (they map their own routes).
        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => p.StartsWith(ApiEndpoints.Prefix + "/", StringComparison.Ordinal))
            .Select(p => p.TrimEnd('/'))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Superset(ApiPaths.ToHashSet(StringComparer.Ordinal), mapped);
        Assert.Superset(mapped, paths);
        Assert.DoesNotContain(paths, p => !p.StartsWith(ApiEndpoints.Prefix, StringComparison.Ordinal));

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
        var add = document.GetProperty("paths").GetProperty("/api/v1/suppressions").GetProperty("post");
        Assert.True(add.GetProperty("security")[0].TryGetProperty("ApiKey", out _));
        var responses = add.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
        Assert.Superset(new HashSet<string> { "201", "400", "401", "403", "409", "413", "415", "429" }, responses.ToHashSet());
        Assert.True(add.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        var raw = document.GetProperty("paths").GetProperty("/api/v1/bounces/raw").GetProperty("post");
        Assert.True(raw.GetProperty("requestBody").GetProperty("content").TryGetProperty(ApiEndpoints.RawMessageContentType, out _));

        // The provider webhooks: documented with their bodies, authenticated by signatures, not keys.
        foreach (var provider in new[] { "ses", "sendgrid", "postmark", "mailgun" })
        {
            var hook = document.GetProperty("paths").GetProperty($"/api/v1/webhooks/{provider}").GetProperty("post");
            Assert.True(hook.TryGetProperty("requestBody", out _), provider);
            Assert.False(hook.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, provider);
            Assert.Superset(new HashSet<string> { "200", "400", "401", "413" }, hook.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet());
        }
    }

    [Fact]
    public async Task AnyRoute_ShouldAnswer429WithRetryAfterForThatKeyOnly_WhenItsLimitIsSpent()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production(("Api:RateLimitPermits", "2"), ("Api:RateLimitWindow", "00:10:00")).StartAsync();
        var commands = app.Services.GetRequiredService<ApiKeyCommands>();
        var busy = (await commands.CreateAsync("tests", "busy", "Marketer")).Key!.Secret;
        var quiet = (await commands.CreateAsync("tests", "quiet", "Marketer")).Key!.Secret;
        using var busyClient = app.CreateRawClient();
        busyClient.DefaultRequestHeaders.Add(ApiKeyAuthentication.HeaderName, busy);
        using var quietClient = app.CreateRawClient();
        quietClient.DefaultRequestHeaders.Add(ApiKeyAuthentication.HeaderName, quiet);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var ok = await busyClient.GetAsync("/api/v1/campaigns");
            statuses.Add(ok.StatusCode);
        }

        using var refused = await busyClient.GetAsync("/api/v1/campaigns");
        using var other = await quietClient.GetAsync("/api/v1/campaigns");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], statuses);
        await ApiApp.AssertProblemAsync(refused, 429);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 600);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task DocsPage_ShouldBeServedInDevelopmentOnly_WhenRequestedWithoutSignIn()
    {
        await using var development = await new ConfiguredBounceDashboardApp("Development", new Dictionary<string, string?> { ["Database:SeedDemoData"] = "false" }).StartAsync();
        await using var production = await ConfiguredBounceDashboardApp.Production().StartAsync();
        using var developmentClient = development.CreateRawClient();
        using var productionClient = production.CreateRawClient();

        using var page = await developmentClient.GetAsync("/api/docs");
        using var absent = await productionClient.GetAsync("/api/docs");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("/openapi/v1.json", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, absent.StatusCode);
    }

    [Fact]
    public async Task LastUse_ShouldBeWrittenAtMostOnceAMinute_WhenAKeyIsUsedOften()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var configured = ConfiguredBounceDashboardApp.Production();
        await using var app = configured.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time)));
        var secret = (await app.Services.GetRequiredService<ApiKeyCommands>().CreateAsync("tests", "often", "Marketer")).Key!.Secret;
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.HeaderName, secret);

        async Task<DateTimeOffset?> UseAsync()
        {
            using var response = await client.GetAsync("/api/v1/campaigns");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<BounceDbContext>>().CreateDbContextAsync();
            return (await db.ApiKeys.SingleAsync(k => k.Name == "often")).LastUsedAt;
        }

        var first = await UseAsync();
        time.Advance(TimeSpan.FromSeconds(59));
        var soon = await UseAsync();
        time.Advance(TimeSpan.FromSeconds(2));
        var later = await UseAsync();

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), first);
        Assert.Equal(first, soon);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 1, 1, TimeSpan.Zero), later);
    }
}
