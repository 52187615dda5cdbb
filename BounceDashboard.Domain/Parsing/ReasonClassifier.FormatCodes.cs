using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// What the formats' own error classes (<see cref="ExplicitClass"/>) mean: the one table that turns a format's private
/// code or fixed wording into a reason. Formats only report the code; this table is the only place that reads it.
/// </summary>
public sealed partial class ReasonClassifier
{
    /// <summary>How much a format's code weighs against the rest of the evidence.</summary>
    private enum Weight
    {
        /// <summary>The format's fixed wording names the reason: it decides before anything else is read (step 1).</summary>
        Decisive,

        /// <summary>
        /// The code names a stage or a broad class (Gmail's "state 14", SES's bounceSubType): used when neither a
        /// specific status code nor specific wording decided (step 7).
        /// </summary>
        Fallback,
    }

    /// <summary>One row of the table: a format's code, the reason it stands for, its weight, and the rule id shown.</summary>
    private sealed record FormatCode(string Format, string Code, BounceReason Reason, Weight Weight, string? Rule = null);

    /// <summary>A code that stands for every code of its format (feedback types).</summary>
    private const string AnyCode = "*";

    /// <summary>
    /// The formats' codes and fixed wordings. Rule ids are "format:code" unless a row names its own (kept as they were
    /// stored on bounce events before the formats stopped deciding reasons themselves).
    /// </summary>
    private static readonly FormatCode[] FormatCodeTable =
    [
        // Reports that are not failures.
        new("arf", AnyCode, BounceReason.Feedback, Weight.Decisive),
        new("complaint", AnyCode, BounceReason.Feedback, Weight.Decisive),
        new("amazonses", "complaint", BounceReason.Feedback, Weight.Decisive),
        new("rfc3834", "auto-reply", BounceReason.Vacation, Weight.Decisive),

        // Fixed wordings of vendors, each with one meaning.
        new("interscan", "check if address is correct", BounceReason.UserUnknown, Weight.Decisive),
        new("messagelabs", "542 rejected", BounceReason.UserUnknown, Weight.Decisive),
        new("googlegroups", "no-permission-to-post", BounceReason.Rejected, Weight.Decisive),
        new("fml", "are not member", BounceReason.Rejected, Weight.Decisive),
        new("fml", "not a member of this mailing list", BounceReason.Rejected, Weight.Decisive),
        new("fml", "loop alert", BounceReason.SystemError, Weight.Decisive),
        new("fml", "duplicated message-id", BounceReason.SystemError, Weight.Decisive),
        // Amazon SES receipt-rule bounce actions: chosen by the domain owner's rule, not by a mailbox lookup.
        new("receivingses", "mailbox does not exist", BounceReason.Filtered, Weight.Decisive),
        new("receivingses", "mailbox full", BounceReason.MailboxFull, Weight.Decisive),
        new("receivingses", "message too large", BounceReason.MesgTooBig, Weight.Decisive),
        new("receivingses", "message content rejected", BounceReason.ContentError, Weight.Decisive),
        // au's EZweb: its fixed English sentence is the reason.
        new("ezweb", "account is disabled", BounceReason.Suspend, Weight.Decisive),
        new("ezweb", "account is temporarily over quota", BounceReason.MailboxFull, Weight.Decisive),
        new("ezweb", "was not delivered within", BounceReason.Expired, Weight.Decisive),
        new("ezweb", "remote host is not responding", BounceReason.Expired, Weight.Decisive),
        new("ezweb", "rejected by a remote mail server", BounceReason.Filtered, Weight.Decisive),
        new("zoho", "host not reachable", BounceReason.Expired, Weight.Decisive),
        new("gmail", "could-not-connect", BounceReason.Expired, Weight.Decisive),
        new("gmail", "dns-domain-not-found", BounceReason.HostUnknown, Weight.Decisive),

        // Gmail's "(state N)": the stage of its SMTP client that failed, and what a failure there usually is.
        new("gmail", "state-6", BounceReason.SystemError, Weight.Fallback),
        new("gmail", "state-8", BounceReason.SystemError, Weight.Fallback),
        new("gmail", "state-9", BounceReason.SystemError, Weight.Fallback),
        new("gmail", "state-12", BounceReason.NoRelaying, Weight.Fallback),
        new("gmail", "state-13", BounceReason.SecurityError, Weight.Fallback),
        new("gmail", "state-14", BounceReason.UserUnknown, Weight.Fallback),
        new("gmail", "state-15", BounceReason.Filtered, Weight.Fallback),
        new("gmail", "state-17", BounceReason.Filtered, Weight.Fallback),
        new("gmail", "state-18", BounceReason.Filtered, Weight.Fallback),
        // Amazon SES's bounceSubType (SES sends some bounces without a diagnosticCode).
        new("amazonses", "NoEmail", BounceReason.UserUnknown, Weight.Fallback, "amazonses:subtype:userunknown"),
        new("amazonses", "MailboxFull", BounceReason.MailboxFull, Weight.Fallback, "amazonses:subtype:mailboxfull"),
        new("amazonses", "MessageTooLarge", BounceReason.MesgTooBig, Weight.Fallback, "amazonses:subtype:mesgtoobig"),
        new("amazonses", "ContentRejected", BounceReason.ContentError, Weight.Fallback, "amazonses:subtype:contenterror"),
        new("amazonses", "AttachmentRejected", BounceReason.PolicyViolation, Weight.Fallback, "amazonses:subtype:policyviolation"),
        // RFC 3464 §2.3.6 diagnostic-type X-Unix: a local delivery program (procmail, a pipe) failed. With an RFC 3463
        // X.3.x status the report blames the mail system itself (see FormatReason).
        new("diagnostic-type", "x-unix", BounceReason.MailerError, Weight.Fallback),
    ];

    private static readonly Dictionary<(string Format, string Code), FormatCode> FormatCodes =
        FormatCodeTable.ToDictionary(row => (row.Format, row.Code));

    /// <summary>The row for the recipient's explicit class, with the rule id it decides under; null when there is none.</summary>
    private static (FormatCode Row, string Rule)? FormatReason(RecipientEvidence e)
    {
        if (e.Explicit is not { Code: { } code } given
            || !(FormatCodes.TryGetValue((given.Format, code), out var row) || FormatCodes.TryGetValue((given.Format, AnyCode), out row)))
        {
            return null;
        }

        if (row.Format == "diagnostic-type" && EnhancedStatusCode.TryParse(e.Status, out var status) && status.Subject == 3)
        {
            return (row with { Reason = BounceReason.SystemError }, "diagnostic-type:x-unix+status:" + status);
        }

        return (row, row.Rule ?? given.Format + ":" + code);
    }

    /// <summary>
    /// Whether the format's own class says the entry is a report that is not a failure (a complaint, an auto-reply), so
    /// the recipient and tense rules leave it alone.
    /// </summary>
    public static bool IsReportNotFailure(RecipientEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return FormatReason(e) is { Row.Reason: BounceReason.Feedback or BounceReason.Vacation or BounceReason.Delivered };
    }

    /// <summary>A local delivery program failed (X-Unix): its exit code maps to 5.1.1, which is then no unknown user.</summary>
    private static bool IsDeliveryProgram(RecipientEvidence e) =>
        e.Explicit is { Format: "diagnostic-type", Code: "x-unix" };
}
