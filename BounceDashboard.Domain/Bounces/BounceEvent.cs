using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Domain.Bounces;

/// <summary>
/// One reported recipient of one incoming report (a DSN, a non-standard notice, a feedback report, an
/// auto-reply) or one failed SMTP reply, as a fact. Linked to the delivery it concerns, or unmatched.
/// </summary>
/// <remarks>
/// <para>
/// The idempotency key is unique: the same message polled twice, the same webhook posted twice, or the same SMTP
/// reply recorded twice produces the same key, so the insert fails or is skipped and replay is harmless. Build it
/// with <see cref="KeyFor"/>. The rules also refuse to apply an event twice (<see cref="State"/>).
/// </para>
/// <para>
/// Life cycle (<see cref="BounceEventState"/>): an event created for a delivery is <see cref="BounceEventState.Pending"/>
/// and the rules apply it in the transaction that stores it; an unmatched event waits as
/// <see cref="BounceEventState.AwaitingMatch"/> (the review queue) until <see cref="MatchTo"/> links it, which makes it
/// Pending, and the rules apply it once (<see cref="BounceEventState.Applied"/>), or until an admin dismisses it.
/// </para>
/// <para>
/// <see cref="Hard"/> is never given by the caller: it is <see cref="BounceReasons.IsHard"/> of the reason and the
/// permanence, so the engine, webhooks and the API cannot disagree on it.
/// </para>
/// </remarks>
public sealed class BounceEvent
{
    public const int RecipientMaxLength = EmailAddress.MaxLength;
    public const int EnhancedStatusMaxLength = EnhancedStatusCode.MaxLength;
    public const int ReplyCodeMaxLength = 3;
    public const int DiagnosticMaxLength = 2000;
    public const int RemoteMtaMaxLength = 255;
    public const int RuleMaxLength = 100;

    public const int ExplanationMaxLength = 500;
    public const int FeedbackTypeMaxLength = 50;
    public const int RawMessageRefMaxLength = 500;
    public const int IdempotencyKeyMaxLength = 200;
    public const int RecipientDomainMaxLength = EmailAddress.DomainMaxLength;
    public const int PatternMaxLength = DiagnosticPattern.MaxLength;

    private BounceEvent()
    {
        Recipient = string.Empty;
        Rule = string.Empty;
        IdempotencyKey = string.Empty;
        Pattern = DiagnosticPattern.NoText;
    }

    public long Id { get; private set; }

    /// <summary>The delivery it concerns; null while unmatched.</summary>
    public long? DeliveryId { get; private set; }

    /// <summary>
    /// The attempt it reports, when that can be told: always for an SMTP reply; for a report, the latest attempt started
    /// before it arrived (filled on save when not given). The sending IP copied onto the event is this attempt's.
    /// </summary>
    public long? DeliveryAttemptId { get; private set; }

    /// <summary>Where the event stands: waiting to be applied, waiting for a match (review queue), applied or dismissed.</summary>
    public BounceEventState State { get; private set; }

    public BounceSource Source { get; private set; }

    public MessageKind Kind { get; private set; }

    /// <summary>The recipient the report names, normalised when it is an address; empty when the report names none.</summary>
    public string Recipient { get; private set; }

    /// <summary>The recipient's domain (lower case) for the per-domain breakdowns; null when the recipient is not an address.</summary>
    public string? RecipientDomain { get; private set; }

    public BounceReason Reason { get; private set; }

    /// <summary>Class 5: the failure is permanent.</summary>
    public bool Permanent { get; private set; }

    /// <summary>The address itself is bad: always <see cref="BounceReasons.IsHard"/> of <see cref="Reason"/> and <see cref="Permanent"/>.</summary>
    public bool Hard { get; private set; }

    /// <summary>RFC 3463 code as text ("5.1.1"), or null.</summary>
    public string? EnhancedStatus { get; private set; }

    /// <summary>SMTP reply code ("550"), or null.</summary>
    public string? ReplyCode { get; private set; }

    public string? Diagnostic { get; private set; }

    public string? RemoteMta { get; private set; }

    /// <summary>
    /// The reply normalised for the bounce report (<see cref="DiagnosticPattern.For"/> of the reply code, status and
    /// diagnostic): kept in step with them by <see cref="Create"/> and <see cref="UpdateReading"/>.
    /// </summary>
    public string Pattern { get; private set; }

    /// <summary><see cref="DiagnosticPattern.Hash"/> of <see cref="Pattern"/>: what the report groups and indexes by.</summary>
    public long PatternHash { get; private set; }

