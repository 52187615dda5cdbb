namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// OpenSMTPD's notice ("This is the MAILER-DAEMON, please DO NOT REPLY to this email." or "e-mail."), with or without an RFC 3464
/// part. The report's Status is a placeholder (5.0.0 for any failure, 4.4.7 for any delay): the code, when there is
/// one, is in the remote reply quoted on the recipient's line, so only the text decides.
/// </summary>
public sealed class OpenSmtpdFormat(Rfc3464Format report) : VendorReportFormat(report)
{
    public override string Name => "opensmtpd";

    protected override bool Recognises(BounceContext context) =>
        context.DeliveryStatus is not null
        && context.NoticeText.Contains("This is the MAILER-DAEMON, please DO NOT REPLY to this", StringComparison.OrdinalIgnoreCase);

    protected override void Refine(BounceContext context, RecipientEvidence evidence)
    {
        if (evidence.Status is { } status && (status.EndsWith(".0.0", StringComparison.Ordinal) || status == "4.4.7"))
        {
            evidence.Status = null;
        }
    }
}
