namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Trend Micro InterScan Messaging Security Suite ("Message from InterScan Messaging Security Suite"): either a
/// transcript ("Sent &lt;&lt;&lt; RCPT TO:&lt;address&gt;" then "Received &gt;&gt;&gt; 550 reply"), or the one-line "Unable to deliver message to &lt;address&gt; ... Please check if address is correct.", which is
/// InterScan's own verdict that the address does not exist.
/// </summary>
public sealed class InterScanFormat(NoticeReader reader) : IBounceFormat
{
    private const string Unable = "Unable to deliver message to";

    public string Name => "interscan";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var text = context.NoticeText;
        if (!text.Contains("InterScan", StringComparison.Ordinal))
        {
            return false;
        }

        if (text.Contains("Received >>>", StringComparison.Ordinal))
        {
            return Transcript(context, text, recipients);
        }

        if (!text.Contains("check if address is correct", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var before = recipients.Count;
        foreach (var raw in NoticeReader.Lines(reader.Section(text)))
        {
            var line = raw.Trim();
            if (line.StartsWith(Unable, StringComparison.OrdinalIgnoreCase) && reader.Addresses(line).FirstOrDefault() is { } address)
            {
                recipients.Add(new RecipientEvidence
                {
                    Address = address,
                    Diagnostic = line,
                    Explicit = new ExplicitClass(Name, "check if address is correct"),
                });
            }
        }

        return recipients.Count > before;
    }

    /// <summary>
    /// "Sent &lt;&lt;&lt; COMMAND ..." lines and the "Received &gt;&gt;&gt; reply" each drew: one recipient per refusal (a 4xx
    /// or 5xx reply, its continuation lines joined); replies that accepted a command are steps, not failures.
    /// </summary>
    private bool Transcript(BounceContext context, string text, List<RecipientEvidence> recipients)
    {
        var before = recipients.Count;
        string? command = null;
        string? address = null;
        string? reply = null;
        foreach (var raw in NoticeReader.Lines(reader.Section(text)))
        {
            var line = raw.Trim();
            if (line.StartsWith("Sent <<<", StringComparison.Ordinal))
            {
                var sent = line[8..].Trim();
                command = sent.Length >= 4 ? sent[..4].ToUpperInvariant() : null;
                if (command == "RCPT")
                {
                    address = reader.Addresses(sent).FirstOrDefault();
                }
            }
            else if (line.StartsWith("Received >>>", StringComparison.Ordinal))
            {
                var received = line[12..].Trim();
                reply = reply is null ? received : reply + " " + received;
                if (SmtpCodeFinder.IsContinuedReply(received))
                {
                    continue;
                }

                var to = address ?? context.ReturnedMessage?.To.Mailboxes.FirstOrDefault()?.Address;
                if (to is not null && reply is ['4' or '5', ..])
                {
                    recipients.Add(new RecipientEvidence { Address = DsnFields.Address(to), Diagnostic = reply, Command = command });
                }

                reply = null;
            }
        }

        return recipients.Count > before;
    }
}
