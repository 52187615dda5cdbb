using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Tracking;

namespace BounceDashboard.Domain.Deliveries;

/// <summary>
/// One campaign sent to one contact. The state that decides what happens next (attempt count, next attempt time)
/// lives here, in our table, not in the job scheduler. Transitions are named by intent and throw
/// <see cref="DomainException"/> naming both states when illegal; see <see cref="DeliveryState"/> for the graph.
/// </summary>
public sealed class Delivery
{
    public const int SmtpReplyMaxLength = 1000;

    /// <summary>Longest text form of an IPv6 address with an IPv4 tail.</summary>
    public const int SendingIpMaxLength = 45;

    public const int RelayMaxLength = 255;

    /// <summary>RFC 5322 allows long ids; ours and common MTAs' stay far below this.</summary>
    public const int MessageIdMaxLength = 255;

    public const int TokenMaxLength = TrackingTokenSigner.TokenLength;

    public const int BounceEventKeyMaxLength = 200;

    private readonly List<DeliveryAttempt> _attempts = [];

    private Delivery()
    {
    }

    public long Id { get; private set; }

    public long CampaignId { get; private set; }

    public long ContactId { get; private set; }

    public DeliveryState State { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset StateChangedAt { get; private set; }

    /// <summary>Attempts started so far.</summary>
    public int AttemptCount { get; private set; }

    /// <summary>When the next attempt is due: set while Queued or AwaitingRetry, null otherwise.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>When the first attempt started: orders a contact's campaigns for the bounce streaks.</summary>
    public DateTimeOffset? FirstAttemptAt { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public string? LastSmtpReply { get; private set; }

    public string? SendingIp { get; private set; }

    public string? Relay { get; private set; }

    public string? MessageId { get; private set; }

    /// <summary>Signed tracking token (<see cref="TrackingTokenSigner"/>), carried in the VERP address, a header and tracking URLs.</summary>
    public string? Token { get; private set; }

    /// <summary>The reason of the latest failure, kept for per-campaign reason breakdowns.</summary>
    public BounceReason? BounceReason { get; private set; }

    public DeliverySkipReason? SkipReason { get; private set; }

    /// <summary>First open (a click counts as an open too: images are often blocked).</summary>
    public DateTimeOffset? OpenedAt { get; private set; }

    /// <summary>First click.</summary>
    public DateTimeOffset? ClickedAt { get; private set; }

    /// <summary>Idempotency key of the last bounce event applied, so the same event applied twice changes nothing.</summary>
    public string? LastBounceEventKey { get; private set; }

    public IReadOnlyCollection<DeliveryAttempt> Attempts => _attempts.AsReadOnly();

    /// <summary>True in a state no bounce can change any more.</summary>
    public bool IsFinal => State is DeliveryState.SoftBounced or DeliveryState.HardBounced or DeliveryState.Skipped;

    /// <summary>A new delivery, due at once.</summary>
    public static Delivery Create(long campaignId, long contactId, DateTimeOffset createdAt)
    {
        if (campaignId <= 0 || contactId <= 0)
        {
            throw new DomainException($"A delivery needs a saved campaign and contact (got {campaignId}, {contactId}).");
        }

        return new Delivery
        {
            CampaignId = campaignId,
            ContactId = contactId,
            State = DeliveryState.Queued,
            CreatedAt = createdAt,
            StateChangedAt = createdAt,
            NextAttemptAt = createdAt,
        };
    }

    /// <summary>Sets the signed token once (it is signed over the id, which exists only after the first save).</summary>
    public void AssignToken(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        if (Token is not null && !string.Equals(Token, token, StringComparison.Ordinal))
        {
            throw new DomainException($"Delivery {Id} already has a token.");
        }

        if (token.Length > TokenMaxLength)
        {
            throw new DomainException($"A token is at most {TokenMaxLength} characters.");
        }

        Token = token;
    }

    /// <summary>Queued → Skipped: the contact was not sendable when the campaign went out.</summary>
    public void Skip(DeliverySkipReason reason, DateTimeOffset at)
    {
        EnsureState(DeliveryState.Skipped, DeliveryState.Queued);
        SkipReason = reason;
        NextAttemptAt = null;
        ChangeState(DeliveryState.Skipped, at);
    }

    /// <summary>Queued or AwaitingRetry → Sending: starts attempt number <see cref="AttemptCount"/> + 1.</summary>
    public void BeginAttempt(DateTimeOffset at, string messageId, string? sendingIp = null, string? relay = null)
    {
        EnsureState(DeliveryState.Sending, DeliveryState.Queued, DeliveryState.AwaitingRetry);
        MessageId = TextLimits.Required(messageId, MessageIdMaxLength, "Message-ID");
        SendingIp = TextLimits.Optional(sendingIp, SendingIpMaxLength, "Sending IP");
        Relay = TextLimits.Optional(relay, RelayMaxLength, "Relay");
        AttemptCount++;
        FirstAttemptAt ??= at;
        LastAttemptAt = at;
        NextAttemptAt = null;
        _attempts.Add(DeliveryAttempt.Start(Id, AttemptCount, at, SendingIp, Relay));
        ChangeState(DeliveryState.Sending, at);
    }

    /// <summary>
    /// Sending → Queued (no earlier attempt) or AwaitingRetry: the attempt never got an answer from a relay (the
    /// connection, TLS or authentication failed, the relay refused our sender, the connection dropped mid-message, or
    /// the worker died and the claim went stale). It is taken back as if it had not started: it does not count against
    /// the attempts or the contact, its row is removed, and the delivery is due again at <paramref name="retryAt"/>.
    /// The error is kept in <see cref="LastSmtpReply"/>. A message the relay took just before the connection dropped
    /// may therefore go out twice; see the README ("Sending").
    /// </summary>
    public void ReleaseAttempt(DateTimeOffset at, DateTimeOffset retryAt, string error)
    {
        EnsureState(DeliveryState.Queued, DeliveryState.Sending);
        if (retryAt < at)
        {
            throw new DomainException($"Delivery {Id}: a released attempt is due again at or after {at:O}, not {retryAt:O}.");
        }

        var index = _attempts.FindLastIndex(a => a.Number == AttemptCount);
        if (index < 0)
        {
            throw new DomainException($"Delivery {Id}: releasing an attempt needs the delivery loaded with its latest attempt.");
        }

        _attempts.RemoveAt(index);
        AttemptCount--;
        if (AttemptCount == 0)
        {
            FirstAttemptAt = null;
            LastAttemptAt = null;
        }
        else if (_attempts.Find(a => a.Number == AttemptCount) is { } previous)
        {
            LastAttemptAt = previous.StartedAt;
        }

        LastSmtpReply = TextLimits.Truncate(error, SmtpReplyMaxLength);
        NextAttemptAt = retryAt;
        ChangeState(AttemptCount == 0 ? DeliveryState.Queued : DeliveryState.AwaitingRetry, at);
    }

    /// <summary>
    /// AwaitingRetry → SoftBounced without another attempt: the contact stopped being sendable while the retry waited
    /// (see <c>BounceRules.StopIfUnsendable</c>). The earlier attempts failed transiently, so it ends soft bounced.
    /// </summary>
    public void AbandonRetry(DateTimeOffset at)
    {
        EnsureState(DeliveryState.SoftBounced, DeliveryState.AwaitingRetry);
        NextAttemptAt = null;
        ChangeState(DeliveryState.SoftBounced, at);
    }

    /// <summary>
    /// Sending → Delivered: the relay accepted the message. Call it through <c>BounceRules.RecordAccepted</c>, so the
    /// contact learns of the delivery (a delivered campaign breaks a bounce streak).
    /// </summary>
    public void MarkDelivered(DateTimeOffset at, string? smtpReply)
    {
        EnsureState(DeliveryState.Delivered, DeliveryState.Sending);
        CompleteAttempt(DeliveryAttemptOutcome.Accepted, at, smtpReply);
        ChangeState(DeliveryState.Delivered, at);
    }

    /// <summary>Sending or Delivered → AwaitingRetry: a transient failure with attempts left.</summary>
    public void ScheduleRetry(DateTimeOffset at, DateTimeOffset nextAttemptAt, string? smtpReply, BounceReason reason)
    {
        EnsureState(DeliveryState.AwaitingRetry, DeliveryState.Sending, DeliveryState.Delivered);
        if (nextAttemptAt <= at)
        {
            throw new DomainException($"Delivery {Id}: the next attempt ({nextAttemptAt:O}) must come after {at:O}.");
        }

        CompleteAttempt(DeliveryAttemptOutcome.TransientFailure, at, smtpReply);
        BounceReason = reason;
        NextAttemptAt = nextAttemptAt;
        ChangeState(DeliveryState.AwaitingRetry, at);
    }

    /// <summary>Sending or Delivered → SoftBounced: a transient failure at the last attempt.</summary>
    public void MarkSoftBounced(DateTimeOffset at, string? smtpReply, BounceReason reason)
    {
        EnsureState(DeliveryState.SoftBounced, DeliveryState.Sending, DeliveryState.Delivered);
        CompleteAttempt(DeliveryAttemptOutcome.TransientFailure, at, smtpReply);
        BounceReason = reason;
        ChangeState(DeliveryState.SoftBounced, at);
    }

    /// <summary>Sending, Delivered or AwaitingRetry → HardBounced: a permanent failure (or a bad address at the last attempt).</summary>
    public void MarkHardBounced(DateTimeOffset at, string? smtpReply, BounceReason reason, bool permanent)
    {
        EnsureState(DeliveryState.HardBounced, DeliveryState.Sending, DeliveryState.Delivered, DeliveryState.AwaitingRetry);
        CompleteAttempt(
            permanent ? DeliveryAttemptOutcome.PermanentFailure : DeliveryAttemptOutcome.TransientFailure,
            at,
            smtpReply);
        BounceReason = reason;
        NextAttemptAt = null;
        ChangeState(DeliveryState.HardBounced, at);
    }

    /// <summary>Records an open; true when it is the first.</summary>
    public bool RecordOpen(DateTimeOffset at)
    {
        if (OpenedAt is not null)
        {
            return false;
        }

        OpenedAt = at;
        return true;
    }

    /// <summary>Records a click (and an open if none was seen); true when it is the first click.</summary>
    public bool RecordClick(DateTimeOffset at)
    {
        RecordOpen(at);
        if (ClickedAt is not null)
        {
            return false;
        }

        ClickedAt = at;
        return true;
    }

    /// <summary>True when the bounce event with this idempotency key was the last one applied.</summary>
    public bool HasApplied(string idempotencyKey) =>
        string.Equals(LastBounceEventKey, idempotencyKey, StringComparison.Ordinal);

    /// <summary>Remembers the idempotency key of the bounce event just applied.</summary>
    public void RememberBounceEvent(string idempotencyKey) =>
        LastBounceEventKey = TextLimits.Required(idempotencyKey, BounceEventKeyMaxLength, "Bounce event key");

    private void CompleteAttempt(DeliveryAttemptOutcome outcome, DateTimeOffset at, string? smtpReply)
    {
        LastSmtpReply = TextLimits.Truncate(smtpReply, SmtpReplyMaxLength) ?? LastSmtpReply;
        var last = _attempts.Count > 0 ? _attempts[^1] : null;
        last?.Complete(outcome, at, smtpReply);
    }

    private void EnsureState(DeliveryState target, params DeliveryState[] allowedFrom)
    {
        if (Array.IndexOf(allowedFrom, State) < 0)
        {
            throw DomainException.IllegalTransition(nameof(Delivery), Id, State, target);
        }
    }

    private void ChangeState(DeliveryState state, DateTimeOffset at)
    {
        State = state;
        StateChangedAt = at;
    }
}
