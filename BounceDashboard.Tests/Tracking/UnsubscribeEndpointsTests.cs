using System.Net;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Tracking;

/// <summary>One-click unsubscribe (RFC 8058) through the real app and its SQLite database.</summary>
public sealed class UnsubscribeEndpointsTests(TrackingApp app) : IClassFixture<TrackingApp>
{
    private static FormUrlEncodedContent OneClick() =>
        new([new KeyValuePair<string, string>("List-Unsubscribe", "One-Click")]);

    private async Task<(ContactStatus Status, List<SuppressionEntry> Entries)> StateOfAsync(long contactId)
    {
        await using var db = await app.CreateContextAsync();
        var contact = await db.Contacts.SingleAsync(c => c.Id == contactId);
        var entries = await db.SuppressionEntries.Where(e => e.Email == contact.Email).ToListAsync();
        return (contact.Status, entries);
    }

    private async Task<int> CountChangesAsync()
    {
        await using var db = await app.CreateContextAsync();
        return await db.SuppressionEntries.CountAsync() + await db.Contacts.CountAsync(c => c.Status != ContactStatus.Active);
    }

    [Fact]
    public async Task Post_ShouldOptOutAndSuppressTheAddress_WhenTheMailProviderPostsOneClick()
    {
        var (delivery, token) = await app.SeedDeliveryAsync("https://shop.example.org/");
        using var client = app.CreateClient();

        // What Gmail and Yahoo send (RFC 8058 §3.2): a POST without cookies or an antiforgery token.
        using var response = await client.PostAsync($"/t/u/{token}", OneClick());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "the answer must not be cached");
        Assert.Contains("unsubscribed", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var (status, entries) = await StateOfAsync(delivery.ContactId);
        Assert.Equal(ContactStatus.OptedOut, status);
        var entry = Assert.Single(entries);
        Assert.Equal((SuppressionReason.Unsubscribe, BounceRules.RecipientActor, true), (entry.Reason, entry.CreatedBy, entry.IsActive));
        Assert.Equal(app.Time.GetUtcNow(), entry.CreatedAt);
    }

    [Fact]
    public async Task Post_ShouldAcceptAMultipartForm_WhenTheProviderSendsOne()
    {
        // RFC 8058 §3.1 allows multipart/form-data as well as application/x-www-form-urlencoded.
        var (delivery, token) = await app.SeedDeliveryAsync();
        using var client = app.CreateClient();
        using var form = new MultipartFormDataContent { { new StringContent("One-Click"), "List-Unsubscribe" } };

        using var response = await client.PostAsync($"/t/u/{token}", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContactStatus.OptedOut, (await StateOfAsync(delivery.ContactId)).Status);
    }

    [Fact]
    public async Task Post_ShouldAnswer200AndChangeNothing_WhenPostedAgain()
    {
        var (delivery, token) = await app.SeedDeliveryAsync();
        using var client = app.CreateClient();
        using var first = await client.PostAsync($"/t/u/{token}", OneClick());
        var after = await StateOfAsync(delivery.ContactId);
        app.Time.Advance(TimeSpan.FromMinutes(10));

        using var second = await client.PostAsync($"/t/u/{token}", OneClick());

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        var again = await StateOfAsync(delivery.ContactId);
        Assert.Equal(after.Status, again.Status);
        Assert.Equal(after.Entries.Select(e => (e.Id, e.CreatedAt)), again.Entries.Select(e => (e.Id, e.CreatedAt)));
    }

    [Fact]
    public async Task Get_ShouldShowAFormThatPostsOneClickAndChangeNothing_WhenAPersonOrALinkScannerFollowsTheUrl()
    {
        var (delivery, token) = await app.SeedDeliveryAsync();
        using var client = app.CreateClient();

        using var response = await client.GetAsync($"/t/u/{token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<form method=\"post\" action=\"/t/u/{token}\">", page, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">", page, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">", page, StringComparison.Ordinal);
        var (status, entries) = await StateOfAsync(delivery.ContactId);
        Assert.Equal(ContactStatus.Active, status);
        Assert.Empty(entries);
    }

