using System.Text.RegularExpressions;

namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Amazon WorkMail (X-Mailer: Amazon WorkMail), sent through SES: an RFC 3464 report, or its fields quoted in a text part. When WorkMail gives up it
/// reports its own "554 4.4.7 Message expired" and quotes the remote host's last reply in angle brackets
/// ("&lt;421 4.4.2 Connection timed out&gt;"): that quoted reply is the real one. The stage is never given.
/// </summary>
public sealed partial class AmazonWorkMailFormat(Rfc3464Format report, InlineDsnFormat inline) : VendorReportFormat(report, inline)
{
    public override string Name => "amazonworkmail";

    protected override bool Recognises(BounceContext context) => HeaderHas(context, "X-Mailer", "Amazon WorkMail");

    protected override void Refine(BounceContext context, RecipientEvidence evidence)
    {
        evidence.StageUnknown = true;
        var diagnostic = evidence.Diagnostic;
        if (diagnostic is null || diagnostic.IndexOf('<', StringComparison.Ordinal) < 0)
        {
            return;
        }

        var quoted = QuotedReplyRegex().Match(diagnostic);
        if (quoted.Success)
        {
            evidence.ReplyCode = quoted.Groups[1].Value;
            evidence.Status = quoted.Groups[2].Value;
        }
    }

    [GeneratedRegex(@"<([245]\d\d) ([245]\.\d{1,3}\.\d{1,3}) [^<>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedReplyRegex();
}
