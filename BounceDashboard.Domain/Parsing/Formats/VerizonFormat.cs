namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Verizon Wireless MMS/SMS gateways (vzwpix.com "MMSC NDR Administrator", vtext.com): "Message could not be delivered
/// to mobile." with an "Error: ..." line, then "Original Message:" whose To line names the recipient.
/// </summary>
public sealed class VerizonFormat(NoticeReader reader) : IBounceFormat
{
    public string Name => "verizon";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var text = context.NoticeText;
        var original = text.IndexOf("Original Message:", StringComparison.Ordinal);
        if (original < 0 || !text.Contains("could not be delivered to mobile", StringComparison.Ordinal))
        {
            return false;
        }

        string? error = null;
        string? address = null;
        foreach (var raw in NoticeReader.Lines(text))
        {
            var line = raw.Trim();
            if (error is null && line.StartsWith("Error:", StringComparison.OrdinalIgnoreCase))
            {
                error = line[6..].Trim();
            }
            else if (address is null && line.StartsWith("To:", StringComparison.OrdinalIgnoreCase))
            {
                address = reader.Addresses(line).FirstOrDefault();
            }
        }

        if (address is null)
        {
            return false;
        }

        recipients.Add(new RecipientEvidence { Address = address, Diagnostic = error });
        return true;
    }
}
