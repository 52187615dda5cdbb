using System.Text.Json;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Web.Api.Webhooks;
using Xunit;

namespace BounceDashboard.Tests.Api.Webhooks;

/// <summary>
/// Every row of every provider's mapping table, written out here (docs/decisions/webhooks.md) and read through the
/// provider's own parser from a minimal payload, so a changed row or a parser that builds the wrong key fails.
/// </summary>
public sealed class ProviderMappingsTests
{
    private const WebhookEventType Ignored = WebhookEventType.Ignored;
    private const WebhookEventType Bounce = WebhookEventType.Bounce;
    private const WebhookEventType Delay = WebhookEventType.Delay;
    private const WebhookEventType Complaint = WebhookEventType.Complaint;
    private const WebhookEventType Unsubscribe = WebhookEventType.Unsubscribe;
    private const WebhookEventType Delivery = WebhookEventType.Delivery;
    private const WebhookEventType Open = WebhookEventType.Open;
    private const WebhookEventType Click = WebhookEventType.Click;

    public static TheoryData<string, WebhookEventType, BounceReason, bool, bool> SesRows => new()
    {
        { "Undetermined/Undetermined", Bounce, BounceReason.Undefined, false, false },
        { "Permanent/General", Bounce, BounceReason.Undefined, true, false },
        { "Permanent/NoEmail", Bounce, BounceReason.UserUnknown, true, true },
        { "Permanent/Suppressed", Bounce, BounceReason.UserUnknown, true, true },
        { "Permanent/OnAccountSuppressionList", Bounce, BounceReason.UserUnknown, true, true },
        { "Transient/General", Bounce, BounceReason.Undefined, false, false },
        { "Transient/MailboxFull", Bounce, BounceReason.MailboxFull, false, false },
        { "Transient/MessageTooLarge", Bounce, BounceReason.MesgTooBig, false, false },
        { "Transient/ContentRejected", Bounce, BounceReason.ContentError, false, false },
        { "Transient/AttachmentRejected", Bounce, BounceReason.ContentError, false, false },
        { "Complaint", Complaint, BounceReason.Feedback, false, false },
        { "Delivery", Delivery, BounceReason.Delivered, false, false },
        { "DeliveryDelay", Delay, BounceReason.Undefined, false, false },
        { "Open", Open, BounceReason.Undefined, false, false },
        { "Click", Click, BounceReason.Undefined, false, false },
        { "Send", Ignored, BounceReason.Undefined, false, false },
        { "Reject", Ignored, BounceReason.Undefined, false, false },
        { "RenderingFailure", Ignored, BounceReason.Undefined, false, false },
        { "Subscription", Ignored, BounceReason.Undefined, false, false },
    };

    public static TheoryData<string, WebhookEventType, BounceReason, bool, bool> SendGridRows => new()
    {
        { "processed", Ignored, BounceReason.Undefined, false, false },
        { "delivered", Delivery, BounceReason.Delivered, false, false },
        { "deferred", Delay, BounceReason.Undefined, false, false },
        { "bounce/bounce", Bounce, BounceReason.Undefined, true, false },
        { "bounce/blocked", Bounce, BounceReason.Blocked, false, false },
        { "dropped/Bounced Address", Bounce, BounceReason.UserUnknown, true, true },
        { "dropped/Invalid", Bounce, BounceReason.SyntaxError, true, false },
        { "dropped/Spam Reporting Address", Complaint, BounceReason.Feedback, false, false },
        { "dropped/Unsubscribed Address", Unsubscribe, BounceReason.Feedback, false, false },
        { "spamreport", Complaint, BounceReason.Feedback, false, false },
        { "unsubscribe", Unsubscribe, BounceReason.Feedback, false, false },
        { "group_unsubscribe", Unsubscribe, BounceReason.Feedback, false, false },
        { "group_resubscribe", Ignored, BounceReason.Undefined, false, false },
        { "open", Open, BounceReason.Undefined, false, false },
        { "click", Click, BounceReason.Undefined, false, false },
    };

    public static TheoryData<string, BounceReason> SendGridClassificationRows => new()
    {
        { "Invalid Address", BounceReason.UserUnknown },
        { "Mailbox Unavailable", BounceReason.Suspend },
        { "Technical", BounceReason.SystemError },
        { "Content", BounceReason.ContentError },
        { "Reputation", BounceReason.BadReputation },
        { "Frequency or Volume", BounceReason.Speeding },
    };

