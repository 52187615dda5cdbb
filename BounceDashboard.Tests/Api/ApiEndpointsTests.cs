using System.Net;
using System.Text;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Api;

/// <summary>Every API route with good and bad input, through the real app, keys and SQLite.</summary>
public sealed class ApiEndpointsTests(ApiApp api) : IClassFixture<ApiApp>
{
    private const string Suppressions = "/api/v1/suppressions";

    [Theory]
    [InlineData("GET", "/api/v1/suppressions")]
    [InlineData("GET", "/api/v1/suppressions/ann@example.com")]
    [InlineData("GET", "/api/v1/contacts/ann@example.com")]
    [InlineData("GET", "/api/v1/campaigns")]
    [InlineData("GET", "/api/v1/campaigns/1")]
    [InlineData("GET", "/api/v1/bounces")]
    [InlineData("POST", "/api/v1/bounces/raw")]
    [InlineData("POST", "/api/v1/suppressions")]
    [InlineData("DELETE", "/api/v1/suppressions/ann@example.com?reason=x")]
    public async Task AnyRoute_ShouldAnswer401ProblemWithoutRedirect_WhenNoKeyIsSent(string method, string path)
    {
        using var client = api.Client(key: null);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        var problem = await ApiApp.AssertProblemAsync(response, 401);
        Assert.Equal("API key required", problem.GetProperty("title").GetString());
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Get_ShouldAnswer401_WhenTheKeyIsUnknown()
    {
        using var client = api.Client("bd_" + new string('A', 43));

        using var response = await client.GetAsync(Suppressions);

        var problem = await ApiApp.AssertProblemAsync(response, 401);
        Assert.Equal("Invalid API key", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Get_ShouldAnswer401_WhenTheKeyWasRevoked()
    {
        var key = await api.CreateKeyAsync("revoked-" + Guid.NewGuid().ToString("N")[..8], "Admin");
        using var client = api.Client(key);
        using (var before = await client.GetAsync(Suppressions))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using (var db = await api.ContextAsync())
        {
            var stored = await db.ApiKeys.SingleAsync(k => k.DisplayPrefix == key.Substring(0, 11));
            stored.Revoke("tests", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        using var after = await client.GetAsync(Suppressions);

        await ApiApp.AssertProblemAsync(after, 401);
    }

    [Fact]
    public async Task Get_ShouldAnswer401_WhenOnlyASignInCookieIsSent()
    {
        using var browser = api.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var signIn = await BounceDashboardApp.SignInAsync(browser, BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var response = await browser.GetAsync(Suppressions);

        await ApiApp.AssertProblemAsync(response, 401);
    }

    [Fact]
    public async Task Get_ShouldRecordTheLastUse_WhenAKeyIsUsed()
    {
        var name = "last-use-" + Guid.NewGuid().ToString("N")[..8];
        var key = await api.CreateKeyAsync(name, "Marketer");
        using var client = api.Client(key);

        using var response = await client.GetAsync("/api/v1/campaigns");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await api.ContextAsync();
        Assert.NotNull((await db.ApiKeys.SingleAsync(k => k.Name == name)).LastUsedAt);
    }

    [Fact]
    public async Task Post_ShouldAnswer403AndChangeNothing_WhenTheKeyIsAMarketers()
    {
        using var client = api.Client(api.MarketerKey);

        using var response = await client.PostAsync(Suppressions, ApiApp.Json("""{"address":"marketer-try@example.com","reason":"test"}"""));

        var problem = await ApiApp.AssertProblemAsync(response, 403);
        Assert.Contains("Marketer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using var db = await api.ContextAsync();
        Assert.False(await db.SuppressionEntries.AnyAsync(s => s.Email == "marketer-try@example.com"));
    }

    [Fact]
    public async Task Delete_ShouldAnswer403_WhenTheKeyIsAMarketers()
    {
        using var client = api.Client(api.MarketerKey);

        using var response = await client.DeleteAsync($"{Suppressions}/x@example.com?reason=test");

        await ApiApp.AssertProblemAsync(response, 403);
    }

    [Fact]
    public async Task SuppressionLifecycle_ShouldAddLookUpListAndLiftAuditedAsTheKey_WhenAnAdminKeyAsks()
    {
        const string address = "Lifecycle.Person@Example.com";
        using var client = api.Client(api.AdminKey);

        using var added = await client.PostAsync(Suppressions, ApiApp.Json("""{"address":"Lifecycle.Person@Example.com","reason":"asked by phone"}"""));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var entry = await ApiApp.ReadAsync(added);
        Assert.Equal(("lifecycle.person@example.com", "Manual", "Api", "api:admin-tests"), (entry.GetProperty("email").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString(), entry.GetProperty("createdBy").GetString()));
        Assert.EndsWith("/api/v1/suppressions/lifecycle.person%40example.com", added.Headers.Location!.OriginalString, StringComparison.Ordinal);

        using var again = await client.PostAsync(Suppressions, ApiApp.Json("""{"address":"lifecycle.person@example.com","reason":"twice"}"""));
        await ApiApp.AssertProblemAsync(again, 409);

        using var lookUp = await client.GetAsync($"{Suppressions}/{address}");
        Assert.True((await ApiApp.ReadAsync(lookUp)).GetProperty("suppressed").GetBoolean());

        using var list = await client.GetAsync($"{Suppressions}?search=lifecycle.person&source=Api&pageSize=10");
        var page = await ApiApp.ReadAsync(list);
        Assert.Equal(1, page.GetProperty("totalCount").GetInt32());

        using var noReason = await client.DeleteAsync($"{Suppressions}/{address}");
        await ApiApp.AssertProblemAsync(noReason, 400);

        using var lifted = await client.DeleteAsync($"{Suppressions}/{address}?reason=confirmed%20by%20the%20customer");
        Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);

        using var after = await client.GetAsync($"{Suppressions}/{address}");
        var state = await ApiApp.ReadAsync(after);
        Assert.False(state.GetProperty("suppressed").GetBoolean());
        Assert.Equal("api:admin-tests", state.GetProperty("entries")[0].GetProperty("liftedBy").GetString());

        await using var db = await api.ContextAsync();
        var audit = await db.AuditLogEntries.Where(a => a.Target == "lifecycle.person@example.com").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(
            new[] { (AuditAction.SuppressAddress, "api:admin-tests"), (AuditAction.ReactivateAddress, "api:admin-tests") },
            audit.Select(a => (a.Action, a.Actor)).ToArray());
    }

    [Theory]
    [InlineData("""{"address":"field@example.com","reason":"x","extra":true}""", "Invalid JSON body")]
    [InlineData("""{"address":"not an address","reason":"x"}""", "Malformed address")]
    [InlineData("""{"address":"field@example.com"}""", "Reason required")]
    [InlineData("""{"address":"field@example.com","reason":""" + "\"x\"", "Invalid JSON body")]
    [InlineData("""{"address":42,"reason":"x"}""", "Invalid JSON body")]
    [InlineData("", "Missing body")]
    public async Task Post_ShouldAnswer400AndChangeNothing_WhenTheBodyIsBad(string body, string title)
    {
        using var client = api.Client(api.AdminKey);
        await using var before = await api.ContextAsync();
        var entries = await before.SuppressionEntries.CountAsync();

        using var response = await client.PostAsync(Suppressions, ApiApp.Json(body));

        var problem = await ApiApp.AssertProblemAsync(response, 400);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        await using var after = await api.ContextAsync();
        Assert.Equal(entries, await after.SuppressionEntries.CountAsync());
    }

    [Fact]
    public async Task Post_ShouldAnswer415_WhenTheBodyIsNotJson()
    {
        using var client = api.Client(api.AdminKey);

        using var response = await client.PostAsync(Suppressions, new StringContent("address=x@example.com", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await ApiApp.AssertProblemAsync(response, 415);
    }

    [Fact]
    public async Task Post_ShouldAnswer413_WhenTheJsonBodyIsHuge()
    {
        using var client = api.Client(api.AdminKey);
        var reason = new string('x', 70 * 1024);

        using var response = await client.PostAsync(Suppressions, ApiApp.Json($$"""{"address":"big@example.com","reason":"{{reason}}"}"""));

        await ApiApp.AssertProblemAsync(response, 413);
    }

    [Theory]
    [InlineData("?reason=Nonsense", "'reason'")]
    [InlineData("?reason=1", "'reason'")]
    [InlineData("?from=yesterday", "'from'")]
    [InlineData("?page=0", "'page'")]
    [InlineData("?pageSize=500", "'pageSize'")]
    [InlineData("?includeLifted=maybe", "'includeLifted'")]
    public async Task List_ShouldAnswer400NamingTheParameter_WhenAFilterIsMalformed(string query, string named)
    {
        using var client = api.Client(api.MarketerKey);

        using var response = await client.GetAsync(Suppressions + query);

        var problem = await ApiApp.AssertProblemAsync(response, 400);
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSuppression_ShouldAnswer404_WhenTheAddressWasNeverSuppressed()
    {
        using var client = api.Client(api.MarketerKey);

        using var response = await client.GetAsync($"{Suppressions}/never-suppressed@example.com");

        await ApiApp.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task GetSuppression_ShouldAnswer400_WhenTheAddressIsMalformed()
    {
        using var client = api.Client(api.MarketerKey);

        using var response = await client.GetAsync($"{Suppressions}/no-at-sign");

        var problem = await ApiApp.AssertProblemAsync(response, 400);
        Assert.Equal("Malformed address", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Delete_ShouldAnswer404_WhenTheAddressIsNeitherSuppressedNorAContact()
    {
        using var client = api.Client(api.AdminKey);

        using var response = await client.DeleteAsync($"{Suppressions}/nobody-here@example.com?reason=cleanup");

        await ApiApp.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task GetContact_ShouldAnswerStatusCountersAndHistory_WhenTheContactExists()
    {
        var (contact, _, _, token) = await api.SeedDeliveryAsync();
        using var client = api.Client(api.AdminKey);
        using (var raw = await client.PostAsync("/api/v1/bounces/raw", ApiApp.Rfc822(InboundFixtures.UserUnknownDsnWithToken(token))))
        {
            Assert.Equal(HttpStatusCode.Created, raw.StatusCode);
        }

        using var response = await client.GetAsync($"/api/v1/contacts/{contact.Email.ToUpperInvariant()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiApp.ReadAsync(response);
        var details = body.GetProperty("contact");
        Assert.Equal(contact.Email, details.GetProperty("email").GetString());
        Assert.Equal("Error", details.GetProperty("status").GetString());
        Assert.Equal(1, details.GetProperty("counters").GetProperty("bounces").GetInt32());
        var types = body.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("type").GetString()).ToList();
        Assert.Contains("bounce", types);
        Assert.Contains("delivery", types);
    }

    [Fact]
    public async Task GetContact_ShouldAnswer404And400_WhenUnknownOrMalformed()
    {
        using var client = api.Client(api.MarketerKey);

        using var unknown = await client.GetAsync("/api/v1/contacts/unknown-contact@example.com");
        using var malformed = await client.GetAsync("/api/v1/contacts/not-an-address");
        using var badLimit = await client.GetAsync("/api/v1/contacts/unknown-contact@example.com?historyLimit=-1");

        await ApiApp.AssertProblemAsync(unknown, 404);
        await ApiApp.AssertProblemAsync(malformed, 400);
        await ApiApp.AssertProblemAsync(badLimit, 400);
    }

    [Fact]
    public async Task Campaigns_ShouldAnswerTheSameNumbersAsTheResponsePage_WhenTheCampaignHasABounce()
    {
        var (_, campaign, _, token) = await api.SeedDeliveryAsync();
        using var client = api.Client(api.MarketerKey);
        using var admin = api.Client(api.AdminKey);
        using (var raw = await admin.PostAsync("/api/v1/bounces/raw", ApiApp.Rfc822(InboundFixtures.UserUnknownDsnWithToken(token))))
        {
            Assert.Equal(HttpStatusCode.Created, raw.StatusCode);
        }

        using var one = await client.GetAsync($"/api/v1/campaigns/{campaign.Id}");
        using var list = await client.GetAsync("/api/v1/campaigns?pageSize=200");

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        await using var scope = api.App.Services.CreateAsyncScope();
        var page = await scope.ServiceProvider.GetRequiredService<ICampaignResponseQueries>().GetAsync(campaign.Id);
        var counts = (await ApiApp.ReadAsync(one)).GetProperty("counts");
        Assert.Equal(
            (page!.Counts.Sent, page.Counts.HardBounced, page.Counts.Delivered),
            (counts.GetProperty("sent").GetInt32(), counts.GetProperty("hardBounced").GetInt32(), counts.GetProperty("delivered").GetInt32()));
        Assert.Equal(1, page.Counts.HardBounced);
        var listed = (await ApiApp.ReadAsync(list)).GetProperty("items").EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == campaign.Id);
        Assert.Equal(1, listed.GetProperty("counts").GetProperty("hardBounced").GetInt32());
    }

    [Fact]
    public async Task Campaign_ShouldAnswer404And400_WhenUnknownOrNotAnId()
    {
        using var client = api.Client(api.MarketerKey);

        using var unknown = await client.GetAsync("/api/v1/campaigns/987654321");
        using var notAnId = await client.GetAsync("/api/v1/campaigns/abc");
        using var badTab = await client.GetAsync("/api/v1/campaigns?tab=Archived");

        await ApiApp.AssertProblemAsync(unknown, 404);
        await ApiApp.AssertProblemAsync(notAnId, 400);
        await ApiApp.AssertProblemAsync(badTab, 400);
    }

    [Fact]
    public async Task Bounces_ShouldPageNewestFirstByToken_WhenFilteredByCampaign()
    {
        var (_, campaign, _, token) = await api.SeedDeliveryAsync();
        using var admin = api.Client(api.AdminKey);
        var first = InboundFixtures.UserUnknownDsnWithToken(token);
        var second = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(first).Replace("Postfix", "Postfix (resent)", StringComparison.Ordinal));
        Assert.NotEqual(first, second);
        foreach (var message in new[] { first, second })
        {
            using var raw = await admin.PostAsync("/api/v1/bounces/raw", ApiApp.Rfc822(message));
            Assert.Equal(HttpStatusCode.Created, raw.StatusCode);
        }

        using var client = api.Client(api.MarketerKey);
        using var page1 = await client.GetAsync($"/api/v1/bounces?campaignId={campaign.Id}&limit=1");
        var body1 = await ApiApp.ReadAsync(page1);
        var next = body1.GetProperty("nextPageToken").GetString();
        using var page2 = await client.GetAsync($"/api/v1/bounces?campaignId={campaign.Id}&limit=1&pageToken={next}");
        var body2 = await ApiApp.ReadAsync(page2);

        var a = body1.GetProperty("items")[0];
        var b = body2.GetProperty("items")[0];
        Assert.True(a.GetProperty("id").GetInt64() > b.GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKindNull, body2.GetProperty("nextPageToken").ValueKind);
        Assert.Equal(("UserUnknown", "Bounce", "192.0.2.77", campaign.FromDomain), (b.GetProperty("reason").GetString(), b.GetProperty("kind").GetString(), b.GetProperty("sendingIp").GetString(), b.GetProperty("sendingDomain").GetString()));

        using var byIp = await client.GetAsync($"/api/v1/bounces?ip=192.0.2.77&reason=UserUnknown&kind=Bounce&hard=true&campaignId={campaign.Id}");
        Assert.Equal(2, (await ApiApp.ReadAsync(byIp)).GetProperty("items").GetArrayLength());
        using var otherReason = await client.GetAsync($"/api/v1/bounces?reason=MailboxFull&campaignId={campaign.Id}");
        Assert.Equal(0, (await ApiApp.ReadAsync(otherReason)).GetProperty("items").GetArrayLength());
        using var future = await client.GetAsync($"/api/v1/bounces?from=2999-01-01&campaignId={campaign.Id}");
        Assert.Equal(0, (await ApiApp.ReadAsync(future)).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("?pageToken=not-a-token", "'pageToken'")]
    [InlineData("?kind=Hard", "'kind'")]
    [InlineData("?to=31/12/2026", "'to'")]
    [InlineData("?campaignId=-3", "'campaignId'")]
    [InlineData("?limit=1000", "'limit'")]
    public async Task Bounces_ShouldAnswer400NamingTheParameter_WhenAFilterIsMalformed(string query, string named)
    {
        using var client = api.Client(api.MarketerKey);

        using var response = await client.GetAsync("/api/v1/bounces" + query);

        var problem = await ApiApp.AssertProblemAsync(response, 400);
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_ShouldAnswerWhatTheEngineReadAndCountOnce_WhenTheSameMessageIsPostedTwice()
    {
        var (_, _, delivery, token) = await api.SeedDeliveryAsync();
        var message = InboundFixtures.UserUnknownDsnWithToken(token);
        using var client = api.Client(api.MarketerKey);

        using var first = await client.PostAsync("/api/v1/bounces/raw", ApiApp.Rfc822(message));
        using var second = await client.PostAsync("/api/v1/bounces/raw", ApiApp.Rfc822(message));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var read = await ApiApp.ReadAsync(first);
        Assert.Equal(("Bounce", false), (read.GetProperty("kind").GetString(), read.GetProperty("duplicate").GetBoolean()));
        var recipient = read.GetProperty("recipients").EnumerateArray().Single();
        Assert.Equal(("nobody@example.net", "UserUnknown", delivery.Id), (recipient.GetProperty("address").GetString(), recipient.GetProperty("reason").GetString(), recipient.GetProperty("matchedDeliveryId").GetInt64()));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var again = await ApiApp.ReadAsync(second);
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(read.GetProperty("inboundMessageId").GetInt64(), again.GetProperty("inboundMessageId").GetInt64());
        await using var db = await api.ContextAsync();
        Assert.Equal(1, await db.BounceEvents.CountAsync(e => e.DeliveryId == delivery.Id));
    }

    [Fact]
    public async Task Raw_ShouldAnswer415_WhenTheContentTypeIsNotMessageRfc822()
    {
        using var client = api.Client(api.AdminKey);

        using var response = await client.PostAsync("/api/v1/bounces/raw", new ByteArrayContent(InboundFixtures.UserUnknownDsnWithToken("t")) { Headers = { { "Content-Type", "text/plain" } } });

        await ApiApp.AssertProblemAsync(response, 415);
    }

    [Fact]
    public async Task Raw_ShouldAnswer413AndStoreNothing_WhenTheMessageIsOverTheLimit()
    {
        using var client = api.Client(api.AdminKey);
        await using var before = await api.ContextAsync();
        var stored = await before.InboundMessages.CountAsync();
        var huge = Encoding.ASCII.GetBytes(InboundFixtures.UserUnknownDsn() + new string('x', (int)ApiApp.MaxRawBytes));

        using var response = await client.PostAsync("/api/v1/bounces/raw", ApiApp.Rfc822(huge));

        await ApiApp.AssertProblemAsync(response, 413);
        await using var after = await api.ContextAsync();
        Assert.Equal(stored, await after.InboundMessages.CountAsync());
    }

    [Fact]
    public async Task Raw_ShouldAnswer400_WhenTheBodyIsEmpty()
    {
        using var client = api.Client(api.AdminKey);

        using var response = await client.PostAsync("/api/v1/bounces/raw", ApiApp.Rfc822([]));

        var problem = await ApiApp.AssertProblemAsync(response, 400);
        Assert.Equal("Empty message", problem.GetProperty("title").GetString());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
