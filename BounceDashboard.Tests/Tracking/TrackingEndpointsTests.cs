using System.Net;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Tracking;

/// <summary>The real app (Production, demo users, the test tracking key) on a fake clock, shared by one test class.</summary>
public sealed class TrackingApp : IAsyncLifetime
{
    private readonly ConfiguredBounceDashboardApp _app = ConfiguredBounceDashboardApp.Production();
    private int _seeded;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Factory = _app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Time)));
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync("/Account/Login");
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public HttpClient CreateClient() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public async Task<BounceDbContext> CreateContextAsync() =>
        await Factory.Services.GetRequiredService<IDbContextFactory<BounceDbContext>>().CreateDbContextAsync();

    /// <summary>A contact, a campaign with <paramref name="links"/> numbered 1..n, and its delivery to the contact.</summary>
    public async Task<(Delivery Delivery, string Token)> SeedDeliveryAsync(params string[] links)
    {
        var n = Interlocked.Increment(ref _seeded);
        await using var db = await CreateContextAsync();
        var contact = Contact.Create($"reader{n}@example.com", Time.GetUtcNow());
        var campaign = Campaign.Create($"Tracked {n}", CampaignKind.Regular, "news@mail.example.org", "News", Time.GetUtcNow());
        db.AddRange(contact, campaign);
        await db.SaveChangesAsync();
        db.CampaignLinks.AddRange(CampaignLink.ForCampaign(campaign.Id, links));
        var delivery = Delivery.Create(campaign.Id, contact.Id, Time.GetUtcNow());
        delivery.BeginAttempt(Time.GetUtcNow(), $"<{campaign.Id}.{contact.Id}@mail.example.org>");
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();
        return (delivery, InboundFixtures.Signer.Create(delivery.Id));
    }

    public async Task<int> CountEventsAsync()
    {
        await using var db = await CreateContextAsync();
        return await db.TrackingEvents.CountAsync();
    }
}

public sealed class TrackingEndpointsTests(TrackingApp app) : IClassFixture<TrackingApp>
{
    private const string Evil = "https://evil.example/";

    [Fact]
    public async Task Open_ShouldAnswerAnUncachedTransparentGifAndCountEachHit_WhenTheTokenIsValid()
    {
        var (delivery, token) = await app.SeedDeliveryAsync("https://shop.example.org/");
        var firstAt = app.Time.GetUtcNow();
        using var client = app.CreateClient();

        // Two hits at the same instant are still two hits; a third comes later.
        using var first = await client.GetAsync($"/t/o/{token}");
        using var second = await client.GetAsync($"/t/o/{token}");
        app.Time.Advance(TimeSpan.FromMinutes(3));
        using var third = await client.GetAsync($"/t/o/{token}");

        foreach (var response in new[] { first, second, third })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/gif", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.CacheControl?.NoStore, "the pixel must not be cached");
            var gif = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal("GIF89a"u8.ToArray(), gif[..6]);
            Assert.Equal(new byte[] { 1, 0, 1, 0 }, gif[6..10]);
        }

