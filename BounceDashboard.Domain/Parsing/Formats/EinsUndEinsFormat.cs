namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// 1&amp;1 / IONOS (mailer-daemon@kundenserver.de, online.de): Exim-style, "address:" then "SMTP error from remote
/// server for COMMAND command, host: HOST reason: REPLY", up to "--- The header of the original message is following.".
/// The failed address may equal the notice's own To (a message sent to oneself), so it is not skipped as ours.
/// </summary>
public sealed class EinsUndEinsFormat(NoticeReader reader) : IBounceFormat
{
    private const string Failed = "failed:";

    public string Name => "einsundeins";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var from = context.FromAddress;
        if (!from.EndsWith("@kundenserver.de", StringComparison.Ordinal) && !from.EndsWith("@online.de", StringComparison.Ordinal)
            && !from.EndsWith(".kundenserver.de", StringComparison.Ordinal))
        {
            return false;
        }

        var text = context.NoticeText;
        var at = text.IndexOf(Failed, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return false;
        }

        var before = recipients.Count;
        foreach (var (address, diagnostic) in NoticeReader.Merge(reader.Blocks(NoticeReader.Lines(reader.Section(text, at + Failed.Length)))))
        {
            recipients.Add(new RecipientEvidence { Address = address, Diagnostic = diagnostic, Command = CommandFinder.Find(diagnostic) });
        }

        return recipients.Count > before;
    }
}