    public static TheoryData<string, WebhookEventType, BounceReason, bool, bool> PostmarkRows => new()
    {
        { "Bounce/HardBounce", Bounce, BounceReason.UserUnknown, true, true },
        { "Bounce/Transient", Delay, BounceReason.Undefined, false, false },
        { "Bounce/SoftBounce", Bounce, BounceReason.Undefined, false, false },
        { "Bounce/Unknown", Bounce, BounceReason.Undefined, false, false },
        { "Bounce/DnsError", Bounce, BounceReason.NetworkError, false, false },
        { "Bounce/AddressChange", Bounce, BounceReason.HasMoved, true, true },
        { "Bounce/BadEmailAddress", Bounce, BounceReason.SyntaxError, true, false },
        { "Bounce/Blocked", Bounce, BounceReason.Blocked, false, false },
        { "Bounce/SpamNotification", Bounce, BounceReason.Filtered, false, false },
        { "Bounce/VirusNotification", Bounce, BounceReason.VirusDetected, true, false },
        { "Bounce/DMARCPolicy", Bounce, BounceReason.AuthFailure, true, false },
        { "Bounce/SpamComplaint", Complaint, BounceReason.Feedback, false, false },
        { "Bounce/Unsubscribe", Unsubscribe, BounceReason.Feedback, false, false },
        { "Bounce/Subscribe", Ignored, BounceReason.Undefined, false, false },
        { "Bounce/AutoResponder", Ignored, BounceReason.Undefined, false, false },
        { "Bounce/OpenRelayTest", Ignored, BounceReason.Undefined, false, false },
        { "Bounce/ChallengeVerification", Ignored, BounceReason.Undefined, false, false },
        { "Bounce/ManuallyDeactivated", Ignored, BounceReason.Undefined, false, false },
        { "Bounce/Unconfirmed", Ignored, BounceReason.Undefined, false, false },
        { "Bounce/SMTPApiError", Ignored, BounceReason.Undefined, false, false },
        { "Bounce/InboundError", Ignored, BounceReason.Undefined, false, false },
        { "Bounce/TemplateRenderingFailed", Ignored, BounceReason.Undefined, false, false },
        { "SpamComplaint", Complaint, BounceReason.Feedback, false, false },
        { "Delivery", Delivery, BounceReason.Delivered, false, false },
        { "Open", Open, BounceReason.Undefined, false, false },
        { "Click", Click, BounceReason.Undefined, false, false },
        { "SubscriptionChange/ManualSuppression", Unsubscribe, BounceReason.Feedback, false, false },
        { "SubscriptionChange/HardBounce", Ignored, BounceReason.Undefined, false, false },
        { "SubscriptionChange/SpamComplaint", Ignored, BounceReason.Undefined, false, false },
        { "SubscriptionChange/Reactivated", Ignored, BounceReason.Undefined, false, false },
    };

    public static TheoryData<string, WebhookEventType, BounceReason, bool, bool> MailgunRows => new()
    {
        { "accepted", Ignored, BounceReason.Undefined, false, false },
        { "rejected", Ignored, BounceReason.Undefined, false, false },
        { "stored", Ignored, BounceReason.Undefined, false, false },
        { "delivered", Delivery, BounceReason.Delivered, false, false },
        { "failed/temporary", Delay, BounceReason.Undefined, false, false },
        { "failed/permanent/bounce", Bounce, BounceReason.Undefined, true, false },
        { "failed/permanent/generic", Bounce, BounceReason.Undefined, true, false },
        { "failed/permanent/esp-block", Bounce, BounceReason.Blocked, true, false },
        { "failed/permanent/old", Bounce, BounceReason.Expired, false, false },
        { "failed/permanent/suppress-bounce", Bounce, BounceReason.UserUnknown, true, true },
        { "failed/permanent/suppress-complaint", Complaint, BounceReason.Feedback, false, false },
        { "failed/permanent/suppress-unsubscribe", Unsubscribe, BounceReason.Feedback, false, false },
        { "complained", Complaint, BounceReason.Feedback, false, false },
        { "unsubscribed", Unsubscribe, BounceReason.Feedback, false, false },
        { "opened", Open, BounceReason.Undefined, false, false },
        { "clicked", Click, BounceReason.Undefined, false, false },
    };

    [Theory]
    [MemberData(nameof(SesRows))]
    public void Ses_ShouldMapTheNotificationAsDocumented_WhenItCarriesNoStatus(string key, WebhookEventType type, BounceReason reason, bool permanent, bool hard) =>
        AssertRow(Single(SesWebhook.ReadNotification(Parse(SesPayload(key, status: null)), "sns-1")), key, "ses", type, reason, permanent, hard);

    [Theory]
    [MemberData(nameof(SendGridRows))]
    public void SendGrid_ShouldMapTheEventAsDocumented_WhenItCarriesNoStatus(string key, WebhookEventType type, BounceReason reason, bool permanent, bool hard) =>
        AssertRow(SendGridWebhook.Read(Parse(SendGridPayload(key))), key, "sendgrid", type, reason, permanent, hard);

