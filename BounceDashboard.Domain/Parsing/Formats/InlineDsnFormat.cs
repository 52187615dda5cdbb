using MimeKit;

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
            fields.ReadGroups(Groups(text), recipients);
            if (recipients.Count > before)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"Name: value" lines (with folded continuations) grouped at blank lines, from the first DSN field on.</summary>
    private static List<HeaderList> Groups(string text)
    {
        var groups = new List<HeaderList>();
        HeaderList? current = null;
        string? name = null;
        var value = new System.Text.StringBuilder();
        var started = false;

        void Flush()
        {
            if (name is not null && current is not null)
            {
                current.Add(name, value.ToString().Trim());
            }

            name = null;
            value.Clear();
        }

        foreach (var raw in NoticeReader.Lines(text))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0)
            {
                Flush();
                current = null;
                continue;
            }

            if (name is not null && line[0] is ' ' or '\t')
            {
                value.Append(' ').Append(line.Trim());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon > 0 ? line[..colon].Trim() : string.Empty;
            if (colon <= 0 || field.Length > 40 || field.Contains(' ', StringComparison.Ordinal))
            {
                Flush();
                if (started)
                {
                    current = null;
                }

                continue;
            }

            started |= field.Equals("Reporting-MTA", StringComparison.OrdinalIgnoreCase)
                || field.Equals("Final-Recipient", StringComparison.OrdinalIgnoreCase)
                || field.Equals("Original-Recipient", StringComparison.OrdinalIgnoreCase)
                || field.Equals("Action", StringComparison.OrdinalIgnoreCase);
            if (!started)
            {
                continue;
            }

            Flush();
            if (current is null)
            {
                current = [];
                groups.Add(current);
            }

            name = field;
            value.Append(line[(colon + 1)..]);
        }

        Flush();
        return groups;
    }
}
