namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// MessageLabs / Symantec Email Security.cloud (sender MAILER-DAEMON@messagelabs.com, X-Msg-Ref headers): an RFC 3464
/// report. Its own recipient check answers "542 &lt;address&gt; Rejected", which is how it says the mailbox is unknown.
/// </summary>
public sealed class MessageLabsFormat(Rfc3464Format report) : VendorReportFormat(report)
{
    public override string Name => "messagelabs";

    protected override bool Recognises(BounceContext context) =>
        context.FromAddress.EndsWith("messagelabs.com", StringComparison.Ordinal) || context.Header("X-Msg-Ref") is not null;

    protected override void Refine(BounceContext context, RecipientEvidence evidence)
    {
        var diagnostic = evidence.Diagnostic?.Trim() ?? string.Empty;
        if (diagnostic.StartsWith("542 ", StringComparison.Ordinal)
            && diagnostic.EndsWith(" Rejected", StringComparison.OrdinalIgnoreCase))
        {
            evidence.Explicit = new ExplicitClass(Name, "542 rejected");
        }
    }
}
