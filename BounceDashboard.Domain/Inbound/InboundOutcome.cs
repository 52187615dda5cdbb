namespace BounceDashboard.Domain.Inbound;

/// <summary>What became of an inbound message once the engine read it. Stored as a string.</summary>
/// <remarks>
/// Every outcome but <see cref="Matched"/> keeps the raw bytes for good, so the message can be re-classified when the
/// engine improves, and waits in the review queue (<see cref="InboundMessage.AwaitsReview"/>): <see cref="NotABounce"/>
/// too, since the engine may have missed a format it does not know.
/// </remarks>
public enum InboundOutcome
{
    /// <summary>Stored; the engine has not read it yet (only seen inside the ingest transaction, or after a crash in it).</summary>
    Pending = 0,
    /// <summary>A report whose every recipient was matched to one of our deliveries.</summary>
    Matched = 1,
    /// <summary>A report with at least one recipient no delivery was found for.</summary>
    Unmatched = 2,
    /// <summary>A report (bounce, delay, feedback, auto-reply...) that names no recipient.</summary>
    NoRecipients = 3,
    /// <summary>Ordinary mail: no report of any kind.</summary>
    NotABounce = 4,
    /// <summary>The engine could not read it; <see cref="InboundMessage.Error"/> says why.</summary>
    Unparseable = 5,
    /// <summary>An admin dismissed it from the review queue: kept with its raw bytes, counted nowhere, not re-read by a stale-engine reclassify.</summary>
    Dismissed = 6,
}