    [Theory]
    [MemberData(nameof(PostmarkRows))]
    public void Postmark_ShouldMapTheRecordAsDocumented_WhenItCarriesNoStatus(string key, WebhookEventType type, BounceReason reason, bool permanent, bool hard) =>
        AssertRow(PostmarkWebhook.Read(Parse(PostmarkPayload(key))), key, "postmark", type, reason, permanent, hard);

    [Theory]
    [MemberData(nameof(MailgunRows))]
    public void Mailgun_ShouldMapTheEventAsDocumented_WhenItCarriesNoStatus(string key, WebhookEventType type, BounceReason reason, bool permanent, bool hard) =>
        AssertRow(MailgunWebhook.Read(Parse(MailgunPayload(key))), key, "mailgun", type, reason, permanent, hard);

    [Theory]
    [MemberData(nameof(SendGridClassificationRows))]
    public void SendGrid_ShouldTakeTheReasonFromTheClassification_WhenABounceIsClassified(string classification, BounceReason reason)
    {
        var item = SendGridWebhook.Read(Parse($$"""{"event":"bounce","type":"bounce","status":"5.0.0","bounce_classification":"{{classification}}","email":"a@example.com"}"""));

        Assert.Equal((reason, true, $"webhook:sendgrid:bounce/bounce/{classification}"), (item.Reason, item.Mapping.Permanent, item.Rule));
    }

    [Fact]
    public void Tables_ShouldEachBeCoveredRowByRow_WhenTheTestsAbovePass()
    {
        static IEnumerable<string> Keys(TheoryData<string, WebhookEventType, BounceReason, bool, bool> data) => data.Select(row => (string)row[0]);

        Assert.Equal(ProviderMappings.Ses.Keys.Order(), Keys(SesRows).Order());
        Assert.Equal(ProviderMappings.SendGrid.Keys.Order(), Keys(SendGridRows).Order());
        Assert.Equal(ProviderMappings.Postmark.Keys.Order(), Keys(PostmarkRows).Order());
        Assert.Equal(ProviderMappings.Mailgun.Keys.Order(), Keys(MailgunRows).Order());
        Assert.Equal(ProviderMappings.SendGridClassifications.Keys.Order(), SendGridClassificationRows.Select(row => (string)row[0]).Order());
    }

    [Theory]
    [InlineData("Permanent", "General", "5.1.1", BounceReason.UserUnknown, true)]
    [InlineData("Permanent", "General", "5.2.2", BounceReason.MailboxFull, false)]
    [InlineData("Permanent", "General", "5.0.0", BounceReason.Undefined, false)]
    [InlineData("Transient", "General", "4.2.2", BounceReason.MailboxFull, false)]
    [InlineData("Undetermined", "Undetermined", "5.1.2", BounceReason.HostUnknown, true)]
    [InlineData("Permanent", "SomethingNew", "5.1.1", BounceReason.UserUnknown, true)]
    [InlineData("Transient", "SomethingNew", null, BounceReason.Undefined, false)]
    [InlineData("Transient", "MailboxFull", "5.1.1", BounceReason.MailboxFull, false)]
    public void Ses_ShouldTakeTheReasonFromTheStatus_OnlyWhenTheRowIsGeneric(string bounceType, string subType, string? status, BounceReason reason, bool hard)
    {
        var item = Single(SesWebhook.ReadNotification(Parse(SesPayload($"{bounceType}/{subType}", status)), "sns-1"));

        Assert.Equal((WebhookEventType.Bounce, reason), (item.Type, item.Reason));
        Assert.Equal(hard, BounceReasons.IsHard(item.Reason, item.Mapping.Permanent));
    }

    [Fact]
    public void Postmark_ShouldReadTheStatusAndReplyFromTheDetails_WhenTheBounceIsGeneric()
    {
        var item = PostmarkWebhook.Read(Parse("""{"RecordType":"Bounce","Type":"SoftBounce","ID":1,"Email":"a@example.com","Details":"smtp;452 4.2.2 The email account that you tried to reach is over quota."}"""));

        Assert.Equal((BounceReason.MailboxFull, "4.2.2", "452"), (item.Reason, item.EnhancedStatus?.ToString(), item.SmtpReply));
    }

    [Fact]
    public void Mailgun_ShouldTreatAnUnknownPermanentReasonAsABounce_WhenMailgunAddsOne()
    {
        var item = MailgunWebhook.Read(Parse("""{"event":"failed","severity":"permanent","reason":"brand-new","recipient":"a@example.com","delivery-status":{"code":550,"enhanced-code":"5.1.1"}}"""));

        Assert.Equal((WebhookEventType.Bounce, BounceReason.UserUnknown, true, "550"), (item.Type, item.Reason, item.Mapping.Permanent, item.SmtpReply));
    }

