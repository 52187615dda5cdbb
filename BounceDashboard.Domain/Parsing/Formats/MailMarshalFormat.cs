namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// MailMarshal SMTP (Trustwave/Marshal): "Your message: ... Could not be delivered because of" with the remote reply
/// on the lines below, then "The following recipients were affected:" and the indented addresses, then
/// "Additional Information".
/// </summary>
public sealed class MailMarshalFormat(NoticeReader reader) : IBounceFormat
{
    private const string Because = "Could not be delivered because of";
    private const string Affected = "The following recipients were affected:";

    public string Name => "mailmarshal";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var text = context.NoticeText;
        var because = text.IndexOf(Because, StringComparison.Ordinal);
        var affected = because < 0 ? -1 : text.IndexOf(Affected, because, StringComparison.OrdinalIgnoreCase);
        if (affected < 0)
        {
            return false;
        }

        var diagnostic = string.Join(' ', NoticeReader.Lines(text[(because + Because.Length)..affected]).Select(l => l.Trim()).Where(l => l.Length > 0));
        var before = recipients.Count;
        foreach (var line in NoticeReader.Lines(text[(affected + Affected.Length)..]))
        {
            if (line.StartsWith("Additional Information", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            if (reader.AddressLine(line) is { Length: > 0 } address)
            {
                recipients.Add(new RecipientEvidence { Address = address, Diagnostic = diagnostic });
            }
        }

        return recipients.Count > before;
    }
}
