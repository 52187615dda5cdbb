using System.Buffers;
using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Delay or final failure, from what a non-standard notice says of its own attempts, whatever code it quotes: one
/// that says it is still trying ("Delivery attempts will continue to be made", "will keep trying", "still trying",
/// "Warning: could not be delivered for 4 hours") is a delay; one that says it has stopped ("I'm not going to try
/// again", "giving up", "failed permanently") is final. A notice that says both, or neither, keeps the format's
/// reading, except that a delay read from the subject alone ("Warning: user unknown") needs the text to say it is
/// still trying. An RFC 3464 report's Action field is its own explicit statement and is left as it is.
/// </summary>
public static class NoticeTense
{
    /// <summary>Statements that delivery is still being attempted.</summary>
    private static readonly string[] StillTrying =
    [
        "will continue to be made", "attempts will continue", "will keep trying", "will keep on trying", "still trying",
        "will continue trying", "will continue to try", "is still being retried", "will be retried", "will retry",
        "will try again", "will try to deliver", "has not yet been delivered", "not yet been delivered",
        "could not be delivered for the past", "no action is required on your part", "is being retried",
        "delivery is being retried", "still be delivered", "will be delivered later",
    ];

    /// <summary>Statements that delivery has stopped for good.</summary>
    private static readonly string[] GaveUp =
    [
        "not going to try again", "giving up", "gave up", "given up", "failed permanently", "permanently failed",
        "permanently rejected", "permanently undeliverable", "will not be retried", "will not retry", "no further attempts",
        "not be retried", "won't retry", "will not try again",
    ];

    private static readonly SearchValues<string> StillTryingSearch = SearchValues.Create(StillTrying, StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> GaveUpSearch = SearchValues.Create(GaveUp, StringComparison.OrdinalIgnoreCase);

    /// <summary>What a notice text says of its attempts.</summary>
    public enum Tense
    {
        /// <summary>Nothing, or both.</summary>
        Unsaid = 0,
        StillTrying = 1,
        GaveUp = 2,
    }

    /// <summary>The tense of a notice text (one vectorised search per phrase list; "for N hours" read around "hours").</summary>
    public static Tense Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.AsSpan();
        var still = span.IndexOfAny(StillTryingSearch) >= 0 || CouldNotDeliverForHours(span);
        var gaveUp = span.IndexOfAny(GaveUpSearch) >= 0;
        return still == gaveUp ? Tense.Unsaid : still ? Tense.StillTrying : Tense.GaveUp;
    }

    /// <summary>Sets each recipient's action from the notice's tense (only for notices without an RFC 3464 part).</summary>
    public static void Apply(BounceContext context, List<RecipientEvidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(evidence);
        if (context.DeliveryStatus is not null || !evidence.Exists(e => e.Action is DeliveryAction.Failed or DeliveryAction.Delayed && e.FeedbackType is null))
        {
            return;
        }

        var tense = Of(context.NoticeText);
        var subject = context.LowerSubject;
        var subjectSaysDelay = subject.Contains("delay", StringComparison.Ordinal) || subject.Contains("warning", StringComparison.Ordinal);
        foreach (var e in evidence)
        {
            if (e.FeedbackType is not null || ReasonClassifier.IsReportNotFailure(e)
                || e.Action is not (DeliveryAction.Failed or DeliveryAction.Delayed))
            {
                continue;
            }

            e.Action = tense switch
            {
                Tense.StillTrying => DeliveryAction.Delayed,
                Tense.GaveUp => DeliveryAction.Failed,

                // "Warning: user@x - User unknown!": a delay taken from the subject's word, not from the text.
                _ when e.Action == DeliveryAction.Delayed && subjectSaysDelay && !subject.Contains("delay", StringComparison.Ordinal)
                    && !context.NoticeText.Contains("warning", StringComparison.OrdinalIgnoreCase) => DeliveryAction.Failed,
                _ => e.Action,
            };
        }
    }

    /// <summary>"could not be delivered for 4 hours", "has not been delivered for the last 24 hours": a delay's measure of time so far.</summary>
    private static bool CouldNotDeliverForHours(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (text[offset..].IndexOf(" hours", StringComparison.OrdinalIgnoreCase) is var i and >= 0)
        {
            var at = offset + i;
            var before = text[Math.Max(0, at - 60)..at];
            if ((before.Contains("not be delivered for", StringComparison.OrdinalIgnoreCase)
                    || before.Contains("not been delivered for", StringComparison.OrdinalIgnoreCase)
                    || before.Contains("could not send message for", StringComparison.OrdinalIgnoreCase)
                    || before.Contains("could not deliver for", StringComparison.OrdinalIgnoreCase))
                && !before.Contains("days", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            offset = at + 6;
        }

        return false;
    }
}
