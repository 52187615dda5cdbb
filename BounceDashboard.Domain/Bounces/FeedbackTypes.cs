namespace BounceDashboard.Domain.Bounces;

/// <summary>
/// ARF Feedback-Type values (RFC 5965 §7.3 and the IANA registry, plus the unsubscribe types of the ARF drafts that
/// mailbox providers' unsubscribe buttons still send), and which of them are complaints and which opt-outs.
/// </summary>
public static class FeedbackTypes
{
    public const string Abuse = "abuse";
    public const string Fraud = "fraud";
    public const string Virus = "virus";
    public const string Other = "other";
    public const string NotSpam = "not-spam";
    public const string AuthFailure = "auth-failure";

    /// <summary>An unsubscribe request for one address (draft-shafranovich-feedback-report "opt-out").</summary>
    public const string OptOut = "opt-out";

    /// <summary>An unsubscribe request from one list (draft-shafranovich-feedback-report "opt-out-list").</summary>
    public const string OptOutList = "opt-out-list";

    /// <summary>The spelling some providers use for an unsubscribe button's report.</summary>
    public const string Unsubscribe = "unsubscribe";

    /// <summary>
    /// True when a feedback report is a recipient's complaint. A report without a type counts as one (most feedback
    /// loops send "abuse"); "not-spam" says the opposite, "virus" and "auth-failure" report on the message's
    /// content or authentication, not on the recipient's wish, and an opt-out (<see cref="IsOptOut"/>) is an unsubscribe.
    /// </summary>
    public static bool IsComplaint(string? feedbackType) =>
        !IsOptOut(feedbackType)
        && feedbackType?.Trim().ToUpperInvariant() switch
        {
            null or "" => true,
            "NOT-SPAM" or "VIRUS" or "AUTH-FAILURE" => false,
            _ => true,
        };

    /// <summary>
    /// True when a feedback report is an unsubscribe (a mailbox provider's one-click unsubscribe button): the recipient
    /// opts out, which is not a complaint and lifts without the complaint confirmation.
    /// </summary>
    public static bool IsOptOut(string? feedbackType) =>
        feedbackType?.Trim().ToUpperInvariant() is "OPT-OUT" or "OPT-OUT-LIST" or "UNSUBSCRIBE";
}
