using System.Net;
using System.Text.Json;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Api.Webhooks;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Api.Webhooks;

[Collection(WebhooksAppCollectionDefinition.Name)]
public sealed class SesWebhookTests(WebhooksApp app)
{
    private string Bounce(WebhooksApp.Seeded seeded, string eventId, string? token = null, string? recipient = null) =>
        WebhookFixtures.Read(
            "ses-bounce.json",
            ("RECIPIENT", recipient ?? seeded.Email),
            ("TOKEN", token ?? seeded.Token),
            ("MESSAGE_ID", seeded.MessageId),
            ("EVENT_ID", eventId),
            ("TIME", WebhookFixtures.Iso(app.Time.GetUtcNow())));

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task Post_ShouldRecordAHardBounceAndSuppress_WhenASignedSesBounceNamesOurToken(string signatureVersion)
    {
        var seeded = await app.SeedDeliveryAsync();
        var eventId = $"feedback-{Guid.NewGuid():N}";

        using var response = await app.PostSnsAsync(app.SnsNotification(Bounce(seeded, eventId), signatureVersion));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await WebhookFixtures.SummaryAsync(response);
        Assert.Equal(("ses", 1, 1, 0, 0), (summary.GetProperty("provider").GetString(), summary.GetProperty("events").GetInt32(),
            summary.GetProperty("recorded").GetInt32(), summary.GetProperty("duplicates").GetInt32(), summary.GetProperty("awaitingMatch").GetInt32()));
        await using var db = await app.CreateContextAsync();
        var bounce = await db.BounceEvents.SingleAsync(e => e.DeliveryId == seeded.DeliveryId);
        Assert.Equal((BounceSource.Webhook, MessageKind.Bounce, BounceReason.UserUnknown, true, true), (bounce.Source, bounce.Kind, bounce.Reason, bounce.Permanent, bounce.Hard));
        Assert.Equal(("5.1.1", "550", "webhook:ses:Permanent/General"), (bounce.EnhancedStatus, bounce.ReplyCode, bounce.Rule));
        Assert.Equal($"Webhook:ses:{eventId}:{seeded.Email}", bounce.IdempotencyKey);
        Assert.Equal(BounceEventState.Applied, bounce.State);
        Assert.Equal(DeliveryState.HardBounced, (await db.Deliveries.SingleAsync(d => d.Id == seeded.DeliveryId)).State);
        Assert.Equal(ContactStatus.Error, (await db.Contacts.SingleAsync(c => c.Id == seeded.ContactId)).Status);
        Assert.Equal(SuppressionReason.HardBounce, (await db.SuppressionEntries.SingleAsync(s => s.Email == seeded.Email && s.LiftedAt == null)).Reason);
    }

