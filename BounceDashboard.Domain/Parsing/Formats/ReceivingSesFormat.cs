namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Amazon SES receiving (Reporting-MTA inbound-smtp.REGION.amazonaws.com): an RFC 3464 report whose diagnostic is one
/// of the fixed texts of SES receipt-rule bounce actions. Those texts are chosen by the domain owner's rule, not by a
/// mailbox lookup, so "Mailbox does not exist" is a filter's answer.
/// </summary>
public sealed class ReceivingSesFormat(Rfc3464Format report) : VendorReportFormat(report)
{
    /// <summary>The bounce-action texts of SES receipt rules (what each means: the classifier's table of format codes).</summary>
    private static readonly string[] ActionTexts =
    [
        "mailbox does not exist",
        "mailbox full",
        "message too large",
        "message content rejected",
    ];

    public override string Name => "receivingses";

    protected override bool Recognises(BounceContext context) =>
        ReportField(context, "Reporting-MTA") is { } mta
        && mta.Contains("inbound-smtp.", StringComparison.OrdinalIgnoreCase)
        && mta.Contains("amazonaws.com", StringComparison.OrdinalIgnoreCase);

    protected override void Refine(BounceContext context, RecipientEvidence evidence)
    {
        var diagnostic = evidence.Diagnostic ?? string.Empty;
        foreach (var text in ActionTexts)
        {
            if (diagnostic.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                evidence.Explicit = new ExplicitClass(Name, text);
                return;
            }
        }
    }
}
