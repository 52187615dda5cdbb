namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Base for the non-standard failure notices of one MTA family: the family says how to recognise its notice,
/// where the recipient list starts and what the notice implies (a delay, a fixed reason); the shared
/// <see cref="NoticeReader"/> finds the recipient blocks.
/// </summary>
public abstract class NoticeFormat(NoticeReader reader) : IBounceFormat
{
    public abstract string Name { get; }

    protected NoticeReader Reader { get; } = reader;

    /// <summary>Phrases after which the recipient list begins (the first found wins); empty means from the top.</summary>
    protected virtual IReadOnlyList<string> StartMarkers => [];

    /// <summary>
    /// Whether lines naming the notice's own From/To are ignored. Families whose recipient lines are explicit
    /// (qmail's "&lt;address&gt;:", Exim's indented list) keep them; free-text notices drop them.
    /// </summary>
    protected virtual bool SkipOwnAddresses => false;

    /// <summary>
    /// True for families recognised only by the sender's domain: a real RFC 3464 report from the same provider
    /// (Mail.ru's Postfix fallback relays send them) is left to the report reader.
    /// </summary>
    protected virtual bool DeclinesReports => false;

    /// <summary>True when the message is this family's notice.</summary>
    protected abstract bool Recognises(BounceContext context);

    /// <summary>The action the notice implies (a warning notice means delayed).</summary>
    protected virtual DeliveryAction ActionOf(BounceContext context) => DeliveryAction.Failed;

    /// <summary>Family-specific touches on one recipient after it was read.</summary>
    protected virtual void Refine(BounceContext context, RecipientEvidence evidence)
    {
    }

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        if ((DeclinesReports && context.DeliveryStatus is not null) || !Recognises(context))
        {
            return false;
        }

        var text = context.NoticeText;
        var start = StartOf(text);
        var section = start == 0 ? context.NoticeSection(Reader) : Reader.Section(text, start);
        var lines = start == 0 ? context.NoticeSectionLines(Reader) : NoticeReader.Lines(section);
        var own = context.OwnAddresses;
        var blocks = Reader.Blocks(lines, SkipOwnAddresses ? own.Contains : null);

        // "The message could not be delivered to the users above.": the marker can follow the list it speaks of.
        if (blocks.Count == 0 && start > 0)
        {
            start = 0;
            section = context.NoticeSection(Reader);
            lines = context.NoticeSectionLines(Reader);
            blocks = Reader.Blocks(lines, SkipOwnAddresses ? own.Contains : null);
        }
        var action = ActionOf(context);
        if (blocks.Count == 0)
        {
            var failed = FailedRecipients(context);
            var fallback = failed.Count > 0 ? null
                : FallbackAddress(context, own)
                    ?? Reader.Addresses(section).FirstOrDefault(a => !own.Contains(a) && !IsMailSystem(a))
                    ?? QuotedTo(text, own);
            if (fallback is not null)
            {
                failed.Add(fallback);
            }

            if (failed.Count == 0)
            {
                return false;
            }

            var whole = string.Join(' ', lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !NoticeReader.IsBoilerplate(l)));
            foreach (var address in failed)
            {
                blocks.Add((address, whole));
            }
        }

        foreach (var (address, block) in NoticeReader.Merge(blocks))
        {
            // "Could not be delivered because of 550 5.1.1 User unknown" before the recipient list (MailMarshal):
            // a block without any code borrows the text above the list.
            var diagnostic = block;
            if (start > 0 && !HasCode(block))
            {
                var above = Flatten(text[..start], 12);
                if (HasCode(above))
                {
                    diagnostic = (above + " " + block).Trim();
                }
            }

            // "This Message was undeliverable due to the following reason: ... <address> Please reply to <Postmaster@...>
            // if you feel this message to be in error." (iPlanet-style notices of carriers and ISPs): the reason is
            // above the address, and what follows it is the template.
            if (diagnostic.StartsWith("Please reply to", StringComparison.OrdinalIgnoreCase))
            {
                var at = text.IndexOf(address, StringComparison.OrdinalIgnoreCase);
                diagnostic = at > 0 ? Flatten(text[..at], 24) : diagnostic;
            }

            var evidence = new RecipientEvidence
            {
                Address = address,
                Action = action,
                Diagnostic = diagnostic,
            };
            evidence.CommandFrom(() => CommandFinder.Find(diagnostic));
            Refine(context, evidence);
            recipients.Add(evidence);
        }

        return true;
    }

    private int StartOf(string text)
    {
        foreach (var marker in StartMarkers)
        {
            var at = text.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                // From the marker on: some notices name the recipient on the same line.
                return at;
            }
        }

        return 0;
    }

    private static bool HasCode(string text)
    {
        for (var i = 0; i + 2 < text.Length; i++)
        {
            if (text[i] is '4' or '5' && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2])
                && (i == 0 || !char.IsAsciiDigit(text[i - 1])) && (i + 3 == text.Length || !char.IsAsciiDigit(text[i + 3])))
            {
                return true;
            }
        }

        return false;
    }

    private static string Flatten(string text, int lastLines)
    {
        var lines = NoticeReader.Lines(text);
        var keep = lines.Count > lastLines ? lines.Skip(lines.Count - lastLines) : lines;
        return string.Join(' ', keep.Select(l => l.Trim()).Where(l => l.Length > 0));
    }

    /// <summary>Every address in X-Failed-Recipients (Exim and others), in order; empty when there is none.</summary>
    private static List<string> FailedRecipients(BounceContext context)
    {
        var failed = new List<string>();
        foreach (var item in (context.Header("X-Failed-Recipients") ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var address = DsnFields.Address(item);
            if (address.Contains('@', StringComparison.Ordinal) && !failed.Contains(address, StringComparer.OrdinalIgnoreCase))
            {
                failed.Add(address);
            }
        }

        return failed;
    }

    /// <summary>The To of the returned message, when it is not one of the notice's own addresses.</summary>
    protected static string? FallbackAddress(BounceContext context, IReadOnlySet<string> own)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(own);
        var to = context.ReturnedRecipient();
        if (to is not null && !own.Contains(to))
        {
            return DsnFields.Address(to);
        }

        return null;
    }

    /// <summary>The To of a returned message quoted in the notice text ("Original Message: ... To: x@y").</summary>
    private string? QuotedTo(string text, IReadOnlySet<string> own)
    {
        var to = MatchExtractor.QuotedHeader(text, "To");
        return to is null ? null : Reader.Addresses(to).FirstOrDefault(a => !own.Contains(a));
    }

    private static bool IsMailSystem(string address) =>
        address.StartsWith("mailer-daemon@", StringComparison.OrdinalIgnoreCase)
        || address.StartsWith("postmaster@", StringComparison.OrdinalIgnoreCase);
}
