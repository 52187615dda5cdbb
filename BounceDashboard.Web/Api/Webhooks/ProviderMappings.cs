using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Web.Api.Webhooks;

/// <summary>
/// Every provider's event and bounce types mapped to our reason, permanence and hard flag, in one place (documented in
/// docs/decisions/webhooks.md, one table per provider). Hard is never set here: it follows from the reason and the
/// permanence (<see cref="BounceReasons.IsHard"/>), as for the mailbox. A row marked "from status" lets an unambiguous
/// RFC 3463 status in the event name the reason (SES's Permanent/General for a 5.1.1 is a user unknown).
/// </summary>
public static class ProviderMappings
{
    private static readonly ProviderMapping s_delivery = new(WebhookEventType.Delivery, BounceReason.Delivered);
    private static readonly ProviderMapping s_complaint = new(WebhookEventType.Complaint, BounceReason.Feedback);
    private static readonly ProviderMapping s_unsubscribe = new(WebhookEventType.Unsubscribe, BounceReason.Feedback);
    private static readonly ProviderMapping s_open = new(WebhookEventType.Open);
    private static readonly ProviderMapping s_click = new(WebhookEventType.Click);

    // Amazon SES: notificationType (or eventType) and, for a bounce, "bounceType/bounceSubType"
    // (docs.aws.amazon.com/ses/latest/dg/notification-contents.html, "Bounce types").
    public static IReadOnlyDictionary<string, ProviderMapping> Ses { get; } = new Dictionary<string, ProviderMapping>(StringComparer.OrdinalIgnoreCase)
    {
        ["Undetermined/Undetermined"] = new(WebhookEventType.Bounce, BounceReason.Undefined, Permanent: false, ReasonFromStatus: true),
        ["Permanent/General"] = new(WebhookEventType.Bounce, BounceReason.Undefined, Permanent: true, ReasonFromStatus: true),
        ["Permanent/NoEmail"] = new(WebhookEventType.Bounce, BounceReason.UserUnknown, Permanent: true),
        ["Permanent/Suppressed"] = new(WebhookEventType.Bounce, BounceReason.UserUnknown, Permanent: true),
        ["Permanent/OnAccountSuppressionList"] = new(WebhookEventType.Bounce, BounceReason.UserUnknown, Permanent: true),
        ["Transient/General"] = new(WebhookEventType.Bounce, BounceReason.Undefined, Permanent: false, ReasonFromStatus: true),
        ["Transient/MailboxFull"] = new(WebhookEventType.Bounce, BounceReason.MailboxFull, Permanent: false),
        ["Transient/MessageTooLarge"] = new(WebhookEventType.Bounce, BounceReason.MesgTooBig, Permanent: false),
        ["Transient/ContentRejected"] = new(WebhookEventType.Bounce, BounceReason.ContentError, Permanent: false),
        ["Transient/AttachmentRejected"] = new(WebhookEventType.Bounce, BounceReason.ContentError, Permanent: false),
        ["Complaint"] = s_complaint,
        ["Delivery"] = s_delivery,
        ["DeliveryDelay"] = new(WebhookEventType.Delay, BounceReason.Undefined, Permanent: false, ReasonFromStatus: true),
        ["Open"] = s_open,
        ["Click"] = s_click,
        ["Send"] = ProviderMapping.Ignored,
        ["Reject"] = ProviderMapping.Ignored,
        ["RenderingFailure"] = ProviderMapping.Ignored,
        ["Subscription"] = ProviderMapping.Ignored,
    };

    /// <summary>An SES bounce type/subtype not in the table: its type decides, the reason comes from the status.</summary>
    public static ProviderMapping SesBounceFallback(string? bounceType) =>
        string.Equals(bounceType, "Permanent", StringComparison.OrdinalIgnoreCase)
            ? Ses["Permanent/General"]
            : Ses["Transient/General"];

