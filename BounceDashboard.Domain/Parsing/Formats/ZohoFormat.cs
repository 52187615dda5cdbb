using System.Text.RegularExpressions;

namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Zoho Mail (X-Mailer: Zoho Mail, mailer-daemon@mail.zoho.com): one line per recipient,
/// "address Label, ERROR_CODE :550, ERROR_CODE :5.2.1 text" in failures, or
/// "[Status: Error, Address: &lt;address&gt;, ResponseCode 421, , Host not reachable.]" in delay warnings. The SMTP
/// stage is never given; "Host not reachable" is Zoho's wording for a destination it gave up on.
/// </summary>
public sealed partial class ZohoFormat : IBounceFormat
{
    public string Name => "zoho";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        if (!(context.Header("X-Mailer")?.StartsWith("Zoho Mail", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return false;
        }

        var text = context.NoticeText;
        var delayed = text.Contains("THIS IS A WARNING MESSAGE ONLY", StringComparison.OrdinalIgnoreCase);
        var before = recipients.Count;
        foreach (var raw in NoticeReader.Lines(text))
        {
            var line = raw.Trim();
            var m = FailureRegex().Match(line);
            if (!m.Success)
            {
                m = WarningRegex().Match(line);
                if (!m.Success)
                {
                    continue;
                }
            }

            var diagnostic = m.Groups["text"].Value.Trim(' ', ',', ']');
            var evidence = new RecipientEvidence
            {
                Address = DsnFields.Address(m.Groups["address"].Value),
                ReplyCode = m.Groups["reply"].Value,
                Diagnostic = m.Groups["reply"].Value + " " + diagnostic,
                Action = delayed ? DeliveryAction.Delayed : DeliveryAction.Failed,
                StageUnknown = true,
            };
            if (diagnostic.Contains("Host not reachable", StringComparison.OrdinalIgnoreCase))
            {
                evidence.Explicit = new ExplicitClass(Name, "host not reachable");
            }

            recipients.Add(evidence);
        }

        return recipients.Count > before;
    }

    [GeneratedRegex(@"^(?<address>[^\s@<>]+@[^\s<>]+) [^,]*, ERROR_CODE :(?<reply>[245]\d\d), ERROR_CODE :(?<text>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex FailureRegex();

    [GeneratedRegex(@"^\[Status: \w+, Address: <(?<address>[^>]+)>, ResponseCode (?<reply>[245]\d\d),(?<text>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex WarningRegex();
}
