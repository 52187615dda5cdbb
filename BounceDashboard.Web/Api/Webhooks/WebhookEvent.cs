using System.Text.RegularExpressions;
using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Web.Api.Webhooks;

/// <summary>The providers with a webhook receiver; the route segment is the lower-case name.</summary>
public enum WebhookProvider
{
    Ses = 1,
    SendGrid = 2,
    Postmark = 3,
    Mailgun = 4,
}

/// <summary>What a provider's event means to us, after its mapping table.</summary>
public enum WebhookEventType
{
    /// <summary>An event we have no use for (processed, accepted, subscribe...): read and counted, nothing stored.</summary>
    Ignored = 0,
    /// <summary>A failure the provider gave up on (permanent or transient): a bounce event, applied by the rules.</summary>
    Bounce = 1,
    /// <summary>The provider is still trying: stored when matched, changes nothing (a delay notice).</summary>
    Delay = 2,
    /// <summary>A spam complaint: suppresses with reason Complaint.</summary>
    Complaint = 3,
    /// <summary>The recipient unsubscribed through the provider: opts out, suppresses with reason Unsubscribe.</summary>
    Unsubscribe = 4,
    /// <summary>The receiving server accepted the message: stored when matched, as a DSN success report is.</summary>
    Delivery = 5,
    Open = 6,
    Click = 7,
}

/// <summary>One row of a provider's mapping table (<see cref="ProviderMappings"/>).</summary>
/// <param name="Type">What the event is to us.</param>
/// <param name="Reason">Our reason for it.</param>
/// <param name="Permanent">The provider gave up for good (class 5); false for a transient failure.</param>
/// <param name="ReasonFromStatus">
/// The provider's type is generic: an unambiguous RFC 3463 status in the event (5.1.1, 5.2.2...) names the reason
/// instead (<see cref="Domain.Parsing.StatusCodes.ReasonOf"/>), and <paramref name="Reason"/> stands when there is none.
/// </param>
public sealed record ProviderMapping(WebhookEventType Type, BounceReason Reason = BounceReason.Undefined, bool Permanent = false, bool ReasonFromStatus = false)
{
    public static ProviderMapping Ignored { get; } = new(WebhookEventType.Ignored);
}

/// <summary>
/// One recipient of one provider event, in our terms: a provider parser reads its payload into these, and
/// <see cref="WebhookRecorder"/> matches and records them, whatever the provider.
/// </summary>
/// <param name="EventId">The provider's id of the event (with the recipient, the idempotency key).</param>
/// <param name="Rule">The mapping row that decided, e.g. <c>webhook:ses:Permanent/General</c>.</param>
/// <param name="Token">Our delivery token, from the message's headers or the metadata we set when sending.</param>
/// <param name="MessageId">The Message-ID we gave the message, when the provider reports it.</param>
/// <param name="OneOfMany">The provider's event names other recipients too: a token or Message-ID match holds only for the delivery's own address.</param>
public sealed record WebhookEvent(
    WebhookProvider Provider,
    string EventId,
    ProviderMapping Mapping,
    string Rule,
    string? Recipient,
    DateTimeOffset? OccurredAt,
    string? Status = null,
    string? ReplyCode = null,
    string? Diagnostic = null,
    string? RemoteMta = null,
    string? FeedbackType = null,
    string? Token = null,
    string? MessageId = null,
    string? Url = null,
    bool OneOfMany = false)
{
    public WebhookEventType Type => Mapping.Type;

    /// <summary>The status the event carries, or the first one its diagnostic text quotes.</summary>
    public EnhancedStatusCode? EnhancedStatus =>
        EnhancedStatusCode.TryParse(Status?.Trim(), out var code) ? code : WebhookText.FindStatus(Diagnostic);

    /// <summary>The mapping's reason, or the one an unambiguous status names when the row says so.</summary>
    public BounceReason Reason =>
        Mapping.ReasonFromStatus && EnhancedStatus is { } status && Domain.Parsing.StatusCodes.ReasonOf(status) is { } byStatus
            ? byStatus
            : Mapping.Reason;

    /// <summary>The three-digit SMTP reply, given or read from the front of the diagnostic ("smtp; 550 ...").</summary>
    public string? SmtpReply => ReplyCode is { Length: 3 } given ? given : WebhookText.FindReplyCode(Diagnostic);
}

/// <summary>Reading status codes out of providers' diagnostic text.</summary>
public static partial class WebhookText
{
    public static EnhancedStatusCode? FindStatus(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        foreach (Match match in StatusPattern().Matches(text))
        {
            if (EnhancedStatusCode.TryParse(match.Value, out var code))
            {
                return code;
            }
        }

        return null;
    }

    public static string? FindReplyCode(string? text) =>
        string.IsNullOrEmpty(text) ? null : ReplyPattern().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d.])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex StatusPattern();

    // "550 5.1.1 ...", "smtp; 550 ...": a reply code at the start, after an optional "smtp;" type.
    [GeneratedRegex(@"^\s*(?:smtp\s*;\s*)?([245]\d\d)(?![\d])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 200)]
    private static partial Regex ReplyPattern();
}

/// <summary>What one webhook request did: the JSON summary it answers with.</summary>
/// <param name="Events">Provider events read (one per recipient).</param>
/// <param name="Recorded">Stored for the first time (applied, or waiting in the review queue).</param>
/// <param name="Duplicates">Seen before (same provider event id): nothing changed.</param>
/// <param name="AwaitingMatch">Of the recorded, those no delivery was found for: they wait in the review queue.</param>
/// <param name="Ignored">Types we do not use, and deliveries, delays, opens and clicks no delivery of ours was found for.</param>
/// <param name="Note">What was done besides events (an SNS subscription confirmed).</param>
public sealed record WebhookSummary(string Provider, int Events, int Recorded, int Duplicates, int AwaitingMatch, int Ignored, string? Note = null);
