namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Sun ONE / Oracle Communications Messaging Server (MIME boundaries "Boundary_(ID_...)", "Messaging Server" in
/// Received, "This report relates to a message you sent"): an RFC 3464 report, or the same fields in plain text, whose
/// Status field carries a comment naming what failed, e.g.
/// "5.0.0 (Remote SMTP server has rejected address)" (the RCPT stage), "(Server rejected MAIL FROM address)",
/// "(SMTP transmission failure has occurred)" (after the data), "(host/domain does not accept mail)".
/// The comment is the stage (a policy-class 5.7.x status says the address was refused by policy, not looked up) and,
/// when there is no Diagnostic-Code, the diagnostic.
/// </summary>
public sealed class MessagingServerFormat(Rfc3464Format report, InlineDsnFormat inline) : VendorReportFormat(report, inline)
{
    private static readonly SmtpCodeFinder Codes = new();

    public override string Name => "messagingserver";

    protected override bool Recognises(BounceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Message.Body?.ContentType.Boundary?.StartsWith("Boundary_(ID_", StringComparison.Ordinal) ?? false)
        {
            return true;
        }

        // Raw header bytes: no unfolding or decoding of every Received header just to look.
        var headers = context.Message.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (header.Id == MimeKit.HeaderId.Received && header.RawValue.AsSpan().IndexOf("Messaging Server"u8) >= 0)
            {
                return true;
            }
        }

        return context.NoticeText.Contains("This report relates to a message you sent with the following header fields", StringComparison.Ordinal);
    }

    protected override void Refine(BounceContext context, RecipientEvidence evidence)
    {
        var comment = StatusComment(ReportField(context, "Status") ?? InlineField(context.NoticeText, "Status:"));
        if (comment.Contains("rejected address", StringComparison.OrdinalIgnoreCase) && !(evidence.Status?.StartsWith("5.7.", StringComparison.Ordinal) ?? false)
            && !(Codes.FindStatus(evidence.Diagnostic)?.StartsWith("5.7.", StringComparison.Ordinal) ?? false))
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

        var noDiagnosticField = context.DeliveryStatus is not null ? ReportField(context, "Diagnostic-Code") is null : string.IsNullOrWhiteSpace(evidence.Diagnostic);
        if (comment.Length > 0 && noDiagnosticField)
        {
            evidence.Diagnostic = comment;
        }
    }

    /// <summary>
    /// The notice's own list ("Recipient address: ...", "Reason: ...", "Diagnostic code: smtp; ..."), for copies whose
    /// MIME structure was lost.
    /// </summary>
    protected override bool ReadNotice(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var before = recipients.Count;
        RecipientEvidence? current = null;
        foreach (var raw in NoticeReader.Lines(context.NoticeText))
        {
            var line = raw.Trim();
            if (line.StartsWith("Recipient address:", StringComparison.OrdinalIgnoreCase))
            {
                current = new RecipientEvidence { Address = DsnFields.Address(line[18..].Trim()) };
                recipients.Add(current);
            }
            else if (current is not null && line.StartsWith("Diagnostic code:", StringComparison.OrdinalIgnoreCase))
            {
                var value = line[16..].Trim();
                var semicolon = value.IndexOf(';', StringComparison.Ordinal);
                current.Diagnostic = semicolon >= 0 ? value[(semicolon + 1)..].Trim() : value;
            }
        }

        return recipients.Count > before;
    }

    /// <summary>The value of a field quoted at the start of a line in a plain-text report.</summary>
    private static string? InlineField(string text, string field)
    {
        var at = text.IndexOf("\n" + field, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var end = text.IndexOf('\n', at + 1);
        return (end < 0 ? text[(at + 1 + field.Length)..] : text[(at + 1 + field.Length)..end]).Trim();
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
