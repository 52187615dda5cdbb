using System.Net;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Api.Webhooks;

[Collection(WebhooksAppCollectionDefinition.Name)]
public sealed class PostmarkWebhookTests(WebhooksApp app)
{
    private static long s_nextId = 4_323_372_036;

    private string Payload(string fixture, WebhooksApp.Seeded seeded, long? id = null) =>
        WebhookFixtures.Read(
            fixture,
            ("RECIPIENT", seeded.Email),
            ("TOKEN", seeded.Token),
            ("EVENT_ID", (id ?? Interlocked.Increment(ref s_nextId)).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("TIME", WebhookFixtures.Iso(app.Time.GetUtcNow())));

    [Fact]
    public async Task Post_ShouldRecordAHardBounceByTheMetadataToken_WhenTheCredentialsAreRight()
    {
        var seeded = await app.SeedDeliveryAsync();

        using var response = await app.PostPostmarkAsync(Payload("postmark-bounce.json", seeded));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await app.CreateContextAsync();
        var bounce = await db.BounceEvents.SingleAsync(e => e.DeliveryId == seeded.DeliveryId);
        Assert.Equal((BounceReason.UserUnknown, true, "5.1.1", "550"), (bounce.Reason, bounce.Hard, bounce.EnhancedStatus, bounce.ReplyCode));
        Assert.Equal(DeliveryState.HardBounced, (await db.Deliveries.SingleAsync(d => d.Id == seeded.DeliveryId)).State);
        Assert.Equal(SuppressionReason.HardBounce, (await db.SuppressionEntries.SingleAsync(s => s.Email == seeded.Email)).Reason);
    }

    [Fact]
    public async Task Post_ShouldSuppressWithReasonComplaintOnce_WhenASpamComplaintIsPostedTwice()
    {
        var seeded = await app.SeedDeliveryAsync();
        var body = Payload("postmark-spam-complaint.json", seeded);

        using var first = await app.PostPostmarkAsync(body);
        using var second = await app.PostPostmarkAsync(body);

        Assert.Equal(1, (await WebhookFixtures.SummaryAsync(second)).GetProperty("duplicates").GetInt32());
        await using var db = await app.CreateContextAsync();
        Assert.Equal(1, await db.BounceEvents.CountAsync(e => e.DeliveryId == seeded.DeliveryId));
        Assert.Equal(SuppressionReason.Complaint, (await db.SuppressionEntries.SingleAsync(s => s.Email == seeded.Email)).Reason);
        Assert.Equal(ContactStatus.OptedOut, (await db.Contacts.SingleAsync(c => c.Id == seeded.ContactId)).Status);
    }

    [Fact]
    public async Task Post_ShouldRecordAClickOnce_WhenAClickIsPostedTwice()
    {
        var seeded = await app.SeedDeliveryAsync();
        var body = Payload("postmark-click.json", seeded);

        using var first = await app.PostPostmarkAsync(body);
        using var second = await app.PostPostmarkAsync(body);

        await using var db = await app.CreateContextAsync();
        var click = await db.TrackingEvents.SingleAsync(e => e.DeliveryId == seeded.DeliveryId);
        Assert.Equal((TrackingEventKind.Click, "https://shop.example.org/spring"), (click.Kind, click.Url));
    }

    [Theory]
    [InlineData("postmark", "wrong", WebhooksApp.PostmarkToken)]
    [InlineData(null, null, WebhooksApp.PostmarkToken)]
    [InlineData(WebhooksApp.PostmarkUser, WebhooksApp.PostmarkPassword, null)]
    [InlineData(WebhooksApp.PostmarkUser, WebhooksApp.PostmarkPassword, "wrong-token")]
    [InlineData(null, null, null)]
    public async Task Post_ShouldAnswer401AndRecordNothing_WhenACredentialIsMissingOrWrong(string? user, string? password, string? token)
    {
        var seeded = await app.SeedDeliveryAsync();
        var before = await app.CountAsync();

        using var response = await app.PostPostmarkAsync(Payload("postmark-bounce.json", seeded), user, password, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await app.CountAsync());
    }

    [Fact]
    public async Task Post_ShouldAnswer400_WhenTheBodyIsNotJson()
    {
        using var response = await app.PostPostmarkAsync("RecordType=Bounce");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
