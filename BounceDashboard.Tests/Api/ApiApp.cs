using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Api;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Api;

/// <summary>
/// The real app (Production, demo users, the test tracking key) on its own SQLite file, with a small raw-message limit,
/// shared by one test class. Keys are made through the same command the page and the command line use.
/// </summary>
public sealed class ApiApp : IAsyncLifetime
{
    public const long MaxRawBytes = 64 * 1024;

    private int _seeded;

    public ConfiguredBounceDashboardApp App { get; } = ConfiguredBounceDashboardApp.Production(
        ("Api:MaxRawMessageBytes", MaxRawBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Api:RateLimitPermits", "100000"));

    public string AdminKey { get; private set; } = "";

    public string MarketerKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await App.StartAsync();
        AdminKey = await CreateKeyAsync("admin-tests", "Admin");
        MarketerKey = await CreateKeyAsync("marketer-tests", "Marketer");
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public async Task<string> CreateKeyAsync(string name, string role)
    {
        var created = await App.Services.GetRequiredService<ApiKeyCommands>().CreateAsync("tests", name, role);
        return created.Key?.Secret ?? throw new InvalidOperationException(created.Result.Message);
    }

    /// <summary>A client that sends <paramref name="key"/> (none when null) and follows no redirect.</summary>
    public HttpClient Client(string? key)
    {
        var client = App.CreateRawClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyAuthentication.HeaderName, key);
        }

        return client;
    }

    public async Task<BounceDbContext> ContextAsync() =>
        await App.Services.GetRequiredService<IDbContextFactory<BounceDbContext>>().CreateDbContextAsync();

    /// <summary>A contact, a campaign and its delivery to the contact (one attempt from 192.0.2.77), and the delivery's token.</summary>
    public async Task<(Contact Contact, Campaign Campaign, Delivery Delivery, string Token)> SeedDeliveryAsync()
    {
        var n = Interlocked.Increment(ref _seeded);
        await using var db = await ContextAsync();
        var now = DateTimeOffset.UtcNow;
        var contact = Contact.Create($"reader{n}@example.com", now);
        var campaign = Campaign.Create($"API campaign {n}", CampaignKind.Regular, $"news@mail{n}.example.org", "News", now);
        db.AddRange(contact, campaign);
        await db.SaveChangesAsync();
        var delivery = Delivery.Create(campaign.Id, contact.Id, now);
        delivery.BeginAttempt(now, $"<{campaign.Id}.{contact.Id}@mail.example.org>", "192.0.2.77", "relay.example.com");
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();
        return (contact, campaign, delivery, InboundFixtures.Signer.Create(delivery.Id));
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static ByteArrayContent Rfc822(byte[] message)
    {
        var content = new ByteArrayContent(message);
        content.Headers.ContentType = new MediaTypeHeaderValue(ApiEndpoints.RawMessageContentType);
        return content;
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Asserts an RFC 7807 answer: the status, the problem media type and a title.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadAsync(response);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }
}
