namespace BounceDashboard.Domain.Bounces;

/// <summary>ARF Feedback-Type values (RFC 5965 §7.3 and the IANA registry), and which of them are complaints.</summary>
public static class FeedbackTypes
{
    public const string Abuse = "abuse";
    public const string Fraud = "fraud";
    public const string Virus = "virus";
    public const string Other = "other";
    public const string NotSpam = "not-spam";
    public const string AuthFailure = "auth-failure";

    /// <summary>
    /// True when a feedback report is a recipient's complaint. A report without a type counts as one (most feedback
    /// loops send "abuse"); "not-spam" says the opposite, and "virus" and "auth-failure" report on the message's
    /// content or authentication, not on the recipient's wish.
    /// </summary>
    public static bool IsComplaint(string? feedbackType) =>
        feedbackType?.Trim().ToUpperInvariant() switch
        {
            null or "" => true,
            "NOT-SPAM" or "VIRUS" or "AUTH-FAILURE" => false,
            _ => true,
        };
}
