namespace BounceDashboard.Domain.Parsing;

/// <summary>An exception the engine caught while reading one message, and where it was thrown.</summary>
/// <param name="Stage">
/// <see cref="MimeStage"/> (MimeKit's parse of the whole message), the name of the format that was reading it,
/// <see cref="ClassifyStage"/> / <see cref="MatchStage"/>, or the part that was read around the fault
/// (<see cref="DeliveryStatusStage"/>, <see cref="FeedbackReportStage"/>, <see cref="ReturnedMessageStage"/>).
/// </param>
/// <param name="Exception">What was thrown.</param>
public sealed record BounceFault(string Stage, Exception Exception)
{
    public const string MimeStage = "mime";
    public const string ClassifyStage = "classify";
    public const string MatchStage = "match";
    public const string DeliveryStatusStage = "message/delivery-status";
    public const string FeedbackReportStage = "message/feedback-report";
    public const string ReturnedMessageStage = "returned message";

    /// <summary>
    /// True for MimeKit's parse and format errors: what malformed input is expected to cause. Anything else is a
    /// defect in the engine.
    /// </summary>
    public bool Expected => IsMimeKitParseError(Exception);

    /// <summary>
    /// True when <paramref name="exception"/> is a <see cref="FormatException"/> (MimeKit's
    /// <see cref="MimeKit.ParseException"/> is one) thrown while MimeKit was reading: one thrown by our own code (an
    /// <c>int.Parse</c> on a value the input controls) is a defect, whatever its type.
    /// </summary>
    public static bool IsMimeKitParseError(Exception exception) =>
        exception is MimeKit.ParseException
        || (exception is FormatException && ThrownWithin(exception, typeof(MimeKit.MimeMessage).Assembly));

    private static bool ThrownWithin(Exception exception, System.Reflection.Assembly assembly)
    {
        foreach (var frame in new System.Diagnostics.StackTrace(exception).GetFrames())
        {
            var type = frame.GetMethod()?.DeclaringType;
            if (type?.Assembly == assembly)
            {
                return true;
            }

            // MimeKit called from our code: the frames above belong to the caller.
            if (type?.Assembly == typeof(BounceFault).Assembly)
            {
                return false;
            }
        }

        return false;
    }

    public override string ToString() => $"{Stage}: {Exception.GetType().Name}: {Exception.Message}";
}
