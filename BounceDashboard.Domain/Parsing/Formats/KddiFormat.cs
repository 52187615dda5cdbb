namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// KDDI's au one net mail (senders at dion.ne.jp / auone-net.jp): "Your mail sent on: DATE" then
/// "Could not be delivered to: &lt;address&gt;" and an English reason line ("As their mailbox is full.").
/// </summary>
public sealed class KddiFormat(NoticeReader reader) : IBounceFormat
{
    private const string Marker = "Could not be delivered to:";

    public string Name => "kddi";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var text = context.NoticeText;
        if (!text.Contains("Your mail sent on:", StringComparison.Ordinal))
        {
            return false;
        }

        var before = recipients.Count;
        var lines = NoticeReader.Lines(reader.Section(text));
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith(Marker, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var address = reader.Addresses(line).FirstOrDefault();
            if (address is null)
            {
                continue;
            }

            var diagnostic = new List<string>();
            for (var j = i + 1; j < lines.Count && lines[j].Trim() is { Length: > 0 } next && !next.StartsWith(Marker, StringComparison.OrdinalIgnoreCase); j++)
            {
                diagnostic.Add(next);
            }

            recipients.Add(new RecipientEvidence { Address = address, Diagnostic = string.Join(' ', diagnostic) });
        }

        return recipients.Count > before;
    }
}
