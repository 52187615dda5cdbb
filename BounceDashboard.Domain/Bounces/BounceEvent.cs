using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Domain.Bounces;

/// <summary>
/// One reported recipient of one incoming report (a DSN, a non-standard notice, a feedback report, an
/// auto-reply) or one failed SMTP reply, as a fact. Linked to the delivery it concerns, or unmatched.
/// </summary>
/// <remarks>
/// The idempotency key is unique: the same message polled twice, the same webhook posted twice, or the same SMTP
/// reply recorded twice produces the same key, so the insert fails or is skipped and replay is harmless. Build it
/// with <see cref="KeyFor"/>. The rules also refuse to apply an event twice (<see cref="AppliedAt"/>).
/// </remarks>
public sealed class BounceEvent
{
    public const int RecipientMaxLength = EmailAddress.MaxLength;
    public const int EnhancedStatusMaxLength = EnhancedStatusCode.MaxLength;
    public const int ReplyCodeMaxLength = 3;
    public const int DiagnosticMaxLength = 2000;
    public const int RemoteMtaMaxLength = 255;
    public const int RuleMaxLength = 100;
    public const int FeedbackTypeMaxLength = 50;
    public const int RawMessageRefMaxLength = 500;
    public const int IdempotencyKeyMaxLength = 200;

    private BounceEvent()
    {
        Recipient = string.Empty;
        Rule = string.Empty;
        IdempotencyKey = string.Empty;
    }

    public long Id { get; private set; }

    /// <summary>The delivery it concerns; null while unmatched.</summary>
    public long? DeliveryId { get; private set; }

    public BounceSource Source { get; private set; }

    public MessageKind Kind { get; private set; }

    /// <summary>The recipient the report names, normalised when it is an address; empty when the report names none.</summary>
    public string Recipient { get; private set; }

    public BounceReason Reason { get; private set; }

    /// <summary>Class 5: the failure is permanent.</summary>
    public bool Permanent { get; private set; }

    /// <summary>The address itself is bad (<see cref="BounceReasons.IsHard"/>).</summary>
    public bool Hard { get; private set; }

    /// <summary>RFC 3463 code as text ("5.1.1"), or null.</summary>
    public string? EnhancedStatus { get; private set; }

    /// <summary>SMTP reply code ("550"), or null.</summary>
    public string? ReplyCode { get; private set; }

    public string? Diagnostic { get; private set; }

    public string? RemoteMta { get; private set; }

    /// <summary>The engine's rule id that decided the reason.</summary>
    public string Rule { get; private set; }

