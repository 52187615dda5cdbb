namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// SurfControl E-mail Filter (X-Mailer: SurfControl E-mail Filter): an RFC 3464 report whose notice is a transcript
/// of attempts ("Failed to send to identified host, addr: [ip], 550 ..."). It never says at which SMTP stage the
/// host refused, and the filter relays refusals given after DATA, so the wording alone does not prove a missing mailbox.
/// </summary>
public sealed class SurfControlFormat(Rfc3464Format report) : VendorReportFormat(report)
{
    public override string Name => "surfcontrol";

    protected override bool Recognises(BounceContext context) => HeaderHas(context, "X-Mailer", "SurfControl");

    protected override void Refine(BounceContext context, RecipientEvidence evidence) => evidence.StageUnknown = true;
}
