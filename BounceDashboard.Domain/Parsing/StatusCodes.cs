using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// What RFC 3463 status codes say about the reason, and the private codes used when a notice carries no code
/// (the corpus's convention: class.0.9xx, one detail per reason, e.g. 5.0.911 for an unknown user).
/// </summary>
public static class StatusCodes
{
    /// <summary>The reason an unambiguous status code names; null for generic or many-meaning codes (5.0.0, 5.7.1, ...).</summary>
    public static BounceReason? ReasonOf(EnhancedStatusCode code) => (code.Subject, code.Detail) switch
    {
        // RFC 3463 §3.2 addressing status
        (1, 1) or (1, 3) => BounceReason.UserUnknown,
        (1, 2) => BounceReason.HostUnknown,
        (1, 6) => BounceReason.HasMoved,
        (1, 7) or (1, 8) => BounceReason.Rejected,
        // §3.3 mailbox status
        // 5.2.1 "mailbox disabled, not accepting messages": in practice a recipient-side filter.
        (2, 1) => BounceReason.Filtered,
        (2, 2) => BounceReason.MailboxFull,
        (2, 3) => BounceReason.ExceedLimit,
        (2, 4) => BounceReason.SystemError,
        // §3.4 mail system status
        (3, 1) => BounceReason.SystemFull,
        (3, 2) => BounceReason.NotAccept,
        (3, 4) => BounceReason.MesgTooBig,
        (3, 5) => BounceReason.SystemError,
        // §3.5 network and routing status
        (4, 3) => BounceReason.SystemError,
        (4, 4) => BounceReason.HostUnknown,
        (4, 6) or (4, 2) => BounceReason.NetworkError,
        // 4.4.1 "no answer from host" and X.4.7 "delivery time expired": delivery gave up waiting. (Microsoft's
        // 5.4.1 is its directory refusing an unknown recipient, so only the transient form reads as expired.)
        (4, 1) when code.IsTransient => BounceReason.Expired,
        (4, 7) => BounceReason.Expired,
        // §3.7 message content or media status
        (6, _) => BounceReason.ContentError,
        // §3.8 security or policy status; RFC 7372 (5.7.13 disabled account, 5.7.25 reverse DNS, 5.7.26 authentication)
        (7, 13) => BounceReason.Suspend,
        (7, 25) => BounceReason.RequirePtr,
        (7, 23) or (7, 24) or (7, 26) => BounceReason.AuthFailure,
        (7, 3) or (7, 9) or (7, 5) or (7, 6) or (7, 7) or (7, 8) or (7, 11) => BounceReason.SecurityError,
        _ => null,
    };

    /// <summary>
    /// The reason a many-meaning code stands for when no wording explained it: RFC 3463 §3.8 X.7.0 "other or
    /// undefined security status" and X.7.1 "delivery not authorized, message refused" refuse on security grounds.
    /// </summary>
    public static BounceReason? LastResortOf(EnhancedStatusCode code) =>
        code.IsPermanent && code.Subject == 7 && code.Detail is 0 or 1 ? BounceReason.SecurityError : null;

    /// <summary>The corpus's private code for a reason when the notice gave none.</summary>
    public static EnhancedStatusCode Private(BounceReason reason, bool transient)
    {
        var detail = reason switch
        {
            BounceReason.UserUnknown => 911,
            BounceReason.HostUnknown => 912,
            BounceReason.HasMoved => 916,
            BounceReason.NotAccept => 932,
            BounceReason.MailboxFull => 922,
            BounceReason.Suspend => 921,
            BounceReason.Filtered => 910,
            BounceReason.Rejected => 918,
            BounceReason.Blocked => 971,
            BounceReason.BadReputation => 975,
            BounceReason.RequirePtr => 973,
            BounceReason.AuthFailure => 974,
            BounceReason.SecurityError => 970,
            BounceReason.SpamDetected => 980,
            BounceReason.VirusDetected => 980,
            BounceReason.PolicyViolation => 972,
            BounceReason.ContentError => 960,
            BounceReason.NotCompliantRfc => 974,
            BounceReason.MesgTooBig => 934,
            BounceReason.ExceedLimit => 923,
            BounceReason.TooManyConn => 945,
            BounceReason.Speeding => 946,
            BounceReason.Expired => 947,
            BounceReason.NetworkError => 944,
            BounceReason.SystemError => 930,
            BounceReason.SystemFull => 931,
            BounceReason.MailerError => 939,
            BounceReason.NoRelaying => 909,
            BounceReason.SyntaxError => 902,
            BounceReason.OnHold => 901,
            _ => 900,
        };
        return EnhancedStatusCode.Create(transient ? 4 : 5, 0, detail);
    }
}