    /// <summary>ARF Feedback-Type for feedback reports.</summary>
    public string? FeedbackType { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>Where the raw message is kept (a file name, a mailbox UID), for the review page.</summary>
    public string? RawMessageRef { get; private set; }

    /// <summary>The stored inbound message it was read from (<c>InboundMessage</c>); null for SMTP replies and older events.</summary>
    public long? InboundMessageId { get; private set; }

    public string IdempotencyKey { get; private set; }

    /// <summary>When the rules applied it; null until then.</summary>
    public DateTimeOffset? AppliedAt { get; private set; }

    /// <summary>What the rules did; null until applied.</summary>
    public BounceEffect? Effect { get; private set; }

    public bool IsMatched => DeliveryId is not null;

    public bool IsApplied => AppliedAt is not null;

    /// <summary>
    /// The idempotency key of one recipient of one source item: <c>{source}:{itemKey}:{recipient}</c>, where the item
    /// key identifies the message (mailbox id + UIDVALIDITY + UID, a content hash, a webhook event id, or
    /// delivery id + attempt number for an SMTP reply). Longer keys are shortened with a SHA-256 digest.
    /// </summary>
    public static string KeyFor(BounceSource source, string itemKey, string? recipient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(itemKey);
        var normalizedRecipient = EmailAddress.TryNormalize(recipient, out var address) ? address : recipient?.Trim() ?? string.Empty;
        var key = $"{source}:{itemKey}:{normalizedRecipient}";
        if (key.Length <= IdempotencyKeyMaxLength)
        {
            return key;
        }

        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        return $"{source}:sha256:{digest}";
    }

    /// <summary>
    /// Replaces the engine's reading (kind, reason, permanence, status, reply, diagnostic, remote MTA, rule, feedback
    /// type) with a newer engine's, for <c>reclassify</c>. Only an event the rules have not applied can change: what was
    /// applied stays as it was applied. Returns false when the reading is the one already stored.
    /// </summary>
    public bool UpdateReading(MessageKind kind, BounceRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (IsApplied)
        {
            throw new DomainException($"Bounce event {Id} was applied at {AppliedAt:O}; its reading cannot change.");
        }

        if (!Enum.IsDefined(kind) || !Enum.IsDefined(recipient.Reason))
        {
            throw new DomainException($"Unknown kind or reason ({kind}, {recipient.Reason}).");
        }

        var status = recipient.Status?.ToString();
        var reply = TextLimits.Truncate(recipient.ReplyCode, ReplyCodeMaxLength);
        var diagnostic = TextLimits.Truncate(recipient.Diagnostic, DiagnosticMaxLength);
        var remoteMta = TextLimits.Truncate(recipient.RemoteMta, RemoteMtaMaxLength);
        var rule = TextLimits.Truncate(recipient.Rule, RuleMaxLength) ?? string.Empty;
        var feedbackType = TextLimits.Truncate(recipient.FeedbackType, FeedbackTypeMaxLength);
        var hard = BounceReasons.IsHard(recipient.Reason, recipient.Permanent);
        if (Kind == kind && Reason == recipient.Reason && Permanent == recipient.Permanent && Hard == hard
            && EnhancedStatus == status && ReplyCode == reply && Diagnostic == diagnostic && RemoteMta == remoteMta
            && Rule == rule && FeedbackType == feedbackType)
        {
            return false;
        }

        Kind = kind;
        Reason = recipient.Reason;
        Permanent = recipient.Permanent;
        Hard = hard;
        EnhancedStatus = status;
        ReplyCode = reply;
        Diagnostic = diagnostic;
        RemoteMta = remoteMta;
        Rule = rule;
        FeedbackType = feedbackType;
        return true;
    }

    /// <summary>A bounce event from one recipient of an engine report.</summary>
    public static BounceEvent FromReport(
        BounceReport report,
        BounceRecipient recipient,
        BounceSource source,
        DateTimeOffset receivedAt,
        string idempotencyKey,
        long? deliveryId = null,
        string? rawMessageRef = null,
        long? inboundMessageId = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(recipient);
        if (inboundMessageId is <= 0)
        {
            throw new DomainException($"A bounce event cannot point to inbound message {inboundMessageId}.");
        }

        var bounce = Create(
            source,
            report.Kind,
            recipient.Address,
            recipient.Reason,
            recipient.Permanent,
            recipient.Hard,
            recipient.Status,
            recipient.ReplyCode,
            recipient.Diagnostic,
            recipient.RemoteMta,
            recipient.Rule,
            recipient.FeedbackType,
            receivedAt,
            idempotencyKey,
            deliveryId,
            rawMessageRef);
        bounce.InboundMessageId = inboundMessageId;
        return bounce;
    }

    /// <summary>A bounce event; outside text (diagnostics, MTA names) is cut to fit rather than refused.</summary>
    public static BounceEvent Create(
        BounceSource source,
        MessageKind kind,
        string? recipient,
        BounceReason reason,
        bool permanent,
        bool hard,
        EnhancedStatusCode? status,
        string? replyCode,
        string? diagnostic,
        string? remoteMta,
        string rule,
        string? feedbackType,
        DateTimeOffset receivedAt,
        string idempotencyKey,
        long? deliveryId = null,
        string? rawMessageRef = null)
    {
        if (!Enum.IsDefined(source) || !Enum.IsDefined(kind) || !Enum.IsDefined(reason))
        {
            throw new DomainException($"Unknown source, kind or reason ({source}, {kind}, {reason}).");
        }

        if (deliveryId is <= 0)
        {
            throw new DomainException($"A bounce event cannot point to delivery {deliveryId}.");
        }

        var address = EmailAddress.TryNormalize(recipient, out var normalized)
            ? normalized
            : TextLimits.Truncate(recipient, RecipientMaxLength) ?? string.Empty;
        var reply = TextLimits.Truncate(replyCode, ReplyCodeMaxLength);
        return new BounceEvent
        {
            Source = source,
            Kind = kind,
            Recipient = address,
            Reason = reason,
            Permanent = permanent,
            Hard = hard,
            EnhancedStatus = status?.ToString(),
            ReplyCode = reply,
            Diagnostic = TextLimits.Truncate(diagnostic, DiagnosticMaxLength),
            RemoteMta = TextLimits.Truncate(remoteMta, RemoteMtaMaxLength),
            Rule = TextLimits.Truncate(rule, RuleMaxLength) ?? string.Empty,
            FeedbackType = TextLimits.Truncate(feedbackType, FeedbackTypeMaxLength),
            ReceivedAt = receivedAt,
            IdempotencyKey = TextLimits.Required(idempotencyKey, IdempotencyKeyMaxLength, "Idempotency key"),
            DeliveryId = deliveryId,
            RawMessageRef = TextLimits.Truncate(rawMessageRef, RawMessageRefMaxLength),
        };
    }

    /// <summary>Links an unmatched event to a delivery (automatic matching or an admin's review).</summary>
    public void MatchTo(long deliveryId)
    {
        if (deliveryId <= 0)
        {
            throw new DomainException($"A bounce event cannot point to delivery {deliveryId}.");
        }

        if (DeliveryId is { } current && current != deliveryId)
        {
            throw new DomainException($"Bounce event {Id} is already matched to delivery {current}, not {deliveryId}.");
        }

        if (IsApplied)
        {
            throw new DomainException($"Bounce event {Id} was already applied; it cannot be re-matched.");
        }

        DeliveryId = deliveryId;
    }

    /// <summary>The text stored as the delivery's last SMTP reply: "550 5.1.1 diagnostic".</summary>
    public string SmtpReplyText() =>
        string.Join(' ', new[] { ReplyCode, EnhancedStatus, Diagnostic }.Where(p => !string.IsNullOrEmpty(p)));

    /// <summary>Records that the rules applied it; an event is applied once only.</summary>
    public void MarkApplied(BounceEffect effect, DateTimeOffset at)
    {
        if (AppliedAt is not null)
        {
            throw new DomainException($"Bounce event {Id} was already applied at {AppliedAt:O}.");
        }

        AppliedAt = at;
        Effect = effect;
    }
}
