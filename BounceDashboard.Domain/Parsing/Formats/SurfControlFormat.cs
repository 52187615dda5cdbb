namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// SurfControl E-mail Filter (X-Mailer: SurfControl E-mail Filter): an RFC 3464 report whose notice is a transcript
/// of attempts ("Failed to send to identified host, addr: [ip], 550 ..."). It never says at which SMTP stage the
/// host refused, and the filter relays refusals given after DATA, so the wording alone does not prove a missing mailbox.
/// </summary>
public sealed class SurfControlFormat(Rfc3464Format report, NoticeReader reader) : VendorReportFormat(report)
{
    public override string Name => "surfcontrol";

    protected override bool Recognises(BounceContext context) => HeaderHas(context, "X-Mailer", "SurfControl");

    protected override void Refine(BounceContext context, RecipientEvidence evidence) => evidence.StageUnknown = true;

    /// <summary>The transcript alone: "address: [ip], 550 reply" lines under "Failed to send to identified host,".</summary>
    protected override bool ReadNotice(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var before = recipients.Count;
        foreach (var line in NoticeReader.Lines(reader.Section(context.NoticeText)))
        {
            if (reader.AddressLine(line, out var inline) is { Length: > 0 } address && inline.StartsWith('['))
            {
                var close = inline.IndexOf("],", StringComparison.Ordinal);
                recipients.Add(new RecipientEvidence
                {
                    Address = address,
                    Diagnostic = close < 0 ? inline : inline[(close + 2)..].Trim(),
                    StageUnknown = true,
                });
            }
        }

        return recipients.Count > before;
    }
}
