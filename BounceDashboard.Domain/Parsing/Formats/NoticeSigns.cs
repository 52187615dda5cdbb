using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// What the envelope of a notice says, asked by several formats: whether a mail system sent it, whether its subject
/// reads like a failure, and whether Exim's template calls it a warning.
/// </summary>
public static class NoticeSigns
{
    /// <summary>True when the sender is a mail system account (MAILER-DAEMON, postmaster, ...).</summary>
    public static bool FromMailSystem(BounceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var from = context.FromAddress;
        return from.Length == 0 || from.StartsWith("mailer-daemon", StringComparison.Ordinal)
            || from.StartsWith("postmaster", StringComparison.Ordinal) || from.StartsWith("post_master", StringComparison.Ordinal)
            || from.StartsWith("mail-daemon", StringComparison.Ordinal) || from.StartsWith("mail.delivery", StringComparison.Ordinal)
            || from.StartsWith("mailerdaemon", StringComparison.Ordinal) || from.StartsWith("mdaemon", StringComparison.Ordinal)
            || context.FromHeaderMentions("mail delivery") || context.FromHeaderMentions("mailer-daemon");
    }

    /// <summary>True when the subject reads like a failure notice.</summary>
    public static bool FailureSubject(BounceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s = context.LowerSubject;
        return s.Contains("undeliver", StringComparison.Ordinal) || s.Contains("delivery fail", StringComparison.Ordinal)
            || s.Contains("returned mail", StringComparison.Ordinal) || s.Contains("failure notice", StringComparison.Ordinal)
            || s.Contains("delivery status notification", StringComparison.Ordinal) || s.Contains("mail delivery", StringComparison.Ordinal)
            || s.Contains("delivery failure", StringComparison.Ordinal) || s.Contains("could not be delivered", StringComparison.Ordinal)
            || s.Contains("mail system error", StringComparison.Ordinal) || s.Contains("delivery notification", StringComparison.Ordinal)
            || s.Contains("error sending", StringComparison.Ordinal) || s.Contains("non remis", StringComparison.Ordinal)
            || s.Contains("delivery problem", StringComparison.Ordinal) || s.Contains("not delivered", StringComparison.Ordinal)
            || s.Contains("non-delivery", StringComparison.Ordinal);
    }

    /// <summary>A subject that opens with a failure ("Undeliverable:", "Mail delivery failed", "Returned mail:").</summary>
    public static bool OpensWithFailure(string subject) =>
        subject.StartsWith("undeliver", StringComparison.Ordinal) || subject.StartsWith("returned mail", StringComparison.Ordinal)
        || subject.StartsWith("mail delivery failed", StringComparison.Ordinal) || subject.StartsWith("delivery failure", StringComparison.Ordinal)
        || subject.StartsWith("failure notice", StringComparison.Ordinal) || subject.StartsWith("non remis", StringComparison.Ordinal)
        || subject.StartsWith("permanent delivery failure", StringComparison.Ordinal)
        || subject.StartsWith("delivery status notification (failure)", StringComparison.Ordinal);

    /// <summary>
    /// Exim's warning ("Warning: message ... delayed", "has not yet been delivered"), kept by the providers built on
    /// Exim: delayed; otherwise failed.
    /// </summary>
    public static DeliveryAction EximDelayedOrFailed(BounceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.LowerSubject.StartsWith("warning: message", StringComparison.Ordinal)
            || context.NoticeText.Contains("has not yet been delivered", StringComparison.OrdinalIgnoreCase)
                ? DeliveryAction.Delayed
                : DeliveryAction.Failed;
    }
}
