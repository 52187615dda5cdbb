namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// The vendor and provider formats (gateways, filters, carriers, webmail providers), asked before the general report and
/// MTA formats because each refines or replaces what those would read. Every one recognises its vendor from cheap
/// markers (a header, the sender's domain, a fixed sentence) and declines anything else.
/// </summary>
public static class VendorFormats
{
    /// <summary>The vendor formats in the order they are asked.</summary>
    public static IEnumerable<IBounceFormat> Create(DsnFields fields, NoticeReader reader)
    {
        var report = new Rfc3464Format(fields, reader);
        var inline = new InlineDsnFormat(fields);
        return
        [
            // RFC 3464 reports with a vendor's conventions.
            new SurfControlFormat(report, reader),
            new AmazonWorkMailFormat(report, inline),
            new ReceivingSesFormat(report),
            new MessagingServerFormat(report, inline),
            new MessageLabsFormat(report),
            new OpenSmtpdFormat(report),
            new EzwebFormat(report, reader),
            new DominoFormat(report, reader),
            new ForwardedReportFormat(report),

            // Non-standard notices.
            new V5SendmailFormat(reader),
            new DeliveryErrorsListFormat(),
            new UnableToDeliverFormat(reader),
            new TroubleDeliveringFormat(),
            new ApacheJamesFormat(reader),
            new KddiFormat(reader),
            new VerizonFormat(reader),
            new MailMarshalFormat(reader),
            new InterScanFormat(reader),
            new FmlFormat(reader),
            new MFilterFormat(reader),
            new ZohoFormat(),
            new MxLogicFormat(reader),
            new GmxFormat(reader),
            new MailRuFormat(reader),
            new EinsUndEinsFormat(reader),
        ];
    }
}
