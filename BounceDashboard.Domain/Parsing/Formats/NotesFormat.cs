namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Lotus Notes (Domino SMTP MTA) notices: "------- Failure Reasons --------", the reason text, the failed
/// address on its own line, then "------- Returned Message --------".
/// </summary>
public sealed class NotesFormat(NoticeReader reader) : IBounceFormat
{
    private const string Marker = "------- Failure Reasons";

    public string Name => "notes";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var text = context.NoticeText;
        var at = text.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return false;
        }

        var end = text.IndexOf("------- Returned Message", at, StringComparison.OrdinalIgnoreCase);
        var section = end < 0 ? text[at..] : text[at..end];
        var reasons = new List<string>();
        var last = string.Empty;
        var before = recipients.Count;
        foreach (var line in NoticeReader.Lines(section).Skip(1))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (reader.AddressLine(trimmed) is { Length: > 0 } address)
            {
                // Each address follows its own reasons; addresses listed together share the last ones.
                var diagnostic = reasons.Count > 0 ? string.Join(' ', reasons) : last;
                reasons.Clear();
                last = diagnostic;
                recipients.Add(new RecipientEvidence { Address = address, Diagnostic = diagnostic, Command = CommandFinder.Find(diagnostic) });
                continue;
            }

            reasons.Add(trimmed);
        }

        return recipients.Count > before;
    }
}
