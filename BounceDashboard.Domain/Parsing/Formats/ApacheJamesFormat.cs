namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Apache James's bounce mailet: "Error: ..." then "Error message below:" with the remote reply, then "Message
/// details:" listing the envelope ("RCPT TO: address"). It does not say at which SMTP stage the reply came.
/// </summary>
public sealed class ApacheJamesFormat(NoticeReader reader) : IBounceFormat
{
    public string Name => "apachejames";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var text = context.NoticeText;
        var below = text.IndexOf("Error message below:", StringComparison.Ordinal);
        var details = below < 0 ? -1 : text.IndexOf("Message details:", below, StringComparison.Ordinal);
        if (details < 0)
        {
            return false;
        }

        var diagnostic = string.Join(' ', NoticeReader.Lines(text[(below + 20)..details]).Select(l => l.Trim()).Where(l => l.Length > 0));
        var before = recipients.Count;
        var listing = false;
        foreach (var raw in NoticeReader.Lines(text[details..]))
        {
            var line = raw.Trim();

            // "RCPT TO: a@x" and the further recipients James lists on indented lines under it.
            var more = listing && raw.Length > line.Length && line.Contains('@', StringComparison.Ordinal) && !line.Contains(':', StringComparison.Ordinal);
            listing = more || line.StartsWith("RCPT TO:", StringComparison.OrdinalIgnoreCase);
            if (listing)
            {
                foreach (var address in reader.Addresses(line))
                {
                    recipients.Add(new RecipientEvidence { Address = address, Diagnostic = diagnostic, StageUnknown = true });
                }
            }
        }

        return recipients.Count > before;
    }
}
