namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Lotus/HCL Domino ("DELIVERY FAILURE: ..." from Postmaster): "Your message ... was not delivered to: ADDRESS
/// because: REASON", alone or as the text part of an RFC 3464 report whose X-Notes diagnostic repeats the reason in
/// raw (often ISO-2022-JP) bytes. The reason is read from the decoded notice.
/// </summary>
public sealed class DominoFormat(Rfc3464Format report, NoticeReader reader) : IBounceFormat
{
    private const string NotDelivered = "was not delivered to:";
    private const string Because = "because:";

    public string Name => "domino";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        if (!context.SubjectStartsWith("DELIVERY FAILURE:"))
        {
            return false;
        }

        var text = context.NoticeText;
        var to = text.IndexOf(NotDelivered, StringComparison.OrdinalIgnoreCase);
        var because = to < 0 ? -1 : text.IndexOf(Because, to, StringComparison.OrdinalIgnoreCase);
        if (because < 0)
        {
            return false;
        }

        var reason = string.Join(' ', NoticeReader.Lines(reader.Section(text, because + Because.Length))
            .Select(l => l.Trim()).Where(l => l.Length > 0));
        var before = recipients.Count;
        if (context.DeliveryStatus is null || !report.TryParse(context, recipients))
        {
            foreach (var line in NoticeReader.Lines(text[(to + NotDelivered.Length)..because]))
            {
                if (reader.AddressLine(line) is { Length: > 0 } address)
                {
                    recipients.Add(new RecipientEvidence { Address = address });
                }
            }
        }

        for (var i = before; i < recipients.Count; i++)
        {
            if (reason.Length > 0)
            {
                recipients[i].Diagnostic = reason;
            }
        }

        return recipients.Count > before;
    }
}
