namespace BounceDashboard.Domain.Bounces;

/// <summary>Where a bounce event came from. Stored as a string.</summary>
public enum BounceSource
{
    /// <summary>A message polled from the bounce mailbox (IMAP, POP3, Maildir, mbox).</summary>
    Mailbox = 1,
    /// <summary>A 4xx/5xx reply to our own SMTP session (RCPT or DATA), at send time.</summary>
    SmtpResponse = 2,
    /// <summary>An ESP webhook.</summary>
    Webhook = 3,
    /// <summary>A raw message or report posted to the API.</summary>
    Api = 4,
}

/// <summary>What the rules did with a bounce event, recorded on it. Stored as a string.</summary>
public enum BounceEffect
{
    /// <summary>Nothing changed: a report that never changes a status, or a delivery already final.</summary>
    None = 0,
    /// <summary>A transient failure with attempts left: the delivery waits for its next attempt.</summary>
    RetryScheduled = 1,
    /// <summary>The delivery ended soft bounced.</summary>
    SoftBounced = 2,
    /// <summary>The delivery ended hard bounced.</summary>
    HardBounced = 3,
    /// <summary>A complaint: the address was suppressed.</summary>
    Complaint = 4,
    /// <summary>An unsubscribe report (a mailbox provider's unsubscribe button, ARF opt-out): the contact opted out.</summary>
    OptedOut = 5,
}
