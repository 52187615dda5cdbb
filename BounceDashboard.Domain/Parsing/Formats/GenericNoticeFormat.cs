namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Last resort for failure notices no family recognised: a message from a mail system account or with a
/// failure subject, whose text names recipients on lines of their own (or in X-Failed-Recipients).
/// </summary>
public sealed class GenericNoticeFormat(NoticeReader reader) : NoticeFormat(reader)
{
    public override string Name => "notice";

    protected override IReadOnlyList<string> StartMarkers =>
    [
        "did not reach the following recipient", "was not delivered to:", "following recipient", "following address",
        "could not be delivered to", "following addresses had", "recipients did not receive",
    ];

    protected override bool SkipOwnAddresses => true;

    protected override bool Recognises(BounceContext context) =>
        context.Header("X-Failed-Recipients") is not null || (NoticeSigns.FromMailSystem(context) && context.NoticeText.Length > 0)
        || NoticeSigns.FailureSubject(context)
        || (context.HasReturnedMessage
            && context.NoticeText.Contains("could not be delivered to", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Delayed when the subject speaks of a delay or a warning ("Warning: could not send message for past 4 hours",
    /// "Delayed Mail (still being retried)", "Delivery status notification: warning"); a subject that opens with a
    /// failure and quotes the original ("Undeliverable: Warning: shipping delay") stays a failure.
    /// </summary>
    protected override DeliveryAction ActionOf(BounceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var subject = context.LowerSubject.TrimStart();
        if (NoticeSigns.OpensWithFailure(subject))
        {
            return DeliveryAction.Failed;
        }

        return subject.Contains("delay", StringComparison.Ordinal) || subject.Contains("warning", StringComparison.Ordinal)
            ? DeliveryAction.Delayed
            : DeliveryAction.Failed;
    }
}
