using System.Net;
using System.Text.Json;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

/// <summary>
/// /admin/health, /admin/settings and /health through the real pipeline (sign-in cookie, authorization, prerendering):
/// a Marketer ends at 403, an Admin sees the pages, secrets configured in the environment never reach the HTML, and
/// /health gives details to Admins only.
/// </summary>
public sealed class AdminHealthPagesTests
{
    private const string RelaySecret = "relay-Pw-7f3k1";
    private const string MailboxSecret = "mailbox-Pw-9q2z4";

    private static ConfiguredBounceDashboardApp AppWithSecrets() => ConfiguredBounceDashboardApp.Production(
        ("Sending:BounceDomain", "bounces.example.com"),
        ("Sending:PublicBaseUrl", "https://mail.example.com"),
        ("Sending:Relays:0:Name", "primary"),
        ("Sending:Relays:0:Host", "127.0.0.1"),
        ("Sending:Relays:0:Port", "2599"),
        ("Sending:Relays:0:TlsMode", "None"),
        ("Sending:Relays:0:UserName", "sender"),
        ("Sending:Relays:0:Password", RelaySecret),
        ("Mailboxes:0:Name", "bounces"),
        ("Mailboxes:0:Kind", "Imap"),
        ("Mailboxes:0:Host", "127.0.0.1"),
        ("Mailboxes:0:Port", "1199"),
        ("Mailboxes:0:TlsMode", "None"),
        ("Mailboxes:0:UserName", "bounce-reader"),
        ("Mailboxes:0:Password", MailboxSecret),
        ("Mailboxes:0:PollInterval", "1.00:00:00"));

    private static async Task<HttpClient> SignedInClientAsync(ConfiguredBounceDashboardApp app, string email, string password)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var signIn = await BounceDashboardApp.SignInAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    [Theory]
    [InlineData("/admin/health")]
    [InlineData("/admin/settings")]
    public async Task AdminPage_ShouldEndAt403_WhenAMarketerOpensIt(string path)
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();
        using var client = await SignedInClientAsync(app, BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword);

        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(AccountPaths.AccessDenied, response.Headers.Location!.AbsolutePath);
        using var denied = await client.GetAsync(response.Headers.Location);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var body = await denied.Content.ReadAsStringAsync();
        Assert.DoesNotContain("health-database", body, StringComparison.Ordinal);
        Assert.DoesNotContain("settings-reasons", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminPages_ShouldShowTheFiguresAndNoSecret_WhenAnAdminOpensThem()
    {
        await using var app = await AppWithSecrets().StartAsync();
        using var client = await SignedInClientAsync(app, BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword);

        using var health = await client.GetAsync("/admin/health");
        using var settings = await client.GetAsync("/admin/settings");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        var healthHtml = await health.Content.ReadAsStringAsync();
        var settingsHtml = await settings.Content.ReadAsStringAsync();
        Assert.Contains("Health · BounceDashboard", healthHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"health-database-provider\"", healthHtml, StringComparison.Ordinal);
        Assert.Contains("data-mailbox=\"bounces\"", healthHtml, StringComparison.Ordinal);
        Assert.Contains("data-key=\"Sending:Relays:0:Password\"", settingsHtml, StringComparison.Ordinal);
        Assert.Contains("data-key=\"Tracking:SigningKey\"", settingsHtml, StringComparison.Ordinal);
        Assert.Contains("data-reason=\"UserUnknown\"", settingsHtml, StringComparison.Ordinal);
        foreach (var html in new[] { healthHtml, settingsHtml })
        {
            Assert.DoesNotContain(RelaySecret, html, StringComparison.Ordinal);
            Assert.DoesNotContain(MailboxSecret, html, StringComparison.Ordinal);
            Assert.DoesNotContain(BounceDashboardApp.AdminPassword, html, StringComparison.Ordinal);
            Assert.DoesNotContain(ConfiguredBounceDashboardApp.ProductionDemoUsers["Tracking:SigningKey"]!, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Health_ShouldGiveThePollerJobsAndDatabase_WhenTheCallerIsASignedInAdmin()
    {
        await using var app = await AppWithSecrets().StartAsync();
        using var client = await SignedInClientAsync(app, BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword);

        using var response = await client.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("Healthy", root.GetProperty("checks").GetProperty("mailboxes").GetProperty("status").GetString());
        var details = root.GetProperty("details");
        Assert.Equal("bounces", details.GetProperty("mailboxes")[0].GetProperty("name").GetString());
        Assert.Equal("NotPolledYet", details.GetProperty("mailboxes")[0].GetProperty("state").GetString());
        Assert.Equal("Sqlite", details.GetProperty("database").GetProperty("provider").GetString());
        Assert.True(details.GetProperty("database").GetProperty("sizeBytes").GetInt64() > 0);
        Assert.Contains(details.GetProperty("jobs").GetProperty("jobs").EnumerateArray(), j => j.GetProperty("id").GetString() == "dispatch-deliveries");
        Assert.True(details.GetProperty("sendQueue").TryGetProperty("dueNow", out _));
        Assert.DoesNotContain(RelaySecret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(MailboxSecret, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ShouldGiveOnlyTheStatus_WhenTheCallerIsAnonymous()
    {
        await using var app = await AppWithSecrets().StartAsync();
        using var client = app.CreateRawClient();

        using var response = await client.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_ShouldAnswerDegradedAndNameTheMailboxOnlyToAdmins_WhenAMailboxsLastPollFailed()
    {
        await using var app = await AppWithSecrets().StartAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BounceDbContext>();
            var watermark = MailboxWatermark.Create("bounces");
            watermark.RecordFailure("AuthenticationException: 535 login refused", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30));
            db.Add(watermark);
            await db.SaveChangesAsync();
        }

        using var anonymous = app.CreateRawClient();
        using var bare = await anonymous.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        Assert.Equal("Degraded", await bare.Content.ReadAsStringAsync());

        using var client = await SignedInClientAsync(app, BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword);
        using var response = await client.GetAsync("/health");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var mailboxes = json.RootElement.GetProperty("checks").GetProperty("mailboxes");
        Assert.Equal("Degraded", mailboxes.GetProperty("status").GetString());
        Assert.Contains("bounces", mailboxes.GetProperty("description").GetString(), StringComparison.Ordinal);
        var polled = json.RootElement.GetProperty("details").GetProperty("mailboxes")[0];
        Assert.Equal("Failing", polled.GetProperty("state").GetString());
        Assert.Equal("AuthenticationException: 535 login refused", polled.GetProperty("lastError").GetString());
    }
}
