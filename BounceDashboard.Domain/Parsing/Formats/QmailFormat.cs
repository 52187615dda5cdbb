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
            || text.Contains("I'm afraid I wasn't able to deliver", StringComparison.OrdinalIgnoreCase);
    }
}
