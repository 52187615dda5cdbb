using System.Globalization;
using System.Net;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Api.Webhooks;

[Collection(WebhooksAppCollectionDefinition.Name)]
public sealed class MailgunWebhookTests(WebhooksApp app)
{
    private string Signed(string fixture, WebhooksApp.Seeded seeded, string eventId, DateTimeOffset? signedAt = null, string? signatureToken = null, string? signature = null)
    {
        var timestamp = (signedAt ?? app.Time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var token = signatureToken ?? Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")[..18];
        return WebhookFixtures.Read(
            fixture,
            ("RECIPIENT", seeded.Email),
            ("TOKEN", seeded.Token),
            ("EVENT_ID", eventId),
            ("TIMESTAMP", timestamp),
            ("SIGNATURE_TOKEN", token),
            ("SIGNATURE", signature ?? WebhooksApp.MailgunSignature(timestamp, token)));
    }

    [Fact]
    public async Task Post_ShouldRecordAHardBounceByTheUserVariable_WhenThePermanentFailureIsSigned()
    {
        var seeded = await app.SeedDeliveryAsync();

        using var response = await app.PostMailgunAsync(Signed("mailgun-failed-permanent.json", seeded, Guid.NewGuid().ToString("N")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await app.CreateContextAsync();
        var bounce = await db.BounceEvents.SingleAsync(e => e.DeliveryId == seeded.DeliveryId);
        Assert.Equal((BounceReason.UserUnknown, true, "mx.example.com", "webhook:mailgun:failed/permanent/bounce"), (bounce.Reason, bounce.Hard, bounce.RemoteMta, bounce.Rule));
        Assert.Equal(DeliveryState.HardBounced, (await db.Deliveries.SingleAsync(d => d.Id == seeded.DeliveryId)).State);
    }

    [Fact]
    public async Task Post_ShouldRefuseTheReplayedTokenAndCountARessignedEventOnce_WhenTheSameEventComesAgain()
    {
        var seeded = await app.SeedDeliveryAsync();
        var eventId = Guid.NewGuid().ToString("N");
        var body = Signed("mailgun-complained.json", seeded, eventId);

        using var first = await app.PostMailgunAsync(body);
        var after = await app.CountAsync();
        using var replayed = await app.PostMailgunAsync(body);
        using var resigned = await app.PostMailgunAsync(Signed("mailgun-complained.json", seeded, eventId));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resigned.StatusCode);
        Assert.Equal(1, (await WebhookFixtures.SummaryAsync(resigned)).GetProperty("duplicates").GetInt32());
        Assert.Equal(after, await app.CountAsync());
        await using var db = await app.CreateContextAsync();
        Assert.Equal(SuppressionReason.Complaint, (await db.SuppressionEntries.SingleAsync(s => s.Email == seeded.Email)).Reason);
    }

    public static TheoryData<string> BadSignatures => new() { "wrong key", "stale", "future", "not hex", "missing" };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task Post_ShouldAnswer401AndRecordNothing_WhenTheSignatureIsBadStaleOrMissing(string kind)
    {
        var seeded = await app.SeedDeliveryAsync();
        var id = Guid.NewGuid().ToString("N");
        var now = app.Time.GetUtcNow();
        var body = kind switch
        {
            "wrong key" => Signed("mailgun-failed-permanent.json", seeded, id, signatureToken: "tok-1",
                signature: WebhooksApp.MailgunSignature(now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "tok-1", "another-key")),
            "stale" => Signed("mailgun-failed-permanent.json", seeded, id, signedAt: now.AddMinutes(-30)),
            "future" => Signed("mailgun-failed-permanent.json", seeded, id, signedAt: now.AddMinutes(30)),
            "not hex" => Signed("mailgun-failed-permanent.json", seeded, id, signature: "zz"),
            _ => Signed("mailgun-failed-permanent.json", seeded, id).Replace("\"signature\": {", "\"unsigned\": {", StringComparison.Ordinal),
        };
        var before = await app.CountAsync();

        using var response = await app.PostMailgunAsync(body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await app.CountAsync());
    }

    [Fact]
    public async Task Post_ShouldAnswer400_WhenTheBodyIsNotJson()
    {
        using var response = await app.PostMailgunAsync("signature=abc&token=def");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task Post_ShouldAnswerAProblemNotARedirect_WhenTheContentTypeIsNotJson(string? contentType)
    {
        // Regression: Accepts metadata made routing answer 415 behind the sign-in redirect.
        using var client = app.CreateClient();
        using var content = new ByteArrayContent("signature=abc&token=def"u8.ToArray());
        if (contentType is not null)
        {
            content.Headers.ContentType = new(contentType);
        }

        using var response = await client.PostAsync($"{Web.Api.Webhooks.WebhookEndpoints.Prefix}/mailgun", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
