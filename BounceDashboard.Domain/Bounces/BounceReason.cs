namespace BounceDashboard.Domain.Bounces;

/// <summary>
/// Why a message failed (or what a non-bounce report says), in the vocabulary of the Sisimai project
/// that labels the shared bounce corpus. Stored as a string; the numeric values are stable and explicit.
/// Whether a reason means "the address itself is bad" is decided in exactly one place:
/// <see cref="BounceReasons.IsHard(BounceReason, bool)"/>.
/// </summary>
public enum BounceReason
{
    /// <summary>A failure nobody could classify.</summary>
    Undefined = 0,
    /// <summary>The recipient mailbox does not exist.</summary>
    UserUnknown = 1,
    /// <summary>The recipient domain does not exist or cannot be resolved.</summary>
    HostUnknown = 2,
    /// <summary>The recipient has moved and the old address is gone (5.1.6).</summary>
    HasMoved = 3,
    /// <summary>The destination accepts no mail at all (null MX, every message refused).</summary>
    NotAccept = 4,
    MailboxFull = 5,
    Suspend = 6,
    Filtered = 7,
    Rejected = 8,
    Blocked = 9,
    BadReputation = 10,
    RequirePtr = 11,
    AuthFailure = 12,
    SecurityError = 13,
    SpamDetected = 14,
    VirusDetected = 15,
    PolicyViolation = 16,
    ContentError = 17,
    NotCompliantRfc = 18,
    MesgTooBig = 19,
    ExceedLimit = 20,
    TooManyConn = 21,
    Speeding = 22,
    Expired = 23,
    NetworkError = 24,
    SystemError = 25,
    SystemFull = 26,
    MailerError = 27,
    NoRelaying = 28,
    SyntaxError = 29,
    /// <summary>A failure was seen but its reason could not be decided yet.</summary>
    OnHold = 30,
    /// <summary>Not a bounce: a DSN reporting successful delivery (2.x.x).</summary>
    Delivered = 31,
    /// <summary>Not a bounce: an ARF (RFC 5965) feedback-loop report.</summary>
    Feedback = 32,
    /// <summary>Not a bounce: an auto-reply (RFC 3834).</summary>
    Vacation = 33,
}

/// <summary>Facts about <see cref="BounceReason"/> values, each defined once.</summary>
public static class BounceReasons
{
    /// <summary>
    /// True when the reason says the address itself is bad, so it should be suppressed for good.
    /// User unknown, host unknown and has-moved are hard whatever the status class (a 4.1.1 user unknown
    /// is still a bad address); "not accept" is hard only when the failure is permanent (class 5).
    /// </summary>
    public static bool IsHard(BounceReason reason, bool permanent) => reason switch
    {
        BounceReason.UserUnknown or BounceReason.HostUnknown or BounceReason.HasMoved => true,
        BounceReason.NotAccept => permanent,
        _ => false,
    };

    /// <summary>True for reports that are not failures: delivered, feedback and vacation.</summary>
    public static bool IsNotAFailure(BounceReason reason) =>
        reason is BounceReason.Delivered or BounceReason.Feedback or BounceReason.Vacation;

    /// <summary>The corpus spelling of a reason: the enum name in lower case (e.g. "userunknown").</summary>
    public static string ToCode(this BounceReason reason) => reason switch
    {
        BounceReason.Undefined => "undefined",
        BounceReason.UserUnknown => "userunknown",
        BounceReason.HostUnknown => "hostunknown",
        BounceReason.HasMoved => "hasmoved",
        BounceReason.NotAccept => "notaccept",
        BounceReason.MailboxFull => "mailboxfull",
        BounceReason.Suspend => "suspend",
        BounceReason.Filtered => "filtered",
        BounceReason.Rejected => "rejected",
        BounceReason.Blocked => "blocked",
        BounceReason.BadReputation => "badreputation",
        BounceReason.RequirePtr => "requireptr",
        BounceReason.AuthFailure => "authfailure",
        BounceReason.SecurityError => "securityerror",
        BounceReason.SpamDetected => "spamdetected",
        BounceReason.VirusDetected => "virusdetected",
        BounceReason.PolicyViolation => "policyviolation",
        BounceReason.ContentError => "contenterror",
        BounceReason.NotCompliantRfc => "notcompliantrfc",
        BounceReason.MesgTooBig => "mesgtoobig",
        BounceReason.ExceedLimit => "exceedlimit",
        BounceReason.TooManyConn => "toomanyconn",
        BounceReason.Speeding => "speeding",
        BounceReason.Expired => "expired",
        BounceReason.NetworkError => "networkerror",
        BounceReason.SystemError => "systemerror",
        BounceReason.SystemFull => "systemfull",
        BounceReason.MailerError => "mailererror",
        BounceReason.NoRelaying => "norelaying",
        BounceReason.SyntaxError => "syntaxerror",
        BounceReason.OnHold => "onhold",
        BounceReason.Delivered => "delivered",
        BounceReason.Feedback => "feedback",
        BounceReason.Vacation => "vacation",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown bounce reason."),
    };
}
