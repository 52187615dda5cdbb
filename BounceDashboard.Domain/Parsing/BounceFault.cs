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
    /// True for MimeKit's parse and format errors (<see cref="MimeKit.ParseException"/> derives from
    /// <see cref="FormatException"/>): what malformed input is expected to cause. Anything else is a defect in the engine.
    /// </summary>
    public bool Expected => Exception is FormatException;

    public override string ToString() => $"{Stage}: {Exception.GetType().Name}: {Exception.Message}";
}