    // SendGrid Event Webhook: "event", and for a bounce "bounce/{type}" (type bounce or blocked); a drop by its reason
    // ("dropped/Bounced Address"). (twilio.com/docs/sendgrid/for-developers/tracking-events/event)
    public static IReadOnlyDictionary<string, ProviderMapping> SendGrid { get; } = new Dictionary<string, ProviderMapping>(StringComparer.OrdinalIgnoreCase)
    {
        ["processed"] = ProviderMapping.Ignored,
        ["delivered"] = s_delivery,
        ["deferred"] = new(WebhookEventType.Delay, BounceReason.Undefined, Permanent: false, ReasonFromStatus: true),
        ["bounce/bounce"] = new(WebhookEventType.Bounce, BounceReason.Undefined, Permanent: true, ReasonFromStatus: true),
        ["bounce/blocked"] = new(WebhookEventType.Bounce, BounceReason.Blocked, Permanent: false),
        ["dropped/Bounced Address"] = new(WebhookEventType.Bounce, BounceReason.UserUnknown, Permanent: true),
        ["dropped/Invalid"] = new(WebhookEventType.Bounce, BounceReason.SyntaxError, Permanent: true),
        ["dropped/Spam Reporting Address"] = s_complaint,
        ["dropped/Unsubscribed Address"] = s_unsubscribe,
        ["spamreport"] = s_complaint,
        ["unsubscribe"] = s_unsubscribe,
        ["group_unsubscribe"] = s_unsubscribe,
        ["group_resubscribe"] = ProviderMapping.Ignored,
        ["open"] = s_open,
        ["click"] = s_click,
    };

    /// <summary>
    /// SendGrid's bounce_classification, when present, names the reason of a bounce (the permanence stays the type's);
    /// "Unclassified" leaves it to the status.
    /// </summary>
    public static IReadOnlyDictionary<string, BounceReason> SendGridClassifications { get; } = new Dictionary<string, BounceReason>(StringComparer.OrdinalIgnoreCase)
    {
        ["Invalid Address"] = BounceReason.UserUnknown,
        ["Mailbox Unavailable"] = BounceReason.Suspend,
        ["Technical"] = BounceReason.SystemError,
        ["Content"] = BounceReason.ContentError,
        ["Reputation"] = BounceReason.BadReputation,
        ["Frequency or Volume"] = BounceReason.Speeding,
    };

    // Postmark: RecordType, and for a bounce "Bounce/{Type}" (postmarkapp.com/developer/api/bounce-api#bounce-types).
    public static IReadOnlyDictionary<string, ProviderMapping> Postmark { get; } = new Dictionary<string, ProviderMapping>(StringComparer.OrdinalIgnoreCase)
    {
        ["Bounce/HardBounce"] = new(WebhookEventType.Bounce, BounceReason.UserUnknown, Permanent: true),
        ["Bounce/Transient"] = new(WebhookEventType.Delay, BounceReason.Undefined, Permanent: false, ReasonFromStatus: true),
        ["Bounce/SoftBounce"] = new(WebhookEventType.Bounce, BounceReason.Undefined, Permanent: false, ReasonFromStatus: true),
        ["Bounce/Unknown"] = new(WebhookEventType.Bounce, BounceReason.Undefined, Permanent: false, ReasonFromStatus: true),
        ["Bounce/DnsError"] = new(WebhookEventType.Bounce, BounceReason.NetworkError, Permanent: false),
        ["Bounce/AddressChange"] = new(WebhookEventType.Bounce, BounceReason.HasMoved, Permanent: true),
        ["Bounce/BadEmailAddress"] = new(WebhookEventType.Bounce, BounceReason.SyntaxError, Permanent: true),
        ["Bounce/Blocked"] = new(WebhookEventType.Bounce, BounceReason.Blocked, Permanent: false),
        ["Bounce/SpamNotification"] = new(WebhookEventType.Bounce, BounceReason.Filtered, Permanent: false),
        ["Bounce/VirusNotification"] = new(WebhookEventType.Bounce, BounceReason.VirusDetected, Permanent: true),
        ["Bounce/DMARCPolicy"] = new(WebhookEventType.Bounce, BounceReason.AuthFailure, Permanent: true),
        ["Bounce/SpamComplaint"] = s_complaint,
        ["Bounce/Unsubscribe"] = s_unsubscribe,
        ["Bounce/Subscribe"] = ProviderMapping.Ignored,
        ["Bounce/AutoResponder"] = ProviderMapping.Ignored,
        ["Bounce/OpenRelayTest"] = ProviderMapping.Ignored,
        ["Bounce/ChallengeVerification"] = ProviderMapping.Ignored,
        ["Bounce/ManuallyDeactivated"] = ProviderMapping.Ignored,
        ["Bounce/Unconfirmed"] = ProviderMapping.Ignored,
        ["Bounce/SMTPApiError"] = ProviderMapping.Ignored,
        ["Bounce/InboundError"] = ProviderMapping.Ignored,
        ["Bounce/TemplateRenderingFailed"] = ProviderMapping.Ignored,
        ["SpamComplaint"] = s_complaint,
        ["Delivery"] = s_delivery,
        ["Open"] = s_open,
        ["Click"] = s_click,
        ["SubscriptionChange/ManualSuppression"] = s_unsubscribe,
        ["SubscriptionChange/HardBounce"] = ProviderMapping.Ignored,
        ["SubscriptionChange/SpamComplaint"] = ProviderMapping.Ignored,
        ["SubscriptionChange/Reactivated"] = ProviderMapping.Ignored,
    };