    [Fact]
    public async Task GetThenPost_ShouldUnsubscribe_WhenThePersonPressesTheButton()
    {
        var (delivery, token) = await app.SeedDeliveryAsync();
        using var client = app.CreateClient();
        using var page = await client.GetAsync($"/t/u/{token}");
        var html = await page.Content.ReadAsStringAsync();

        // Submit the page's own form as a browser would: its action and its hidden field.
        var action = html.Split("action=\"")[1].Split('"')[0];
        var field = html.Split("type=\"hidden\" name=\"")[1].Split('"')[0];
        var value = html.Split("type=\"hidden\" name=\"")[1].Split("value=\"")[1].Split('"')[0];
        using var response = await client.PostAsync(action, new FormUrlEncodedContent([new KeyValuePair<string, string>(field, value)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContactStatus.OptedOut, (await StateOfAsync(delivery.ContactId)).Status);
    }

    [Theory]
    [MemberData(nameof(TrackingEndpointsTests.BadTokens), MemberType = typeof(TrackingEndpointsTests))]
    public async Task GetAndPost_ShouldAnswer404AndRecordNothing_WhenTheTokenIsNotOurs(string kind)
    {
        var (_, token) = await app.SeedDeliveryAsync();
        var bad = TrackingEndpointsTests.BadToken(kind, token);
        var before = await CountChangesAsync();
        using var client = app.CreateClient();

        using var get = await client.GetAsync($"/t/u/{bad}");
        using var post = await client.PostAsync($"/t/u/{bad}", OneClick());

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (get.StatusCode, post.StatusCode));
        Assert.DoesNotContain("<form", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await CountChangesAsync());
    }

    [Fact]
    public async Task Post_ShouldRefuseAndRecordNothing_WhenTheRequestIsNotAOneClickUnsubscribe()
    {
        var (delivery, token) = await app.SeedDeliveryAsync();
        using var client = app.CreateClient();
        var attempts = new (string Path, HttpContent? Body)[]
        {
            ($"/t/u/{token}", null),
            ($"/t/u/{token}", new StringContent("List-Unsubscribe=One-Click")),
            ($"/t/u/{token}", new FormUrlEncodedContent([new KeyValuePair<string, string>("List-Unsubscribe", "Maybe")])),
            ($"/t/u/{token}", new FormUrlEncodedContent([new KeyValuePair<string, string>("Other", "One-Click")])),
            ($"/t/u/{token}?List-Unsubscribe=One-Click", OneClick()),
            ($"/t/u/{token}/extra", OneClick()),
        };

        foreach (var (path, body) in attempts)
        {
            using (body)
            {
                using var response = await client.PostAsync(path, body);

                Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path} {body?.Headers.ContentType}: {response.StatusCode}");
            }
        }

        var (status, entries) = await StateOfAsync(delivery.ContactId);
        Assert.Equal(ContactStatus.Active, status);
        Assert.Empty(entries);
    }

    [Fact]
    public async Task ListUnsubscribeHeader_ShouldPointAtTheEndpointThatUnsubscribes_WhenTheRenderedMessageIsFollowed()
    {
        // The header the template writes, posted the way RFC 8058 §3.2 says a mail provider posts it.
        var (delivery, token) = await app.SeedDeliveryAsync();
        var template = CampaignMessageTemplate.Compile(new CampaignContent("news@mail.example.org", null, "News", "<p>Hi</p>", null), app.Time);
        var message = template.Render(new MessageRecipient("reader@example.com", null, token, "1@mail.example.org"), new Uri("http://localhost/"), "bounce.example.org");
        var header = message.Headers[CampaignMessageTemplate.ListUnsubscribeHeader] ?? throw new InvalidOperationException("no List-Unsubscribe");
        var post = message.Headers[CampaignMessageTemplate.ListUnsubscribePostHeader] ?? throw new InvalidOperationException("no List-Unsubscribe-Post");
        var url = new Uri(header.Trim('<', '>'));
        using var client = app.CreateClient();

        using var response = await client.PostAsync(url.PathAndQuery, new StringContent(post, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContactStatus.OptedOut, (await StateOfAsync(delivery.ContactId)).Status);
    }
}
