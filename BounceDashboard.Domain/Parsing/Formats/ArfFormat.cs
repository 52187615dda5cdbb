using MimeKit;

namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// RFC 5965 Abuse Reporting Format feedback reports (multipart/report; report-type=feedback-report). One entry per
/// Original-Rcpt-To; without one, the recipient is the To of the returned message (RFC 5965 §3.2 makes it optional).
/// </summary>
public sealed class ArfFormat : IBounceFormat
{
    public string Name => "arf";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var part = context.FeedbackReport;
        if (part is null && context.ReportType != "feedback-report")
        {
            return TryNonStandard(context, recipients);
        }

        var fields = part is null ? [] : ReportFields(context, part);

        var type = fields["Feedback-Type"]?.Trim().ToLowerInvariant() ?? "abuse";
        var addresses = new List<string>();
        foreach (var header in fields)
        {
            if (header.Field.Equals("Original-Rcpt-To", StringComparison.OrdinalIgnoreCase)
                || header.Field.Equals("Removal-Recipient", StringComparison.OrdinalIgnoreCase))
            {
                var address = DsnFields.Address(header.Value);
                if (address.Length > 0 && !addresses.Contains(address, StringComparer.OrdinalIgnoreCase))
                {
                    addresses.Add(address);
                }
            }
        }

        if (addresses.Count == 0)
        {
            var to = context.ReturnedMessage?.To.Mailboxes.FirstOrDefault()?.Address;
            addresses.Add(DsnFields.Address(to));
        }

        foreach (var address in addresses)
        {
            recipients.Add(new RecipientEvidence
            {
                Address = address,
                Action = DeliveryAction.Unknown,
                Explicit = new ExplicitClass("arf", type),
                FeedbackType = type,
            });
        }

        return true;
    }

    /// <summary>
    /// Complaints that predate or ignore RFC 5965: Hotmail's "complaint about message from IP" with the message
    /// attached (the complainer in X-HmXmrOriginalRecipient), and Apple Mail's one-click unsubscribe request sent to
    /// a List-Unsubscribe mailto address (an opt-out by the sender of the request).
    /// </summary>
    private static bool TryNonStandard(BounceContext context, List<RecipientEvidence> recipients)
    {
        string? address = null;
        string type;
        if (context.SubjectStartsWith("complaint about message from")
            && context.ReturnedMessage is { } complained)
        {
            address = complained.Headers["X-HmXmrOriginalRecipient"] ?? complained.To.Mailboxes.FirstOrDefault()?.Address;
            type = "abuse";
        }
        else if (context.SubjectStartsWith("unsubscribe", whole: true)
            && context.NoticeText.Contains("sent this email to unsubscribe", StringComparison.OrdinalIgnoreCase))
        {
            address = context.FromAddress;
            type = "opt-out";
        }
        else
        {
            return false;
        }

        recipients.Add(new RecipientEvidence
        {
            Address = DsnFields.Address(address),
            Action = DeliveryAction.Unknown,
            Explicit = new ExplicitClass("complaint", type),
            FeedbackType = type,
        });
        return true;
    }

    /// <summary>
    /// The feedback report's fields. MimeKit refuses a block that opens with a field whose name it refuses
    /// ("Détails:"); then the part is read as text, leaving out only such fields, and the fault is kept.
    /// </summary>
    private static HeaderList ReportFields(BounceContext context, MimePart part)
    {
        if (part.Content is not { } content)
        {
            return [];
        }

        try
        {
            using var stream = content.Open();
            return HeaderList.Load(stream);
        }
        catch (FormatException ex)
        {
            context.RecordFault(BounceFault.FeedbackReportStage, ex);
            HeaderList fields = [];
            foreach (var group in DsnFields.TextGroups(BounceContext.ContentText(part), fromFirstReportField: false))
            {
                foreach (var header in group)
                {
                    fields.Add(header);
                }
            }

            return fields;
        }
    }
}