    /// <summary>The engine's rule id that decided the reason.</summary>
    public string Rule { get; private set; }

    /// <summary>
    /// The engine's sentence for people: which evidence and which rule decided (<see cref="Parsing.BounceRecipient.Explanation"/>);
    /// null for events not read from a report (an SMTP reply at send time, a webhook) and for events stored before it existed.
    /// </summary>
    public string? Explanation { get; private set; }

    /// <summary>ARF Feedback-Type for feedback reports.</summary>
    public string? FeedbackType { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>Where the raw message is kept (a file name, a mailbox UID), for the review page.</summary>
    public string? RawMessageRef { get; private set; }

    /// <summary>The stored inbound message it was read from (<c>InboundMessage</c>); null for SMTP replies and older events.</summary>
    public long? InboundMessageId { get; private set; }

    public string IdempotencyKey { get; private set; }

    /// <summary>When the rules applied it; null until then (and for dismissed events).</summary>
    public DateTimeOffset? AppliedAt { get; private set; }

    /// <summary>What the rules did; null until applied.</summary>
    public BounceEffect? Effect { get; private set; }

    public bool IsMatched => DeliveryId is not null;

    public bool IsApplied => State == BounceEventState.Applied;

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
        var explanation = TextLimits.Truncate(recipient.Explanation, ExplanationMaxLength);
        var hard = BounceReasons.IsHard(recipient.Reason, recipient.Permanent);
        if (Kind == kind && Reason == recipient.Reason && Permanent == recipient.Permanent && Hard == hard
            && EnhancedStatus == status && ReplyCode == reply && Diagnostic == diagnostic && RemoteMta == remoteMta
            && Rule == rule && FeedbackType == feedbackType && Explanation == explanation)
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
        Explanation = explanation;
        SetPattern();
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
        bounce.Explanation = TextLimits.Truncate(recipient.Explanation, ExplanationMaxLength);
        return bounce;
    }

    /// <summary>
    /// A bounce event; outside text (diagnostics, MTA names) is cut to fit rather than refused. An SMTP reply
    /// (<see cref="BounceSource.SmtpResponse"/>) must name its delivery and the attempt it answered.
    /// </summary>
    public static BounceEvent Create(
        BounceSource source,
        MessageKind kind,
        string? recipient,
        BounceReason reason,
        bool permanent,
        EnhancedStatusCode? status,
        string? replyCode,
        string? diagnostic,
        string? remoteMta,
        string rule,
        string? feedbackType,
        DateTimeOffset receivedAt,
        string idempotencyKey,
        long? deliveryId = null,
        string? rawMessageRef = null,
        long? deliveryAttemptId = null)
    {
        if (!Enum.IsDefined(source) || !Enum.IsDefined(kind) || !Enum.IsDefined(reason))
        {
            throw new DomainException($"Unknown source, kind or reason ({source}, {kind}, {reason}).");
        }

        EnsureValidTarget(deliveryId, deliveryAttemptId);
        if (source == BounceSource.SmtpResponse && (deliveryId is null || deliveryAttemptId is null))
        {
            throw new DomainException("An SMTP reply is recorded against the delivery and the attempt it answered.");
        }

        EmailAddress.TryNormalize(recipient, out var normalized);
        var address = normalized ?? TextLimits.Truncate(recipient, RecipientMaxLength) ?? string.Empty;
        var reply = TextLimits.Truncate(replyCode, ReplyCodeMaxLength);
        var bounce = new BounceEvent
        {
            Source = source,
            Kind = kind,
            Recipient = address,
            RecipientDomain = normalized is null ? null : EmailAddress.DomainOf(normalized),
            Reason = reason,
            Permanent = permanent,
            Hard = BounceReasons.IsHard(reason, permanent),
            EnhancedStatus = status?.ToString(),
            ReplyCode = reply,
            Diagnostic = TextLimits.Truncate(diagnostic, DiagnosticMaxLength),
            RemoteMta = TextLimits.Truncate(remoteMta, RemoteMtaMaxLength),
            Rule = TextLimits.Truncate(rule, RuleMaxLength) ?? string.Empty,
            FeedbackType = TextLimits.Truncate(feedbackType, FeedbackTypeMaxLength),
            ReceivedAt = receivedAt,
            IdempotencyKey = TextLimits.Required(idempotencyKey, IdempotencyKeyMaxLength, "Idempotency key"),
            DeliveryId = deliveryId,
            DeliveryAttemptId = deliveryAttemptId,
            State = deliveryId is null ? BounceEventState.AwaitingMatch : BounceEventState.Pending,
            RawMessageRef = TextLimits.Truncate(rawMessageRef, RawMessageRefMaxLength),
        };
        bounce.SetPattern();
        return bounce;
    }