        await using var db = await app.CreateContextAsync();
        var opens = await db.TrackingEvents.Where(e => e.DeliveryId == delivery.Id).ToListAsync();
        Assert.Equal(3, opens.Count(e => e.Kind == TrackingEventKind.Open));
        Assert.Equal([firstAt, firstAt, firstAt.AddMinutes(3)], opens.Select(e => e.OccurredAt).Order());
        var saved = await db.Deliveries.SingleAsync(d => d.Id == delivery.Id);
        Assert.Equal(firstAt, saved.OpenedAt);
        Assert.Equal(1, await db.Deliveries.CountAsync(d => d.CampaignId == delivery.CampaignId && d.OpenedAt != null));
        Assert.Equal(firstAt.AddMinutes(3), (await db.Contacts.SingleAsync(c => c.Id == delivery.ContactId)).LastActivityAt);
    }

    [Fact]
    public async Task Click_ShouldRedirectToTheCampaignsStoredLinkAndCountAsAnOpen_WhenTheTokenAndLinkAreValid()
    {
        var (delivery, token) = await app.SeedDeliveryAsync("https://shop.example.org/a", "https://shop.example.org/b?x=1&y=2");
        var at = app.Time.GetUtcNow();
        using var client = app.CreateClient();

        using var first = await client.GetAsync($"/t/c/{token}/2");
        using var second = await client.GetAsync($"/t/c/{token}/2");

        foreach (var response in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(new Uri("https://shop.example.org/b?x=1&y=2"), response.Headers.Location);
        }

        await using var db = await app.CreateContextAsync();
        var clicks = await db.TrackingEvents.Where(e => e.DeliveryId == delivery.Id).ToListAsync();
        Assert.Equal(2, clicks.Count);
        Assert.All(clicks, c => Assert.Equal((TrackingEventKind.Click, "https://shop.example.org/b?x=1&y=2"), (c.Kind, c.Url)));
        var saved = await db.Deliveries.SingleAsync(d => d.Id == delivery.Id);
        Assert.Equal((at, at), (saved.OpenedAt, saved.ClickedAt));
    }

    public static TheoryData<string> BadTokens => new() { "forged", "truncated", "tampered", "unknown delivery", "upper-case forged", "garbage" };

    internal static string BadToken(string kind, string valid) => kind switch
    {
        "forged" => InboundFixtures.ForgerSigner.Create(1),
        "truncated" => valid[..^1],
        "tampered" => valid[..^2] + (valid[^2] == 'a' ? 'b' : 'a') + valid[^1],
        "unknown delivery" => InboundFixtures.Signer.Create(987_654_321),
        "upper-case forged" => InboundFixtures.ForgerSigner.Create(1).ToUpperInvariant(),
        _ => "not-a-token",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task OpenAndClick_ShouldAnswer404AndRecordNothing_WhenTheTokenIsNotOurs(string kind)
    {
        var (_, token) = await app.SeedDeliveryAsync("https://shop.example.org/");
        var bad = BadToken(kind, token);
        var before = await app.CountEventsAsync();
        using var client = app.CreateClient();

        using var open = await client.GetAsync($"/t/o/{bad}");
        using var click = await client.GetAsync($"/t/c/{bad}/1");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (open.StatusCode, click.StatusCode));
        Assert.Null(click.Headers.Location);
        Assert.NotEqual("image/gif", open.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await app.CountEventsAsync());
    }

    [Fact]
    public async Task Click_ShouldAnswer404AndRecordNothing_WhenTheLinkIsNotOneOfTheCampaigns()
    {
        var (_, token) = await app.SeedDeliveryAsync("https://shop.example.org/a", "https://shop.example.org/b");
        // Another campaign with more links: its link 3 exists, but not for this delivery.
        await app.SeedDeliveryAsync("https://other.example.org/1", "https://other.example.org/2", Evil);
        var before = await app.CountEventsAsync();
        using var client = app.CreateClient();

        foreach (var link in new[] { "3", "0", "-1", "-2147483648", "2147483648", "99999999999999999999", "1.5", "1e1", "x" })
        {
            using var response = await client.GetAsync($"/t/c/{token}/{link}");

            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"link {link}: {response.StatusCode}");
            Assert.Null(response.Headers.Location);
        }

        Assert.Equal(before, await app.CountEventsAsync());
    }

    [Fact]
    public async Task OpenAndClick_ShouldNeverRedirectElsewhereNorRecord_WhenTheUrlIsTamperedWith()
    {
        var (_, token) = await app.SeedDeliveryAsync("https://shop.example.org/");
        var before = await app.CountEventsAsync();
        using var client = app.CreateClient();
        string[] attempts =
        [
            $"/t/c/{token}/1?url={Uri.EscapeDataString(Evil)}",
            $"/t/c/{token}/1?redirect={Evil}",
            $"/t/o/{token}?next={Evil}",
            $"/t/c/{token}/1/{Evil}",
            $"/t/c/{token}/1/%2F%2Fevil.example",
            $"/t/c/{token}/1%2F%2Fevil.example",
            $"/t/c/{token}/%2F%2Fevil.example",
            $"/t/c/{token}%2F1/1",
            $"/t/c/{token}%2F..%2F..%2Fevil.example/1",
            $"/t/c/%2F%2Fevil.example/1",
            $"/t/c/{token}/1/..%2F..%2F..%2Fhttps:%2F%2Fevil.example",
            $"/t/c/{token}/1%5C%5Cevil.example",
            $"/t/c/{token}",
            $"/t/c/{token}/",
            $"/t/o/{token}/extra",
            $"/t/o/{token}/{Evil}",
            $"/t/{Uri.EscapeDataString(Evil)}",
            "/t/c",
            "/t",
        ];

        foreach (var attempt in attempts)
        {
            using var response = await client.GetAsync(attempt);

            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{attempt}: {response.StatusCode}");
            Assert.Null(response.Headers.Location);
        }

        using var post = await client.PostAsync($"/t/c/{token}/1", content: null);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Null(post.Headers.Location);
        Assert.Equal(before, await app.CountEventsAsync());
    }

    [Fact]
    public async Task TrackingRoutes_ShouldBeTheOnlyAnonymousRoutesBesideSignInAndHealth_WhenTheAppIsRunning()
    {
        var anonymous = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText?.TrimStart('/'))
            .Where(p => !p.StartsWith("/Account/", StringComparison.Ordinal) && !p.StartsWith("/_", StringComparison.Ordinal))
            // Static files (the stylesheet, fingerprinted or not) are public by nature.
            .Where(p => !Path.HasExtension(p.Split('/')[^1]))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        // Besides the sign-in pages (/Account/...): the error page, the provider webhooks (signed), /health and the tracking routes.
        Assert.Equal(
            ["/Error", "/api/v1/webhooks/mailgun", "/api/v1/webhooks/postmark", "/api/v1/webhooks/sendgrid", "/api/v1/webhooks/ses",
                "/health", "/t/c/{token}/{link:int}", "/t/o/{token}", "/t/u/{token}", "/t/{**rest}"],
            anonymous);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/campaigns")]
    [InlineData("/tracking")]
    [InlineData("/to/x")]
    [InlineData("/hangfire")]
    public async Task OtherPages_ShouldStillRequireSignIn_WhenTheCallerIsAnonymous(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"{path}: {response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }
}
