namespace BounceDashboard.Domain.Bounces;

/// <summary>What an incoming message is, as the bounce engine decided. Stored as a string.</summary>
public enum MessageKind
{
    /// <summary>The message could not be read (the result carries the reason). It waits in the review queue.</summary>
    Unparseable = 0,
    /// <summary>Ordinary mail: no report of any kind.</summary>
    NotABounce = 1,
    /// <summary>A final failure: an RFC 3464 report with Action failed, or a non-standard failure notice.</summary>
    Bounce = 2,
    /// <summary>A delay notice (RFC 3464 Action delayed): the MTA is still trying; not final.</summary>
    Delay = 3,
    /// <summary>A success report (Action delivered, relayed or expanded).</summary>
    SuccessReport = 4,
    /// <summary>An auto-reply: out of office, vacation (RFC 3834).</summary>
    AutoReply = 5,
    /// <summary>A feedback report (ARF, RFC 5965): a complaint or similar.</summary>
    FeedbackReport = 6,
    /// <summary>
    /// A challenge/response or sender-verification request (Boxbe-style "please verify you are a person"): the
    /// recipient's filter holds the message. Not a failure and never counted; stored as not-a-bounce.
    /// </summary>
    Challenge = 7,
}
