using System.Text.RegularExpressions;

namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// An unnamed gateway's notice ("We had trouble delivering your message. Full details follow:"): one sentence per
/// failure, "The following recipients returned permanent errors: ADDRESS. Reason: SMTP Server &lt;ip&gt; refused to
/// accept your message (COMMAND), with the following error message: [REPLY]".
/// </summary>
public sealed partial class TroubleDeliveringFormat : IBounceFormat
{
    public string Name => "trouble-delivering";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var text = context.NoticeText;
        if (!text.Contains("We had trouble delivering your message", StringComparison.Ordinal))
        {
            return false;
        }

        var before = recipients.Count;
        foreach (Match m in FailureRegex().Matches(text))
        {
            recipients.Add(new RecipientEvidence
            {
                Address = DsnFields.Address(m.Groups["address"].Value),
                Diagnostic = m.Groups["reply"].Success ? m.Groups["reply"].Value : m.Groups["reason"].Value,
                Command = m.Groups["command"].Success ? m.Groups["command"].Value.ToUpperInvariant() : null,
                Explicit = new ExplicitClass(Name, null, Temporary: Kind(m.Groups["kind"].Value)),
            });
        }

        return recipients.Count > before;
    }

    /// <summary>"temporary" or "permanent" errors, as the notice says; null for any other word.</summary>
    private static bool? Kind(string kind) =>
        kind.StartsWith("temp", StringComparison.OrdinalIgnoreCase) ? true
        : kind.StartsWith("perm", StringComparison.OrdinalIgnoreCase) ? false
        : null;

    [GeneratedRegex(@"recipients returned (?<kind>\w+) errors: (?<address>[^\s@]+@[^\s]+?)\.? Reason: (?<reason>[^\n]*?(?:\((?<command>[A-Za-z]{4})\)[^\n]*?)?(?:\[(?<reply>[^\]\n]+)\])?)\s*$", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex FailureRegex();
}
