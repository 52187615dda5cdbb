using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// The stable lower-case words printed for the engine's enums (classify's JSON, the evaluation's report), each mapped
/// once, beside <see cref="BounceReasons"/>' codes for reasons.
/// </summary>
public static class ReportCodes
{
    public static string ToCode(this MessageKind kind) => kind switch
    {
        MessageKind.Unparseable => "unparseable",
        MessageKind.NotABounce => "notabounce",
        MessageKind.Bounce => "bounce",
        MessageKind.Delay => "delay",
        MessageKind.SuccessReport => "success",
        MessageKind.AutoReply => "autoreply",
        MessageKind.FeedbackReport => "feedback",
        MessageKind.Challenge => "challenge",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown message kind."),
    };

    public static string ToCode(this DeliveryAction action) => action switch
    {
        DeliveryAction.Unknown => "unknown",
        DeliveryAction.Failed => "failed",
        DeliveryAction.Delayed => "delayed",
        DeliveryAction.Delivered => "delivered",
        DeliveryAction.Relayed => "relayed",
        DeliveryAction.Expanded => "expanded",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown delivery action."),
    };
}
