namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// An unnamed Japanese provider's MTA ("Mail Deliver System"): "---The following addresses had delivery errors---"
/// then one "address [reason]" line per recipient. The bracketed reason is all it says; the SMTP stage is never given.
/// </summary>
public sealed class DeliveryErrorsListFormat : IBounceFormat
{
    private const string Marker = "---The following addresses had delivery errors---";

    public string Name => "delivery-errors-list";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var text = context.NoticeText;
        var at = text.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        var before = recipients.Count;
        foreach (var raw in NoticeReader.Lines(text[(at + Marker.Length)..]))
        {
            var line = raw.Trim();
            if (line.StartsWith("--", StringComparison.Ordinal) && recipients.Count > before)
            {
                break;
            }

            var open = line.IndexOf(" [", StringComparison.Ordinal);
            if (open <= 0 || !line.EndsWith(']') || line.IndexOf('@', StringComparison.Ordinal) is var atSign && (atSign < 0 || atSign > open))
            {
                continue;
            }

            recipients.Add(new RecipientEvidence
            {
                Address = DsnFields.Address(line[..open]),
                Diagnostic = line[(open + 2)..^1].Trim(),
                StageUnknown = true,
            });
        }

        return recipients.Count > before;
    }
}
