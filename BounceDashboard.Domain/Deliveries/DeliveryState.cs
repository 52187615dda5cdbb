namespace BounceDashboard.Domain.Deliveries;

/// <summary>
/// Where one delivery (one campaign, one contact) stands. Stored as a string.
/// <code>
/// Queued ──> Sending ──> Delivered ──(async DSN)──> AwaitingRetry | SoftBounced | HardBounced
///   │           ├──────> Queued | AwaitingRetry (released: no relay answered the attempt; it does not count)
///   │           ├──────> AwaitingRetry ──> Sending (next attempt) | HardBounced (late permanent DSN)
///   │           │                          | SoftBounced (retry abandoned: the contact stopped being sendable)
///   │           ├──────> SoftBounced   (transient failure at the last attempt)
///   │           └──────> HardBounced   (permanent failure, or a transient bad address at the last attempt)
///   └──> Skipped  (the contact was not sendable when the campaign went out)
/// </code>
/// </summary>
public enum DeliveryState
{
    /// <summary>Created, not attempted yet.</summary>
    Queued = 0,
    /// <summary>An attempt is under way; the SMTP result is awaited.</summary>
    Sending = 1,
    /// <summary>A transient failure; the next attempt is due at <see cref="Delivery.NextAttemptAt"/>.</summary>
    AwaitingRetry = 2,
    /// <summary>Accepted by the relay and no bounce so far.</summary>
    Delivered = 3,
    /// <summary>Final: transient failures until the last attempt.</summary>
    SoftBounced = 4,
    /// <summary>Final: a permanent failure.</summary>
    HardBounced = 5,
    /// <summary>Final: never attempted because the contact was not Active or its address was suppressed.</summary>
    Skipped = 6,
}

/// <summary>Why a delivery was skipped. Stored as a string.</summary>
public enum DeliverySkipReason
{
    ContactNotActive = 1,
    AddressSuppressed = 2,
}

/// <summary>The outcome of one SMTP attempt. Stored as a string.</summary>
public enum DeliveryAttemptOutcome
{
    /// <summary>The attempt started; no result yet.</summary>
    Pending = 0,
    /// <summary>The relay accepted the message (2xx).</summary>
    Accepted = 1,
    /// <summary>A transient failure (4xx/4.x.x), at once or reported later by a DSN.</summary>
    TransientFailure = 2,
    /// <summary>A permanent failure (5xx/5.x.x), at once or reported later by a DSN.</summary>
    PermanentFailure = 3,
}
