namespace BounceDashboard.Domain.Bounces;

/// <summary>What each <see cref="BounceReason"/> means, in one sentence an admin can act on (the settings page's reason table).</summary>
public static class BounceReasonDescriptions
{
    /// <summary>One sentence: what the receiving side said, in plain words.</summary>
    public static string Describe(this BounceReason reason) => reason switch
    {
        BounceReason.Undefined => "A failure no rule could classify; the reply text says more.",
        BounceReason.UserUnknown => "The recipient mailbox does not exist at that domain.",
        BounceReason.HostUnknown => "The recipient domain does not exist or has no mail server.",
        BounceReason.HasMoved => "The recipient has moved and the old address is gone (5.1.6).",
        BounceReason.NotAccept => "The destination accepts no mail at all (a null MX, every message refused).",
        BounceReason.MailboxFull => "The recipient's mailbox is over its quota.",
        BounceReason.Suspend => "The mailbox exists but is disabled or suspended for now.",
        BounceReason.Filtered => "The recipient's own filter or settings refused the message.",
        BounceReason.Rejected => "The receiving server refused the sender address or sending domain.",
        BounceReason.Blocked => "The receiving server refused the sending IP address (a block list, a local block).",
        BounceReason.BadReputation => "The sending IP address or domain has a poor reputation with the receiver.",
        BounceReason.RequirePtr => "The sending IP address has no (matching) reverse DNS name.",
        BounceReason.AuthFailure => "SPF, DKIM or DMARC checks of the message failed.",
        BounceReason.SecurityError => "A security requirement failed (TLS, authentication at the relay).",
        BounceReason.SpamDetected => "The receiver's content filter judged the message to be spam.",
        BounceReason.VirusDetected => "The receiver found a virus or dangerous attachment in the message.",
        BounceReason.PolicyViolation => "The message broke a policy of the receiving site (content, volume, sender rules).",
        BounceReason.ContentError => "The message's content or structure was refused (bad headers, bad encoding).",
        BounceReason.NotCompliantRfc => "The message does not follow the mail standards (RFC 5322 and related).",
        BounceReason.MesgTooBig => "The message is larger than the receiver accepts.",
        BounceReason.ExceedLimit => "The message exceeds a limit of the recipient (size or quota for one message).",
        BounceReason.TooManyConn => "Too many connections from the sender at once.",
        BounceReason.Speeding => "Too many messages in a short time: the receiver is rate limiting.",
        BounceReason.Expired => "Delivery was tried until the relay gave up (the message expired in its queue).",
        BounceReason.NetworkError => "A network or DNS problem kept the relay from reaching the receiver.",
        BounceReason.SystemError => "The receiving server had an internal error.",
        BounceReason.SystemFull => "The receiving server is out of disk or resources.",
        BounceReason.MailerError => "A program on the receiving side (a pipe, a filter) failed.",
        BounceReason.NoRelaying => "The server refused to relay for the recipient's domain.",
        BounceReason.SyntaxError => "An SMTP command or address was not understood.",
        BounceReason.OnHold => "A failure was seen but its reason could not be decided yet.",
        BounceReason.Delivered => "Not a failure: a report of successful delivery.",
        BounceReason.Feedback => "Not a failure: a complaint (feedback-loop report) from the recipient's provider.",
        BounceReason.Vacation => "Not a failure: an automatic reply (out of office).",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown bounce reason."),
    };
}
