namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Sun ONE / Oracle Communications Messaging Server (MIME boundaries "Boundary_(ID_...)", "Messaging Server" in
/// Received): an RFC 3464 report whose Status field carries a comment naming what failed, e.g.
/// "5.0.0 (Remote SMTP server has rejected address)" (the RCPT stage), "(Server rejected MAIL FROM address)",
/// "(SMTP transmission failure has occurred)" (after the data), "(host/domain does not accept mail)".
/// The comment is the stage and, when there is no Diagnostic-Code, the diagnostic.
/// </summary>
public sealed class MessagingServerFormat(Rfc3464Format report) : VendorReportFormat(report)
{
    public override string Name => "messagingserver";

    protected override bool Recognises(BounceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Message.Body?.ContentType.Boundary?.StartsWith("Boundary_(ID_", StringComparison.Ordinal) ?? false)
        {
            return true;
        }

        foreach (var header in context.Message.Headers)
        {
            if (header.Id == MimeKit.HeaderId.Received && header.Value.Contains("Messaging Server", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    protected override void Refine(BounceContext context, RecipientEvidence evidence)
    {
        var comment = StatusComment(ReportField(context, "Status"));
        if (comment.Contains("rejected address", StringComparison.OrdinalIgnoreCase))
        {
            evidence.Command ??= "RCPT";
        }
        else if (comment.Contains("MAIL FROM", StringComparison.OrdinalIgnoreCase))
        {
            evidence.Command ??= "MAIL";
        }
        else
        {
            evidence.StageUnknown = true;
        }

        if (comment.Length > 0 && ReportField(context, "Diagnostic-Code") is null)
        {
            evidence.Diagnostic = comment;
        }
    }

    private static string StatusComment(string? status)
    {
        if (status is null)
        {
            return string.Empty;
        }

        var open = status.IndexOf('(', StringComparison.Ordinal);
        var close = status.LastIndexOf(')');
        return open >= 0 && close > open ? status[(open + 1)..close].Trim() : string.Empty;
    }
}