    // Mailgun: "event", for a failure "failed/{severity}", for a permanent one "failed/permanent/{reason}"
    // (documentation.mailgun.com, "Webhook Payloads" and "Events").
    public static IReadOnlyDictionary<string, ProviderMapping> Mailgun { get; } = new Dictionary<string, ProviderMapping>(StringComparer.OrdinalIgnoreCase)
    {
        ["accepted"] = ProviderMapping.Ignored,
        ["rejected"] = ProviderMapping.Ignored,
        ["stored"] = ProviderMapping.Ignored,
        ["delivered"] = s_delivery,
        ["failed/temporary"] = new(WebhookEventType.Delay, BounceReason.Undefined, Permanent: false, ReasonFromStatus: true),
        ["failed/permanent/bounce"] = new(WebhookEventType.Bounce, BounceReason.Undefined, Permanent: true, ReasonFromStatus: true),
        ["failed/permanent/generic"] = new(WebhookEventType.Bounce, BounceReason.Undefined, Permanent: true, ReasonFromStatus: true),
        ["failed/permanent/esp-block"] = new(WebhookEventType.Bounce, BounceReason.Blocked, Permanent: true),
        ["failed/permanent/old"] = new(WebhookEventType.Bounce, BounceReason.Expired, Permanent: false),
        ["failed/permanent/suppress-bounce"] = new(WebhookEventType.Bounce, BounceReason.UserUnknown, Permanent: true),
        ["failed/permanent/suppress-complaint"] = s_complaint,
        ["failed/permanent/suppress-unsubscribe"] = s_unsubscribe,
        ["complained"] = s_complaint,
        ["unsubscribed"] = s_unsubscribe,
        ["opened"] = s_open,
        ["clicked"] = s_click,
    };

    /// <summary>A permanent Mailgun failure of a reason not in the table: a permanent bounce, the reason from the status.</summary>
    public static ProviderMapping MailgunPermanentFallback => Mailgun["failed/permanent/bounce"];

    /// <summary>The table of a provider.</summary>
    public static IReadOnlyDictionary<string, ProviderMapping> For(WebhookProvider provider) => provider switch
    {
        WebhookProvider.Ses => Ses,
        WebhookProvider.SendGrid => SendGrid,
        WebhookProvider.Postmark => Postmark,
        WebhookProvider.Mailgun => Mailgun,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown webhook provider."),
    };

    /// <summary>The row of <paramref name="key"/>, or <paramref name="fallback"/> (ignored when none is given).</summary>
    public static ProviderMapping Find(WebhookProvider provider, string key, ProviderMapping? fallback = null) =>
        For(provider).TryGetValue(key, out var row) ? row : fallback ?? ProviderMapping.Ignored;
}
