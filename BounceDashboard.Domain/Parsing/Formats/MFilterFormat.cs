namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// m-FILTER (X-Mailer: m-FILTER, a Japanese mail gateway): a Japanese paragraph, the failed address on a line of its
/// own, then "-------server message" with the remote reply and "-------SMTP command" with the command that drew it.
/// </summary>
public sealed class MFilterFormat(NoticeReader reader) : IBounceFormat
{
    public string Name => "mfilter";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        if (!(context.Header("X-Mailer")?.StartsWith("m-FILTER", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return false;
        }

        var lines = NoticeReader.Lines(context.NoticeText);
        string? address = null;
        string? message = null;
        string? command = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            var next = i + 1 < lines.Count ? lines[i + 1].Trim() : string.Empty;
            if (line.StartsWith("-------server message", StringComparison.OrdinalIgnoreCase))
            {
                message = next;
            }
            else if (line.StartsWith("-------SMTP command", StringComparison.OrdinalIgnoreCase))
            {
                command = next.ToUpperInvariant();
            }
            else if (line.StartsWith("-------", StringComparison.Ordinal) && message is not null)
            {
                break;
            }
            else if (address is null && message is null && reader.AddressLine(line) is { Length: > 0 } found)
            {
                address = found;
            }
        }

        if (address is null)
        {
            return false;
        }

        recipients.Add(new RecipientEvidence
        {
            Address = address,
            Diagnostic = message,
            Command = command is "RCPT" or "MAIL" or "DATA" or "HELO" or "EHLO" ? command : null,
            StageUnknown = true,
        });
        return true;
    }
}
