using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing;

/// <summary>What the bounce engine learned from one raw message.</summary>
/// <param name="Kind">What the message is.</param>
/// <param name="Recipients">One entry per recipient the message reports on (empty for ordinary mail and unparseable input).</param>
/// <param name="Match">What ties the message to a delivery we made.</param>
/// <param name="Error">Why the message is <see cref="MessageKind.Unparseable"/>; null otherwise.</param>
/// <param name="Format">Name of the format that read the message ("rfc3464", "postfix", ...); null when none did.</param>
public sealed record BounceReport(
    MessageKind Kind,
    IReadOnlyList<BounceRecipient> Recipients,
    BounceMatch Match,
    string? Error = null,
    string? Format = null)
{
    /// <summary>
    /// The exceptions caught while reading the message: a format that met malformed input and gave way to the next
    /// one, or what made the message <see cref="MessageKind.Unparseable"/>. Empty for nearly every message.
    /// </summary>
    public IReadOnlyList<BounceFault> Faults { get; init; } = [];

    public static BounceReport Unparseable(string error) =>
        new(MessageKind.Unparseable, [], BounceMatch.None, error);

    /// <summary>An unparseable report for the exception that made it so, caught at <paramref name="stage"/>.</summary>
    public static BounceReport Unparseable(string stage, Exception exception, IReadOnlyList<BounceFault>? earlier = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = exception.GetType().Name + ": " + exception.Message;
        return Unparseable(stage == BounceFault.MimeStage ? error : stage + ": " + error) with
        {
            Faults = [.. earlier ?? [], new BounceFault(stage, exception)],
        };
    }

    /// <summary>
    /// The kind a set of reported recipients makes: a failure anywhere makes a bounce; otherwise the first
    /// recipient's kind (feedback, auto-reply, success, delay) stands.
    /// </summary>
    public static MessageKind KindOf(IReadOnlyList<BounceRecipient> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var kind = MessageKind.NotABounce;
        foreach (var r in recipients)
        {
            var k = r.Reason switch
            {
                BounceReason.Feedback => MessageKind.FeedbackReport,
                BounceReason.Vacation => MessageKind.AutoReply,
                BounceReason.Delivered => MessageKind.SuccessReport,
                _ when r.Action == DeliveryAction.Delayed => MessageKind.Delay,
                _ => MessageKind.Bounce,
            };

            // A failure anywhere makes the message a bounce; otherwise the first kind seen stands.
            if (k == MessageKind.Bounce || kind == MessageKind.NotABounce)
            {
                kind = k;
            }
        }

        return kind;
    }
}

/// <summary>One reported recipient.</summary>
/// <param name="Address">The failed (or reported) recipient address, lower-cased domain; empty when the notice names none.</param>
/// <param name="Action">RFC 3464 action, or the action implied by a non-standard notice.</param>
/// <param name="Status">RFC 3463 enhanced status code; null when neither the report nor the text gives one.</param>
/// <param name="ReplyCode">SMTP reply code such as "550"; null when none.</param>
/// <param name="Diagnostic">The diagnostic text the remote side gave.</param>
/// <param name="RemoteMta">The remote MTA that reported the failure, when known.</param>
/// <param name="Reason">Why it failed (or what the report is).</param>
/// <param name="Permanent">The failure is of class 5 (permanent), not a transient class 4.</param>
/// <param name="Hard">The address itself is bad; see <see cref="BounceReasons.IsHard"/>.</param>
/// <param name="Rule">Identifier of the rule that decided the reason, so an admin can see why.</param>
/// <param name="FeedbackType">ARF Feedback-Type (abuse, opt-out, ...) for feedback reports; null otherwise.</param>
public sealed record BounceRecipient(
    string Address,
    DeliveryAction Action,
    EnhancedStatusCode? Status,
    string? ReplyCode,
    string? Diagnostic,
    string? RemoteMta,
    BounceReason Reason,
    bool Permanent,
    bool Hard,
    string Rule,
    string? FeedbackType = null)
{
    /// <summary>The SMTP command refused (RCPT, MAIL, DATA, ...), when the notice said so; null when unknown.</summary>
    public string? Stage { get; init; }

    /// <summary>What said whether the failure is permanent or transient (<see cref="ReasonClassifier"/>).</summary>
    public ClassSource ClassFrom { get; init; }

    /// <summary>The reply code or wording that gave the class, when <see cref="ClassFrom"/> is a reply or wording.</summary>
    public string? ClassText { get; init; }

    /// <summary>
    /// One sentence for people: which evidence and which rule gave the reason and the class ("Refused at RCPT with
    /// 550 5.1.1 'no such user': the recipient mailbox does not exist at that domain (permanent, from status 5.1.1;
    /// rule text:userunknown:no such user)."). Written when asked, from the recipient's own fields.
    /// </summary>
    public string Explanation => RecipientExplanation.Of(this);
}

/// <summary>What said whether a failure is permanent (class 5) or transient (class 4).</summary>
public enum ClassSource
{
    /// <summary>Not a failure (feedback, auto-reply, success), or a recipient the classifier did not make.</summary>
    None = 0,
    /// <summary>The enhanced status code.</summary>
    Status = 1,
    /// <summary>The SMTP reply code.</summary>
    Reply = 2,
    /// <summary>The notice's own class (<see cref="ExplicitClass.Temporary"/>).</summary>
    Notice = 3,
    /// <summary>The diagnostic's wording ("temporary failure", "giving up").</summary>
    Wording = 4,
    /// <summary>Nothing said which: permanent by default.</summary>
    Default = 5,
}

/// <summary>Evidence that ties a message back to the delivery we sent.</summary>
/// <param name="VerpToken">Token from the VERP address the bounce was sent to (<c>bounces+TOKEN@...</c>).</param>
/// <param name="TrackingToken">Token from our tracking header found in returned headers or a quoted message.</param>
/// <param name="OriginalMessageId">Message-ID of the original message, from returned headers.</param>
/// <param name="OriginalEnvelopeId">RFC 3461 ENVID returned as Original-Envelope-Id.</param>
public sealed record BounceMatch(
    string? VerpToken,
    string? TrackingToken,
    string? OriginalMessageId,
    string? OriginalEnvelopeId)
{
    public static BounceMatch None { get; } = new(null, null, null, null);

    /// <summary>The best token: VERP first (the envelope is hardest to lose), then the tracking header.</summary>
    public string? Token => VerpToken ?? TrackingToken;
}
