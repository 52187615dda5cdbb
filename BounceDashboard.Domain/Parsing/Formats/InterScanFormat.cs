using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Trend Micro InterScan Messaging Security Suite ("Message from InterScan Messaging Security Suite"): either a
/// Sendmail-style "Sent &lt;&lt;&lt; RCPT TO / Received &gt;&gt;&gt; reply" transcript, left to the other formats, or
/// the one-line "Unable to deliver message to &lt;address&gt; ... Please check if address is correct.", which is
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
        if (!text.Contains("InterScan", StringComparison.Ordinal)
            || !text.Contains("check if address is correct", StringComparison.OrdinalIgnoreCase))
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
                    Reason = BounceReason.UserUnknown,
                    Rule = "interscan:check if address is correct",
                });
            }
        }

        return recipients.Count > before;
    }
}