    /// <summary>
    /// The same facts as a new, unsaved and unapplied event: what a command retries with after a concurrency conflict
    /// rolled back its first try (the first instance may already carry an id and an applied state).
    /// </summary>
    public BounceEvent CopyAsNew()
    {
        var copy = (BounceEvent)MemberwiseClone();
        copy.Id = 0;
        copy.AppliedAt = null;
        copy.Effect = null;
        copy.State = DeliveryId is null ? BounceEventState.AwaitingMatch : BounceEventState.Pending;
        return copy;
    }

    /// <summary>
    /// Links an event waiting in the review queue to a delivery (a late automatic match or an admin's review): it
    /// becomes <see cref="BounceEventState.Pending"/>, and the rules then apply it exactly once. Matching it again to the
    /// same delivery before it is applied changes nothing; an applied or dismissed event cannot be re-matched.
    /// </summary>
    public void MatchTo(long deliveryId, long? deliveryAttemptId = null)
    {
        EnsureValidTarget(deliveryId, deliveryAttemptId);
        if (DeliveryId is { } current && current != deliveryId)
        {
            throw new DomainException($"Bounce event {Id} is already matched to delivery {current}, not {deliveryId}.");
        }

        if (State is BounceEventState.Applied or BounceEventState.Dismissed)
        {
            throw new DomainException($"Bounce event {Id} is {State}; it cannot be matched to delivery {deliveryId}.");
        }

        DeliveryId = deliveryId;
        DeliveryAttemptId ??= deliveryAttemptId;
        State = BounceEventState.Pending;
    }

    /// <summary>Names the attempt the event reports, when it was not known at creation (filled on save from the delivery's attempts).</summary>
    public void AttributeToAttempt(long deliveryAttemptId)
    {
        EnsureValidTarget(DeliveryId, deliveryAttemptId);
        if (DeliveryId is null)
        {
            throw new DomainException($"Bounce event {Id} is unmatched; it cannot name attempt {deliveryAttemptId}.");
        }

        if (DeliveryAttemptId is { } current && current != deliveryAttemptId)
        {
            throw new DomainException($"Bounce event {Id} already reports attempt {current}, not {deliveryAttemptId}.");
        }

        DeliveryAttemptId = deliveryAttemptId;
    }

    /// <summary>An admin's decision that an event in the review queue needs nothing: it leaves the queue and is never applied.</summary>
    public void Dismiss()
    {
        if (State != BounceEventState.AwaitingMatch)
        {
            throw DomainException.IllegalTransition(nameof(BounceEvent), Id, State, BounceEventState.Dismissed);
        }

        State = BounceEventState.Dismissed;
    }

    /// <summary>The text stored as the delivery's last SMTP reply: "550 5.1.1 diagnostic".</summary>
    public string SmtpReplyText() =>
        string.Join(' ', new[] { ReplyCode, EnhancedStatus, Diagnostic }.Where(p => !string.IsNullOrEmpty(p)));

    /// <summary>Records that the rules applied it; only a pending (matched, not yet applied) event can be, and only once.</summary>
    public void MarkApplied(BounceEffect effect, DateTimeOffset at)
    {
        if (State != BounceEventState.Pending)
        {
            throw State == BounceEventState.Applied
                ? new DomainException($"Bounce event {Id} was already applied at {AppliedAt:O}.")
                : DomainException.IllegalTransition(nameof(BounceEvent), Id, State, BounceEventState.Applied);
        }

        AppliedAt = at;
        Effect = effect;
        State = BounceEventState.Applied;
    }

    private void SetPattern()
    {
        Pattern = DiagnosticPattern.For(ReplyCode, EnhancedStatus, Diagnostic);
        PatternHash = DiagnosticPattern.Hash(Pattern);
    }

    private static void EnsureValidTarget(long? deliveryId, long? deliveryAttemptId)
    {
        if (deliveryId is <= 0)
        {
            throw new DomainException($"A bounce event cannot point to delivery {deliveryId}.");
        }

        if (deliveryAttemptId is <= 0)
        {
            throw new DomainException($"A bounce event cannot point to delivery attempt {deliveryAttemptId}.");
        }
    }
}
