namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// qmail and its descendants (netqmail, vpopmail, Yahoo's and other providers' "failure notice"): each failed
/// recipient is "&lt;address&gt;:" on its own line with the remote reply under it, up to "--- Below this line is a copy".
/// </summary>
public sealed class QmailFormat(NoticeReader reader) : NoticeFormat(reader)
{
    public override string Name => "qmail";

    protected override IReadOnlyList<string> StartMarkers =>
    [
        "i'm afraid i wasn't able to deliver your message", "sorry, we were unable to deliver your message",
        "unable to deliver your message to the following address",
    ];

    protected override bool Recognises(BounceContext context)
    {
        var text = context.NoticeText;
        return text.Contains("--- Below this line is a copy of the message", StringComparison.OrdinalIgnoreCase)
            || text.Contains("This is the qmail-send program", StringComparison.OrdinalIgnoreCase)
            || text.Contains("I'm afraid I wasn't able to deliver", StringComparison.OrdinalIgnoreCase)

            // qmail-send's own sentences, which clones with their own introduction keep.
            || text.Contains("--- Enclosed are the original headers of the message", StringComparison.OrdinalIgnoreCase)
            || text.Contains("does not like recipient.", StringComparison.OrdinalIgnoreCase)
            || text.Contains("I'm not going to try again; this message has been in the queue too long", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// qmail ends every final failure with "I'm not going to try again; this message has been in the queue too
    /// long." That boilerplate is not the reason; the text before it is.
    /// </summary>
    protected override void Refine(BounceContext context, RecipientEvidence evidence)
    {
        const string Boilerplate = "I'm not going to try again; this message has been in the queue too long.";
        var diagnostic = evidence.Diagnostic ?? string.Empty;
        var at = diagnostic.IndexOf(Boilerplate, StringComparison.OrdinalIgnoreCase);
        if (at > 0)
        {
            diagnostic = (diagnostic[..at] + diagnostic[(at + Boilerplate.Length)..]).Trim();
        }

        // "Giving up on 192.0.2.1." closes every refusal by one host: it is not a queue expiry.
        var giving = diagnostic.IndexOf("Giving up on ", StringComparison.OrdinalIgnoreCase);
        if (giving > 0)
        {
            var end = diagnostic.IndexOf(". ", giving, StringComparison.Ordinal);
            diagnostic = end < 0 && diagnostic.EndsWith('.') ? diagnostic[..giving].Trim()
                : end > 0 ? (diagnostic[..giving] + diagnostic[(end + 2)..]).Trim()
                : diagnostic;
        }

        evidence.Diagnostic = diagnostic;
    }
}
