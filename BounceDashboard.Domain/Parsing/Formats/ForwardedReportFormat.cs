namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// A gateway that wraps another MTA's RFC 3464 report as its returned message (message/rfc822 holding a
/// multipart/report), with a notice of its own that names nobody ("The following addresses had permanent delivery
/// errors" and nothing under it): the inner report is the real one.
/// </summary>
public sealed class ForwardedReportFormat(Rfc3464Format report) : IBounceFormat
{
    public string Name => "forwarded-report";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        // The returned original's Content-Type is read from its raw headers first: most are not reports, and
        // parsing them whole just to look would cost more than the rest of the engine.
        if (context.DeliveryStatus is not null || !context.HasReturnedMessage
            || !(context.ReturnedHeader("Content-Type")?.Contains("multipart/report", StringComparison.OrdinalIgnoreCase) ?? false)
            || context.ReturnedMessage is not { } inner
            || inner.Body is not MimeKit.Multipart body || !body.ContentType.IsMimeType("multipart", "report"))
        {
            return false;
        }

        return report.TryParse(new BounceContext(inner), recipients);
    }
}