    [Fact]
    public async Task Post_ShouldCountOnce_WhenTheSameSesEventIsPostedAgain()
    {
        var seeded = await app.SeedDeliveryAsync();
        var message = Bounce(seeded, $"feedback-{Guid.NewGuid():N}");

        using var first = await app.PostSnsAsync(app.SnsNotification(message));
        // SNS retries with the same message; a second SNS message (another id) carrying the same SES event also counts once.
        var again = app.SnsNotification(message);
        using var second = await app.PostSnsAsync(again);
        using var third = await app.PostSnsAsync(again);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode, third.StatusCode));
        Assert.Equal(1, (await WebhookFixtures.SummaryAsync(second)).GetProperty("duplicates").GetInt32());
        Assert.Equal(0, (await WebhookFixtures.SummaryAsync(third)).GetProperty("recorded").GetInt32());
        await using var db = await app.CreateContextAsync();
        Assert.Equal(1, await db.BounceEvents.CountAsync(e => e.DeliveryId == seeded.DeliveryId));
        Assert.Equal(1, await db.SuppressionEntries.CountAsync(s => s.Email == seeded.Email));
    }

    [Fact]
    public async Task Post_ShouldSuppressWithReasonComplaint_WhenASignedSesComplaintArrives()
    {
        var seeded = await app.SeedDeliveryAsync();
        var message = WebhookFixtures.Read(
            "ses-complaint.json", ("RECIPIENT", seeded.Email), ("TOKEN", seeded.Token), ("EVENT_ID", Guid.NewGuid().ToString()),
            ("TIME", WebhookFixtures.Iso(app.Time.GetUtcNow())));

        using var response = await app.PostSnsAsync(app.SnsNotification(message, "1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await app.CreateContextAsync();
        var bounce = await db.BounceEvents.SingleAsync(e => e.DeliveryId == seeded.DeliveryId);
        Assert.Equal((MessageKind.FeedbackReport, "abuse", BounceEffect.Complaint), (bounce.Kind, bounce.FeedbackType, bounce.Effect));
        Assert.Equal(SuppressionReason.Complaint, (await db.SuppressionEntries.SingleAsync(s => s.Email == seeded.Email && s.LiftedAt == null)).Reason);
        Assert.Equal(ContactStatus.OptedOut, (await db.Contacts.SingleAsync(c => c.Id == seeded.ContactId)).Status);
    }

    [Fact]
    public async Task Post_ShouldRecordASuccessReportOnlyWhenMatched_WhenSesReportsADelivery()
    {
        var seeded = await app.SeedDeliveryAsync();
        string Delivery(string recipient, string token) => WebhookFixtures.Read(
            "ses-delivery.json", ("RECIPIENT", recipient), ("TOKEN", token), ("EVENT_ID", Guid.NewGuid().ToString()),
            ("TIME", WebhookFixtures.Iso(app.Time.GetUtcNow())));
        var before = await app.CountAsync();

        using var matched = await app.PostSnsAsync(app.SnsNotification(Delivery(seeded.Email, seeded.Token)));
        using var unmatched = await app.PostSnsAsync(app.SnsNotification(Delivery($"nobody-{Guid.NewGuid():N}@example.com", "no-token")));

        Assert.Equal(1, (await WebhookFixtures.SummaryAsync(matched)).GetProperty("recorded").GetInt32());
        Assert.Equal(1, (await WebhookFixtures.SummaryAsync(unmatched)).GetProperty("ignored").GetInt32());
        await using var db = await app.CreateContextAsync();
        var report = await db.BounceEvents.SingleAsync(e => e.DeliveryId == seeded.DeliveryId);
        Assert.Equal((MessageKind.SuccessReport, BounceReason.Delivered, BounceEffect.None), (report.Kind, report.Reason, report.Effect));
        Assert.Equal(before.Bounces + 1, (await app.CountAsync()).Bounces);
    }

    [Fact]
    public async Task Post_ShouldMatchByAddressWithinTheWindow_WhenTheNotificationCarriesNoTokenNorMessageId()
    {
        var seeded = await app.SeedDeliveryAsync();
        var message = Bounce(seeded, $"feedback-{Guid.NewGuid():N}", token: "").Replace(seeded.MessageId, "someone-else@elsewhere.example", StringComparison.Ordinal);

        using var response = await app.PostSnsAsync(app.SnsNotification(message));

        Assert.Equal(1, (await WebhookFixtures.SummaryAsync(response)).GetProperty("recorded").GetInt32());
        await using var db = await app.CreateContextAsync();
        Assert.Equal(BounceEventState.Applied, (await db.BounceEvents.SingleAsync(e => e.DeliveryId == seeded.DeliveryId)).State);
    }

    [Fact]
    public async Task Post_ShouldLeaveTheEventInTheReviewQueue_WhenNothingMatches()
    {
        var stranger = $"stranger-{Guid.NewGuid():N}@example.net";
        var seeded = await app.SeedDeliveryAsync();
        var message = Bounce(seeded, $"feedback-{Guid.NewGuid():N}", token: "", recipient: stranger).Replace(seeded.MessageId, "x@y.example", StringComparison.Ordinal);

        using var response = await app.PostSnsAsync(app.SnsNotification(message));

        Assert.Equal(1, (await WebhookFixtures.SummaryAsync(response)).GetProperty("awaitingMatch").GetInt32());
        await using var db = await app.CreateContextAsync();
        var waiting = await db.BounceEvents.SingleAsync(e => e.Recipient == stranger);
        Assert.Equal((BounceEventState.AwaitingMatch, (long?)null), (waiting.State, waiting.DeliveryId));
        Assert.False(await db.SuppressionEntries.AnyAsync(s => s.Email == stranger));
    }

    public static TheoryData<string> Tamperings => new() { "message changed", "signature removed", "signature of other bytes", "unknown version", "certificate elsewhere", "certificate over http", "topic not ours", "certificate missing" };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Post_ShouldAnswer401AndRecordNothing_WhenTheSnsMessageIsNotProperlySigned(string tampering)
    {
        var seeded = await app.SeedDeliveryAsync();
        var good = app.SnsNotification(Bounce(seeded, $"feedback-{Guid.NewGuid():N}"));
        var body = tampering switch
        {
            "message changed" => good.Replace("Permanent", "Transient", StringComparison.Ordinal),
            "signature removed" => Without(good, "Signature"),
            "signature of other bytes" => With(good, "Signature", JsonDocument.Parse(app.SnsNotification("{}")).RootElement.GetProperty("Signature").GetString()!),
            "unknown version" => With(good, "SignatureVersion", "3"),
            "certificate elsewhere" => app.SnsNotification(Bounce(seeded, "x"), certificateUrl: "https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem"),
            "certificate over http" => app.SnsNotification(Bounce(seeded, "x"), certificateUrl: $"http://{WebhooksApp.SnsHost}/SimpleNotificationService-test.pem"),
            "topic not ours" => app.SnsNotification(Bounce(seeded, "x"), topicArn: "arn:aws:sns:eu-west-1:999999999999:someone-elses"),
            _ => app.SnsNotification(Bounce(seeded, "x"), certificateUrl: $"https://{WebhooksApp.SnsHost}/missing.pem"),
        };
        var before = await app.CountAsync();

        using var response = await app.PostSnsAsync(body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await app.CountAsync());
        Assert.DoesNotContain(app.Sns.Requests, r => r.Contains("evil", StringComparison.Ordinal) || r.StartsWith("http:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"Type\":\"Notification\"}")]
    public async Task Post_ShouldAnswer400AndRecordNothing_WhenTheBodyIsNotAnSnsMessage(string body)
    {
        var before = await app.CountAsync();

        using var response = await app.PostSnsAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await app.CountAsync());
    }

    [Fact]
    public async Task Post_ShouldConfirmTheSubscription_WhenASignedConfirmationNamesAnAllowedHttpsUrl()
    {
        var url = $"https://{WebhooksApp.SnsHost}/?Action=ConfirmSubscription&TopicArn={WebhooksApp.TopicArn}&Token={Guid.NewGuid():N}";
        app.Sns.Responses[url] = "<ConfirmSubscriptionResponse/>"u8.ToArray();

        using var response = await app.PostSnsAsync(app.SnsSubscriptionConfirmation(url), "SubscriptionConfirmation");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("subscription confirmed", (await WebhookFixtures.SummaryAsync(response)).GetProperty("note").GetString());
        Assert.Contains(url, app.Sns.Requests);
    }

    [Fact]
    public async Task Post_ShouldAnswer502SoSnsAsksAgain_WhenSnsRefusesTheConfirmation()
    {
        var url = $"https://{WebhooksApp.SnsHost}/?Action=ConfirmSubscription&Token=refused-{Guid.NewGuid():N}";

        using var response = await app.PostSnsAsync(app.SnsSubscriptionConfirmation(url), "SubscriptionConfirmation");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains(url, app.Sns.Requests);
    }

    [Theory]
    [InlineData("https://attacker.example/?Action=ConfirmSubscription")]
    [InlineData("http://sns.test.example/?Action=ConfirmSubscription")]
    [InlineData("https://sns.test.example:8443/?Action=ConfirmSubscription")]
    public async Task Post_ShouldNotFetchTheSubscribeUrl_WhenItIsNotAnAllowedHttpsHost(string url)
    {
        using var response = await app.PostSnsAsync(app.SnsSubscriptionConfirmation(url), "SubscriptionConfirmation");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(url, app.Sns.Requests);
    }

    [Fact]
    public async Task Post_ShouldNotFetchTheSubscribeUrl_WhenTheConfirmationIsNotSigned()
    {
        var url = $"https://{WebhooksApp.SnsHost}/?Action=ConfirmSubscription&Token={Guid.NewGuid():N}";
        app.Sns.Responses[url + "&x=1"] = "<ConfirmSubscriptionResponse/>"u8.ToArray();
        var body = With(app.SnsSubscriptionConfirmation(url), "SubscribeURL", url + "&x=1");

        using var response = await app.PostSnsAsync(body, "SubscriptionConfirmation");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(app.Sns.Requests, r => r.Contains("x=1", StringComparison.Ordinal));
    }

    private static string With(string json, string name, string value)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;
        fields[name] = value;
        return JsonSerializer.Serialize(fields);
    }

    private static string Without(string json, string name)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;
        fields.Remove(name);
        return JsonSerializer.Serialize(fields);
    }
}
