namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// RFC 3464 fields quoted as plain text instead of a message/delivery-status part ("Technical report:" in Amazon
/// WorkMail notices, Postfix and Sendmail copies pasted into text/plain). The lines are grouped at blank lines and
/// read with the same <see cref="DsnFields"/> as a real report.
/// </summary>
public sealed class InlineDsnFormat(DsnFields fields) : IBounceFormat
{
    public string Name => "rfc3464-inline";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        foreach (var part in context.TextParts)
        {
            var text = ReferenceEquals(part, context.NoticePart) ? context.NoticeText : BounceContext.DecodeBounded(part, BounceContext.MaxNoticeLength);
            if (text.Length == 0 || text.IndexOf("Final-Recipient:", StringComparison.OrdinalIgnoreCase) < 0)
            {
                continue;
            }

            var before = recipients.Count;
            fields.ReadGroups(DsnFields.TextGroups(text, fromFirstReportField: true), recipients);
            if (recipients.Count > before)
            {
                return true;
            }
        }

        return false;
    }
}
