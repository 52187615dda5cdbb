namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// fml mailing-list manager (X-MLServer: fml): the list's refusal is sent back to the poster. The list's address (the
/// recipient that refused) is the first one in the body ("... this mailing list &lt;list@host&gt;."), else the notice's
/// To. The subject and body say why: not a member of a closed list (the sender is refused), or a loop alert
/// on a duplicated Message-ID (the list system stopped the message).
/// </summary>
public sealed class FmlFormat(NoticeReader reader) : IBounceFormat
{
    /// <summary>fml's fixed wordings (what each means: the classifier's table of format codes).</summary>
    private static readonly string[] Wordings =
    [
        "are not member",
        "not a member of this mailing list",
        "Loop Alert",
        "Duplicated Message-ID",
    ];

    public string Name => "fml";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        if (!(context.Header("X-MLServer")?.StartsWith("fml", StringComparison.OrdinalIgnoreCase) ?? false)
            || context.Message.To.Mailboxes.FirstOrDefault()?.Address is not { Length: > 0 } to)
        {
            return false;
        }

        foreach (var text in Wordings)
        {
            if (context.Subject.Contains(text, StringComparison.OrdinalIgnoreCase)
                || context.NoticeText.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                recipients.Add(new RecipientEvidence
                {
                    Address = reader.Addresses(reader.Section(context.NoticeText)).FirstOrDefault() ?? DsnFields.Address(to),
                    Diagnostic = context.Subject,
                    Explicit = new ExplicitClass(Name, text.ToLowerInvariant()),
                });
                return true;
            }
        }

        return false;
    }
}
