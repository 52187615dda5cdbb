using MimeKit;

namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// RFC 3464 delivery status notifications (multipart/report; report-type=delivery-status), read through MimeKit's
/// <see cref="MessageDeliveryStatus"/>. Used by Postfix, Sendmail, Exchange, Office 365, Gmail and most others.
/// </summary>
public sealed class Rfc3464Format(DsnFields fields, NoticeReader reader) : IBounceFormat
{
    public string Name => "rfc3464";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var status = context.DeliveryStatus;
        if (status is null)
        {
            return false;
        }

        HeaderListCollection groups;
        try
        {
            // MimeKit also undoes the base64 wrapping some Exchange/Office 365 servers put around the status groups.
            groups = status.StatusGroups;
        }
        catch (FormatException)
        {
            return false;
        }

        var before = recipients.Count;
        fields.ReadGroups(groups, recipients);
        for (var i = before; i < recipients.Count; i++)
        {
            // OpenSMTPD and others leave Diagnostic-Code out and print the reply in the human-readable part.
            var e = recipients[i];
            if (!string.IsNullOrWhiteSpace(e.Diagnostic))
            {
                if (e.Command is null)
                {
                    // The SMTP stage is often only in the human-readable part: Postfix "(in reply to RCPT TO
                    // command)", Sendmail's session transcript. Looked up only if the classifier needs it.
                    e.CommandFrom(() => CommandFinder.FromTranscript(context.NoticeText, e.Address)
                        ?? CommandFinder.Find(reader.DiagnosticFor(context.NoticeSection(reader), e.Address)));
                }

                continue;
            }

            e.Diagnostic = reader.DiagnosticFor(context.NoticeSection(reader), e.Address);
            e.Command = CommandFinder.Find(e.Diagnostic) ?? CommandFinder.FromTranscript(context.NoticeText, e.Address);
        }

        return recipients.Count > before;
    }
}
