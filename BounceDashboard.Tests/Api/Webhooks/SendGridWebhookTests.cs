using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Api.Webhooks;

[Collection(WebhooksAppCollectionDefinition.Name)]
public sealed class SendGridWebhookTests(WebhooksApp app)
{
    private async Task<(string Body, WebhooksApp.Seeded Bounced, WebhooksApp.Seeded Engaged)> BatchAsync()
    {
        var bounced = await app.SeedDeliveryAsync();
        var engaged = await app.SeedDeliveryAsync();
        var body = WebhookFixtures.Read(
            "sendgrid-events.json",
            ("RECIPIENT1", bounced.Email), ("TOKEN1", bounced.Token), ("MESSAGE_ID1", bounced.MessageId),
            ("RECIPIENT2", engaged.Email), ("TOKEN2", engaged.Token), ("MESSAGE_ID2", engaged.MessageId),
            ("EVENT_PREFIX", Guid.NewGuid().ToString("N")),
            ("TIMESTAMP", app.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return (body, bounced, engaged);
    }

    [Fact]
    public async Task Post_ShouldApplyEveryEventOfTheBatch_WhenTheBatchIsSignedWithTheConfiguredKey()
    {
        var (body, bounced, engaged) = await BatchAsync();

        using var response = await app.PostSendGridAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await WebhookFixtures.SummaryAsync(response);
        // processed is ignored; bounce, delivered, open, click and spamreport are recorded.
        Assert.Equal((6, 5, 1), (summary.GetProperty("events").GetInt32(), summary.GetProperty("recorded").GetInt32(), summary.GetProperty("ignored").GetInt32()));
        await using var db = await app.CreateContextAsync();
        var bounce = await db.BounceEvents.SingleAsync(e => e.DeliveryId == bounced.DeliveryId);
        Assert.Equal((BounceReason.UserUnknown, true, true, "webhook:sendgrid:bounce/bounce/Invalid Address"), (bounce.Reason, bounce.Permanent, bounce.Hard, bounce.Rule));
        Assert.Equal(DeliveryState.HardBounced, (await db.Deliveries.SingleAsync(d => d.Id == bounced.DeliveryId)).State);
        Assert.Equal(SuppressionReason.HardBounce, (await db.SuppressionEntries.SingleAsync(s => s.Email == bounced.Email)).Reason);

        var engagedEvents = await db.BounceEvents.Where(e => e.DeliveryId == engaged.DeliveryId).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([MessageKind.SuccessReport, MessageKind.FeedbackReport], engagedEvents.Select(e => e.Kind));
        Assert.Equal(SuppressionReason.Complaint, (await db.SuppressionEntries.SingleAsync(s => s.Email == engaged.Email)).Reason);
        var hits = (await db.TrackingEvents.Where(e => e.DeliveryId == engaged.DeliveryId).ToListAsync()).OrderBy(e => e.Kind).ToList();
        Assert.Equal([TrackingEventKind.Open, TrackingEventKind.Click], hits.Select(h => h.Kind));
        Assert.Equal("https://shop.example.org/spring", hits[1].Url);
        Assert.StartsWith("webhook:sendgrid:", hits[0].IdempotencyKey, StringComparison.Ordinal);
        var delivery = await db.Deliveries.SingleAsync(d => d.Id == engaged.DeliveryId);
        Assert.NotNull(delivery.OpenedAt);
        Assert.NotNull(delivery.ClickedAt);
    }

    [Fact]
    public async Task Post_ShouldCountEachEventOnce_WhenTheSameBatchIsPostedAgain()
    {
        var (body, _, _) = await BatchAsync();
        using var first = await app.PostSendGridAsync(body);
        var after = await app.CountAsync();

        app.Time.Advance(TimeSpan.FromMinutes(1));
        using var again = await app.PostSendGridAsync(body);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var summary = await WebhookFixtures.SummaryAsync(again);
        Assert.Equal((0, 5), (summary.GetProperty("recorded").GetInt32(), summary.GetProperty("duplicates").GetInt32()));
        Assert.Equal(after, await app.CountAsync());
    }

    public static TheoryData<string> BadSignatures => new() { "other key", "unsigned", "body changed", "stale", "future" };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task Post_ShouldAnswer401AndRecordNothing_WhenTheSignatureIsBadOrMissing(string kind)
    {
        var (body, _, _) = await BatchAsync();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var before = await app.CountAsync();

        using var response = kind switch
        {
            "other key" => await app.PostSendGridAsync(body, otherKey),
            "unsigned" => await app.PostSendGridAsync(body, sign: false),
            "body changed" => await SignedThenChangedAsync(body),
            "stale" => await app.PostSendGridAsync(body, signedAt: app.Time.GetUtcNow().AddDays(-2)),
            _ => await app.PostSendGridAsync(body, signedAt: app.Time.GetUtcNow().AddDays(2)),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await app.CountAsync());
    }

    private async Task<HttpResponseMessage> SignedThenChangedAsync(string body)
    {
        using var client = app.CreateClient();
        var timestamp = app.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = app.SendGridKey.SignData(System.Text.Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        using var content = new StringContent(body.Replace("\"bounce\"", "\"deferred\"", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");
        content.Headers.Add(Web.Api.Webhooks.SendGridWebhook.SignatureHeader, Convert.ToBase64String(signature));
        content.Headers.Add(Web.Api.Webhooks.SendGridWebhook.TimestampHeader, timestamp);
        return await client.PostAsync($"{Web.Api.Webhooks.WebhookEndpoints.Prefix}/sendgrid", content);
    }

    [Theory]
    [InlineData("[{\"event\":")]
    [InlineData("{\"event\":\"bounce\"}")]
    public async Task Post_ShouldAnswer400AndRecordNothing_WhenASignedBodyIsNotAJsonArray(string body)
    {
        var before = await app.CountAsync();

        using var response = await app.PostSendGridAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await app.CountAsync());
    }

    [Fact]
    public async Task Post_ShouldAnswer413AndRecordNothing_WhenTheBodyIsLargerThanTheLimit()
    {
        var body = "[" + string.Join(',', Enumerable.Repeat("{\"event\":\"processed\",\"email\":\"a@example.com\"}", 120_000)) + "]";
        var before = await app.CountAsync();

        using var response = await app.PostSendGridAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, await app.CountAsync());
    }
}
