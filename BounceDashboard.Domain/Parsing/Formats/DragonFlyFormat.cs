using System.Text.RegularExpressions;

namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// DragonFly Mail Agent (dma) notices: "There was an error delivering your mail to &lt;address&gt;." then the remote
/// reply, up to "Message headers follow.".
/// </summary>
public sealed partial class DragonFlyFormat(NoticeReader reader) : IBounceFormat
{
    public string Name => "dragonfly";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var text = context.NoticeText;
        var at = text.IndexOf("There was an error delivering your mail to", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return false;
        }

        var m = RecipientRegex().Match(text, at);
        if (!m.Success)
        {
            return false;
        }

        var section = reader.Section(text, m.Index + m.Length);
        var diagnostic = string.Join(' ', NoticeReader.Lines(section).Select(l => l.Trim()).Where(l => l.Length > 0));
        recipients.Add(new RecipientEvidence
        {
            Address = DsnFields.Address(m.Groups[1].Value),
            Diagnostic = diagnostic,
            Command = CommandFinder.Find(diagnostic),
        });
        return true;
    }

    [GeneratedRegex(@"delivering your mail to <?([^\s<>]+@[^\s<>]+?)>?\.?\s*$", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RecipientRegex();
}
