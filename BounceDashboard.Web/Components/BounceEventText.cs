using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Web.Components;

/// <summary>
/// The one place a stored bounce event's title and effect get their words, for every page that lists events (a
/// delivery's timeline, a contact's history).
/// </summary>
public static class BounceEventText
{
    /// <summary>What the report was; for a bounce, whether the failure was final (its reason chip says hard or soft).</summary>
    public static string TitleOf(MessageKind kind, bool permanent) => kind switch
    {
        MessageKind.Delay => "Delay notice",
        MessageKind.FeedbackReport => "Feedback report",
        MessageKind.AutoReply => "Auto-reply",
        MessageKind.SuccessReport => "Delivery report",
        MessageKind.Challenge => "Challenge (sender verification request)",
        _ => permanent ? "Bounce: permanent failure" : "Bounce: temporary failure",
    };

    /// <summary>What applying the event did, or that it has not been applied yet.</summary>
    public static string EffectOf(BounceEffect? effect) => effect switch
    {
        null => "not applied yet",
        BounceEffect.None => "none",
        BounceEffect.RetryScheduled => "retry scheduled",
        BounceEffect.SoftBounced => "delivery soft bounced",
        BounceEffect.HardBounced => "delivery hard bounced",
        BounceEffect.Complaint => "address suppressed (complaint)",
        BounceEffect.OptedOut => "contact opted out",
        _ => effect.Value.ToString(),
    };
}
