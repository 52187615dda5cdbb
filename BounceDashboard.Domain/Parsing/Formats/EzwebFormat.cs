namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// au by KDDI's EZweb mail (Postmaster@ezweb.ne.jp, Received "(EZweb Mail)"): "Mail System Error - Returned Mail"
/// in plain text, multipart/mixed or RFC 3464 form, with a Japanese paragraph then a fixed English sentence that is
/// the reason. When the sentence is "rejected by a remote mail server" and no SMTP transcript follows, the refusal was
/// the recipient's own domain filter. Notices with a transcript are left to the classifier.
/// </summary>
public sealed class EzwebFormat(Rfc3464Format report, NoticeReader reader) : IBounceFormat
{
    /// <summary>EZweb's fixed sentences (what each means: the classifier's table of format codes).</summary>
    private static readonly string[] Sentences =
    [
        "account is disabled",
        "account is temporarily over quota",
        "was not delivered within",
        "remote host is not responding",
        "rejected by a remote mail server",
    ];

    public string Name => "ezweb";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        if (!context.FromAddress.EndsWith("@ezweb.ne.jp", StringComparison.Ordinal))
        {
            return false;
        }

        var text = context.NoticeText;
        if (text.Contains("<<<", StringComparison.Ordinal) || Sentence(text) is not { } found)
        {
            return false;
        }

        var before = recipients.Count;
        if (context.DeliveryStatus is null || !report.TryParse(context, recipients))
        {
            foreach (var line in NoticeReader.Lines(reader.Section(text)))
            {
                if (reader.AddressLine(line) is { Length: > 0 } address)
                {
                    recipients.Add(new RecipientEvidence { Address = address, Diagnostic = found });
                }
            }
        }

        for (var i = before; i < recipients.Count; i++)
        {
            recipients[i].Explicit = new ExplicitClass(Name, found);
        }

        return recipients.Count > before;
    }

    private static string? Sentence(string text)
    {
        foreach (var sentence in Sentences)
        {
            if (text.Contains(sentence, StringComparison.OrdinalIgnoreCase))
            {
                return sentence;
            }
        }

        return null;
    }
}