    [Fact]
    public void Ses_ShouldGiveOneEventPerRecipientAndMarkThemOneOfMany_WhenABounceNamesSeveral()
    {
        var events = SesWebhook.ReadNotification(Parse("""
            {"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"NoEmail","feedbackId":"f-1",
             "bouncedRecipients":[{"emailAddress":"a@example.com"},{"emailAddress":"b@example.com"}]},"mail":{"headers":[]}}
            """), "sns-1");

        Assert.Equal(["a@example.com", "b@example.com"], events.Select(e => e.Recipient));
        Assert.All(events, e => Assert.True(e.OneOfMany));
        Assert.NotEqual(WebhookRecorder.BounceKeyFor(events[0]), WebhookRecorder.BounceKeyFor(events[1]));
    }

    private static void AssertRow(WebhookEvent item, string key, string provider, WebhookEventType type, BounceReason reason, bool permanent, bool hard)
    {
        Assert.Equal((type, reason, permanent), (item.Type, item.Reason, item.Mapping.Permanent));
        Assert.Equal(hard, BounceReasons.IsHard(item.Reason, item.Mapping.Permanent));
        Assert.Equal($"webhook:{provider}:{key}", item.Rule);
    }

    private static WebhookEvent Single(IReadOnlyList<WebhookEvent> events) => Assert.Single(events);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string SesPayload(string key, string? status)
    {
        var statusField = status is null ? string.Empty : $",\"status\":\"{status}\"";
        var parts = key.Split('/');
        return parts.Length == 2
            ? $$$"""{"notificationType":"Bounce","bounce":{"bounceType":"{{{parts[0]}}}","bounceSubType":"{{{parts[1]}}}","feedbackId":"f-1","bouncedRecipients":[{"emailAddress":"a@example.com"{{{statusField}}}}]},"mail":{"destination":["a@example.com"]}}"""
            : key switch
            {
                "Complaint" => """{"notificationType":"Complaint","complaint":{"feedbackId":"f-2","complainedRecipients":[{"emailAddress":"a@example.com"}]},"mail":{}}""",
                "Delivery" => """{"notificationType":"Delivery","delivery":{"recipients":["a@example.com"]},"mail":{"messageId":"m-1"}}""",
                "DeliveryDelay" => """{"eventType":"DeliveryDelay","deliveryDelay":{"delayType":"General","delayedRecipients":[{"emailAddress":"a@example.com"}]},"mail":{}}""",
                "Open" => """{"eventType":"Open","open":{"timestamp":"2026-03-02T09:00:00.000Z"},"mail":{"destination":["a@example.com"]}}""",
                "Click" => """{"eventType":"Click","click":{"link":"https://shop.example.org/"},"mail":{"destination":["a@example.com"]}}""",
                _ => $$$"""{"eventType":"{{{key}}}","mail":{"destination":["a@example.com"]}}""",
            };
    }

    private static string SendGridPayload(string key)
    {
        var parts = key.Split('/', 2);
        return parts[0] switch
        {
            "bounce" => $$"""{"event":"bounce","type":"{{parts[1]}}","email":"a@example.com","sg_event_id":"e-1"}""",
            "dropped" => $$"""{"event":"dropped","reason":"{{parts[1]}}","email":"a@example.com","sg_event_id":"e-1"}""",
            _ => $$"""{"event":"{{key}}","email":"a@example.com","sg_event_id":"e-1"}""",
        };
    }

    private static string PostmarkPayload(string key)
    {
        var parts = key.Split('/', 2);
        return parts[0] switch
        {
            "Bounce" => $$"""{"RecordType":"Bounce","Type":"{{parts[1]}}","ID":42,"Email":"a@example.com"}""",
            "SubscriptionChange" when parts[1] == "Reactivated" => """{"RecordType":"SubscriptionChange","SuppressSending":false,"Recipient":"a@example.com"}""",
            "SubscriptionChange" => $$"""{"RecordType":"SubscriptionChange","SuppressSending":true,"SuppressionReason":"{{parts[1]}}","Recipient":"a@example.com"}""",
            _ => $$"""{"RecordType":"{{key}}","Recipient":"a@example.com","Email":"a@example.com","ID":43}""",
        };
    }

    private static string MailgunPayload(string key)
    {
        var parts = key.Split('/');
        return parts switch
        {
            ["failed", "temporary"] => """{"event":"failed","severity":"temporary","recipient":"a@example.com","id":"m-1"}""",
            ["failed", "permanent", var reason] => $$"""{"event":"failed","severity":"permanent","reason":"{{reason}}","recipient":"a@example.com","id":"m-1"}""",
            _ => $$"""{"event":"{{key}}","recipient":"a@example.com","id":"m-1"}""",
        };
    }
}
