using BounceDashboard.Domain.Bounces;
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
            return false;
        }

        HeaderList fields = [];
        if (part?.Content is { } content)
        {
            using var stream = content.Open();
            try
            {
                fields = HeaderList.Load(stream);
            }
            catch (FormatException)
            {
                fields = [];
            }
        }

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
                Reason = BounceReason.Feedback,
                Rule = "arf:" + type,
                FeedbackType = type,
            });
        }

        return true;
    }
}
