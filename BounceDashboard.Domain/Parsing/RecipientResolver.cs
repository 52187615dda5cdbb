using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Which address failed: one rule applied to every format's evidence, after the format read the message and before the
/// reason is decided. In order:
/// <list type="number">
/// <item>The address we sent to wins over a rewritten one: a report's Original-Recipient, when it is an RFC 822
/// address, over its Final-Recipient (a mailbox name, an X.400 form, an alias's target).</item>
/// <item>Encoded forms are decoded: <c>SMTP:</c> and <c>rfc822;</c> prefixes stripped, X.400 addresses read
/// (<c>/RFC-822=user(a)example.org/ADMD=/</c>, Exchange's <c>c=US;...;dda:SMTP=user@example.org;</c>, and
/// <c>/S=user/OU=.../PRMD=.../</c>, a name only).</item>
/// <item>A name without a domain is qualified: by the returned message's To when its local part is that name,
/// otherwise by the reporting system's organisation domain (the notice's From without host labels).</item>
/// <item>Never the sender or the list: the notice's own From and To, its Sender and list headers, the returned
/// message's From, Sender, Reply-To, Return-Path, Errors-To and list headers, and an address our return path serves
/// (<c>list@x</c> when the notice went to <c>list-bounces@x</c>). Such an entry is replaced by the failed address the
/// notice lists in another way (an X.400 address, a bare name under its "following recipients:" heading, the returned
/// message's To), or dropped when another entry remains.</item>
/// <item>An address reported twice is one failure (the first entry kept).</item>
/// </list>
/// Feedback reports, auto-replies and success reports are left alone: their address is the reporter's own.
/// </summary>
public static class RecipientResolver
{
    /// <summary>Applies the rule to the evidence of one message, in place.</summary>
    public static void Resolve(BounceContext context, List<RecipientEvidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence.Count == 0 || !evidence.TrueForAll(IsFailureEvidence))
        {
            return;
        }

        Lazy<Surroundings> around = new(() => new Surroundings(context));
        foreach (var e in evidence)
        {
            var address = e.OriginalRecipient is null || around.Value.IsReturnedTo(e.Address) ? e.Address : Preferred(e);
            if (Decode(address) is { } decoded)
            {
                address = decoded;
            }

            if (address.Length > 0 && !address.Contains('@', StringComparison.Ordinal) && IsLocalPart(address))
            {
                address = around.Value.Qualify(address);
            }

            e.Address = address;
        }

        // Never the sender, the list or a header address of the returned message.
        var kept = 0;
        List<RecipientEvidence>? emptied = null;
        for (var i = 0; i < evidence.Count; i++)
        {
            var e = evidence[i];
            if (e.Address.Length == 0 || !around.Value.IsNotRecipient(e.Address))
            {
                kept += e.Address.Length > 0 ? 1 : 0;
                continue;
            }

            if (around.Value.Replacement() is { } replacement && !evidence.Exists(o => o.Address.Equals(replacement, StringComparison.OrdinalIgnoreCase)))
            {
                e.Address = replacement;
                kept++;
            }
            else
            {
                e.Address = string.Empty;
                (emptied ??= []).Add(e);
            }
        }

        // A single address the notice only mentions in its prose ("contact NAME@directory.example.edu") loses to a bare
        // name listed under its "following recipients:" heading (a local mailbox name, qualified above).
        if (evidence.Count == 1 && context.DeliveryStatus is null && evidence[0].Address is { Length: > 0 } only
            && around.Value.Listed() is { BareName: true } listed
            && !LocalPartsEqual(only, listed.Address) && !around.Value.IsListedLine(only))
        {
            evidence[0].Address = listed.Address;
        }

        // Every failed address the notice lists: the alias we sent to that a failed address was "expanded from", and one
        // the remote server's reply names ("552 Quota violation for b@x"
        // under "unable to deliver your message to a@x") failed too, unless report fields in the text name the
        // recipient (there the reply's address is the same mailbox after an alias).
        if (context.DeliveryStatus is null)
        {
            for (int i = 0, count = evidence.Count; i < count; i++)
            {
                if (around.Value.ExpandedFrom(evidence[i].Address) is { } alias && !around.Value.QuotesReportFields
                    && !evidence.Exists(o => o.Address.Equals(alias, StringComparison.OrdinalIgnoreCase)))
                {
                    evidence.Add(CopyFor(evidence[i], alias));
                }

                if (RepliedAddress(evidence[i]) is { } named && !around.Value.IsNotRecipient(named) && !around.Value.QuotesReportFields
                    && !evidence.Exists(o => o.Address.Equals(named, StringComparison.OrdinalIgnoreCase)))
                {
                    evidence.Add(CopyFor(evidence[i], named));
                }
            }
        }

        // A single address taken from the notice's prose loses to the returned message's envelope recipient ("Received:
        // ... for <a@x>") when the notice names that address too ("The address to which your message was addressed,
        // a@x, did not match ...").
        if (evidence.Count == 1 && context.DeliveryStatus is null && evidence[0].Address is { Length: > 0 } single
            && !around.Value.IsReturnedTo(single) && around.Value.EnvelopeRecipient() is { } envelope
            && !envelope.Equals(single, StringComparison.OrdinalIgnoreCase) && !around.Value.IsNotRecipient(envelope)
            && around.Value.NoticeNames(envelope) && !around.Value.EnvelopeMentions(single))
        {
            evidence[0].Address = envelope;
        }

        // One entry per address; entries left without an address go when another remains.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        evidence.RemoveAll(e => e.Address.Length == 0 ? kept > 0 && emptied?.Contains(e) == true : !seen.Add(e.Address));
    }

    /// <summary>
    /// The address an SMTP reply in the diagnostic names when it is not the entry's own ("552 Quota violation for
    /// b@x"): the first address after a three-digit 4xx/5xx code; null when there is none or it is the entry's.
    /// </summary>
    private static string? RepliedAddress(RecipientEvidence e)
    {
        if (e.Diagnostic is not { Length: > 4 } diagnostic || e.Address.Length == 0 || diagnostic.IndexOf('@', StringComparison.Ordinal) < 0)
        {
            return null;
        }

        var text = diagnostic.AsSpan();
        var code = -1;
        for (var i = 0; i + 3 < text.Length; i++)
        {
            if (text[i] is '4' or '5' && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && text[i + 3] is ' ' or '-'
                && (i == 0 || text[i - 1] is ' ' or '\t'))
            {
                code = i;
                break;
            }
        }

        if (code < 0)
        {
            return null;
        }

        foreach (var word in diagnostic[(code + 4)..].Split(' ', '\t'))
        {
            if (word.Contains('@', StringComparison.Ordinal) && DsnFields.Address(word) is var address && IsAddress(address))
            {
                return address.Equals(e.Address, StringComparison.OrdinalIgnoreCase) ? null : address;
            }

            // Only the reply's own sentence: "550 mailbox unavailable. If you need help write to: helpdesk@x" names a helper.
            if (word.EndsWith('.') || word.EndsWith(':') || word.EndsWith('?') || word.EndsWith('!'))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>A copy of an entry's evidence for another address the same notice reports.</summary>
    private static RecipientEvidence CopyFor(RecipientEvidence e, string address)
    {
        var copy = new RecipientEvidence
        {
            Address = address,
            Action = e.Action,
            Status = e.Status,
            ReplyCode = e.ReplyCode,
            Diagnostic = e.Diagnostic,
            RemoteMta = e.RemoteMta,
            Explicit = e.Explicit,
            StageUnknown = e.StageUnknown,
        };
        var diagnostic = e.Diagnostic;
        copy.CommandFrom(() => CommandFinder.Find(diagnostic));
        return copy;
    }

    /// <summary>A failure or delay reported for a recipient (not feedback, an auto-reply or a success report).</summary>
    private static bool IsFailureEvidence(RecipientEvidence e) =>
        e.Action is DeliveryAction.Failed or DeliveryAction.Delayed && e.FeedbackType is null
        && !ReasonClassifier.IsReportNotFailure(e);

    /// <summary>The report's Original-Recipient when it is an RFC 822 address; otherwise the address the format read.</summary>
    private static string Preferred(RecipientEvidence e)
    {
        if (e.OriginalRecipient is { } original)
        {
            var value = original.AsSpan().Trim();
            var semi = value.IndexOf(';');
            var type = semi < 0 ? "rfc822" : value[..semi].Trim();
            if (type.Equals("rfc822", StringComparison.OrdinalIgnoreCase)
                && DsnFields.Address(semi < 0 ? original : value[(semi + 1)..].ToString()) is var address && IsAddress(address))
            {
                return address;
            }
        }

        return e.Address;
    }

    /// <summary>
    /// The plain address an encoded form stands for: "SMTP:a@b" and "rfc822;a@b" without the prefix, an X.400 address's
    /// RFC 822 attribute ("/RFC-822=a(a)b/", "dda:SMTP=a@b;") or its surname ("/S=a/OU=.../", a name to qualify);
    /// null when the address is plain already.
    /// </summary>
    public static string? Decode(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var a = address.AsSpan().Trim();
        foreach (var prefix in (ReadOnlySpan<string>)["smtp:", "rfc822;", "rfc822:"])
        {
            if (a.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return DsnFields.Address(a[prefix.Length..].Trim().ToString());
            }
        }

        if (a.IndexOf('=') < 0 || (a[0] != '/' && a.IndexOf(';') < 0))
        {
            return null;
        }

        if (X400Attribute(a, "RFC-822") is { Length: > 0 } rfc822)
        {
            return DsnFields.Address(UnescapeX400(rfc822));
        }

        if (X400Attribute(a, "SMTP") is { Length: > 0 } smtp)
        {
            return DsnFields.Address(smtp);
        }

        if (X400Attribute(a, "S") is { Length: > 0 } surname && IsLocalPart(surname))
        {
            return X400Attribute(a, "G") is { Length: > 0 } given && IsLocalPart(given) ? given + "." + surname : surname;
        }

        return null;
    }

    /// <summary>The value of one X.400 attribute ("NAME=value" between '/' or ';' separators; "dda:NAME=" too).</summary>
    private static string? X400Attribute(ReadOnlySpan<char> address, string name)
    {
        foreach (var range in address.SplitAny('/', ';'))
        {
            var part = address[range].Trim();
            var colon = part.LastIndexOf(':');
            if (colon >= 0 && colon < part.IndexOf('='))
            {
                part = part[(colon + 1)..];
            }

            var eq = part.IndexOf('=');
            if (eq > 0 && part[..eq].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return part[(eq + 1)..].Trim().ToString();
            }
        }

        return null;
    }

    /// <summary>RFC 2156 §4.3.3's escapes in an X.400 RFC-822 attribute: "(a)" is '@', "(p)" '%', "(b)" '!', "(q)" '"', "(u)" '_'.</summary>
    private static string UnescapeX400(string value) =>
        value.Replace("(a)", "@", StringComparison.OrdinalIgnoreCase)
            .Replace("(p)", "%", StringComparison.OrdinalIgnoreCase)
            .Replace("(b)", "!", StringComparison.OrdinalIgnoreCase)
            .Replace("(q)", "\"", StringComparison.OrdinalIgnoreCase)
            .Replace("(u)", "_", StringComparison.OrdinalIgnoreCase);

    private static bool LocalPartsEqual(string a, string b)
    {
        var atA = a.LastIndexOf('@');
        var atB = b.LastIndexOf('@');
        return (atA < 0 ? a.AsSpan() : a.AsSpan(0, atA)).Equals(atB < 0 ? b.AsSpan() : b.AsSpan(0, atB), StringComparison.OrdinalIgnoreCase);
    }

    private static readonly System.Buffers.SearchValues<char> NotInDomain = System.Buffers.SearchValues.Create(" /;=()");

    /// <summary>An address with a local part and a dotted domain.</summary>
    private static bool IsAddress(string value)
    {
        var at = value.LastIndexOf('@');
        return at > 0 && at < value.Length - 3 && value.IndexOf('.', at) > at + 1 && IsLocalPart(value.AsSpan(0, at))
            && !value.AsSpan(at + 1).ContainsAny(NotInDomain);
    }

    /// <summary>A plausible mailbox name: letters, digits and . _ - + only, at most 64 characters.</summary>
    private static bool IsLocalPart(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > 64)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or '+'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The organisation domain of a host: the last two labels, three under a short second-level label of a country ("ac.uk", "co.jp").</summary>
    internal static string OrganisationDomain(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var labels = host.Trim().TrimEnd('.').ToLowerInvariant().Split('.');
        if (labels.Length <= 2)
        {
            return string.Join('.', labels);
        }

        var keep = labels[^1].Length == 2 && labels[^2].Length <= 3 ? 3 : 2;
        return string.Join('.', labels[^keep..]);
    }

    /// <summary>What the message says around its recipients, read once and only when an address needs it.</summary>
    private sealed class Surroundings
    {
        private readonly BounceContext _context;
        private readonly HashSet<string> _notRecipients = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<(string Local, string Domain)> _returnPaths = [];
        private readonly string? _returnedTo;
        private bool _replacementRead;
        private string? _replacement;

        public Surroundings(BounceContext context)
        {
            _context = context;
            _returnedTo = context.ReturnedRecipient() is { } to ? DsnFields.Address(to) : null;
        }

        private bool _setsRead;

        /// <summary>
        /// Reads the header addresses that are never the failed recipient, on the first question that needs them (most
        /// reports name the returned message's To, which needs none).
        /// </summary>
        private void ReadSets()
        {
            if (_setsRead)
            {
                return;
            }

            _setsRead = true;
            foreach (var own in _context.OwnAddresses)
            {
                AddNotRecipient(own, returnPath: false);
            }

            // The notice went to our return path ("list-bounces@x", "bounces+token@x").
            foreach (var mailbox in _context.Message.To.Mailboxes)
            {
                AddNotRecipient(DsnFields.Address(mailbox.Address), returnPath: true);
            }

            foreach (var name in NoticeHeaders)
            {
                AddNotRecipients(_context.Header(name), returnPath: false);
            }

            foreach (var name in ReturnedHeaders)
            {
                AddNotRecipients(_context.ReturnedHeader(name), returnPath: name is "Return-Path" or "Errors-To" or "Sender");
            }
        }

        /// <summary>Headers of the notice whose addresses are the mail system's, ours or a list's.</summary>
        private static readonly string[] NoticeHeaders = ["Sender", "Reply-To", "List-Post", "List-Owner", "Errors-To"];

        /// <summary>Headers of the returned message whose addresses are the sender's or the list's, never the recipient's.</summary>
        private static readonly string[] ReturnedHeaders = ["From", "Sender", "Reply-To", "Return-Path", "Errors-To", "List-Post", "List-Owner"];

        private void AddNotRecipients(string? value, bool returnPath)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return;
            }

            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var address = DsnFields.Address(part.Replace("mailto:", string.Empty, StringComparison.OrdinalIgnoreCase));
                var query = address.IndexOf('?', StringComparison.Ordinal);
                AddNotRecipient(query >= 0 ? address[..query] : address, returnPath);
            }
        }

        private void AddNotRecipient(string address, bool returnPath)
        {
            var at = address.LastIndexOf('@');
            if (at <= 0)
            {
                return;
            }

            _notRecipients.Add(address);
            if (returnPath)
            {
                _returnPaths.Add((address[..at], address[(at + 1)..]));
            }
        }

        /// <summary>
        /// True for the sender, the list or the mail system: a header address of the notice or of the returned message,
        /// (unless it is also the returned message's To), or an address a return path serves (same domain, its local part followed by '-' or '+' opens the return
        /// path's: "list@x" for "list-bounces@x", "list-admin@x", "news+token@x").
        /// </summary>
        public bool IsNotRecipient(string address)
        {
            // The returned message's To is what was sent to, even when it sent to itself (From and To alike) or to a list
            // that refused it.
            if (address.Equals(_returnedTo, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            ReadSets();
            if (_notRecipients.Contains(address))
            {
                return true;
            }

            var at = address.LastIndexOf('@');
            if (at <= 0)
            {
                return false;
            }

            var local = address.AsSpan(0, at);
            var domain = address.AsSpan(at + 1);
            foreach (var (pathLocal, pathDomain) in _returnPaths)
            {
                if (domain.Equals(pathDomain, StringComparison.OrdinalIgnoreCase) && pathLocal.Length > local.Length + 1
                    && pathLocal.AsSpan().StartsWith(local, StringComparison.OrdinalIgnoreCase) && pathLocal[local.Length] is '-' or '+')
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A name qualified by the returned message's To (same local part) or the reporting system's organisation domain.</summary>
        public string Qualify(string name)
        {
            if (_returnedTo is { } to && to.LastIndexOf('@') is var at and > 0 && to.AsSpan(0, at).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return to;
            }

            var from = _context.FromAddress;
            var fromAt = from.LastIndexOf('@');
            return fromAt > 0 && fromAt < from.Length - 1 ? name + "@" + OrganisationDomain(from[(fromAt + 1)..]) : name;
        }

        /// <summary>
        /// The failed address the notice lists another way, for an entry that named the sender or the list: an X.400
        /// address in the notice, a bare name on the line under its "following recipients:" heading, or the returned
        /// message's To.
        /// </summary>
        public string? Replacement()
        {
            if (_replacementRead)
            {
                return _replacement;
            }

            _replacementRead = true;
            _replacement = FromNotice() ?? (_returnedTo is { } to && IsAddress(to) && !IsNotRecipient(to) ? to : null);
            return _replacement;
        }

        private string? FromNotice()
        {
            var lines = NoticeReader.Lines(_context.NoticeText);
            foreach (var line in lines)
            {
                foreach (var token in line.Split(' ', '\t'))
                {
                    if ((token.Contains("SMTP=", StringComparison.OrdinalIgnoreCase) || token.Contains("RFC-822=", StringComparison.OrdinalIgnoreCase))
                        && Decode(token) is { } decoded && IsAddress(decoded) && !IsNotRecipient(decoded))
                    {
                        return decoded;
                    }
                }
            }

            return Listed()?.Address;
        }

        private bool _listedRead;
        private (string Address, bool BareName)? _listed;

        /// <summary>
        /// The first entry on the line under the notice's "... the following [recipients]:" heading: an address, or a
        /// bare name qualified (<see cref="Qualify"/>); null when there is no such heading or entry.
        /// </summary>
        public (string Address, bool BareName)? Listed()
        {
            if (_listedRead)
            {
                return _listed;
            }

            _listedRead = true;
            var lines = NoticeReader.Lines(_context.NoticeSection(Reader));
            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i].Trim();
                if (!line.EndsWith(':') || !line.Contains("following", StringComparison.OrdinalIgnoreCase) || NextNonEmpty(lines, i + 1) is not { } next)
                {
                    continue;
                }

                _listedLine = next;
                var first = next.Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries)[0].Trim('"', '\'', '<', '>', ',', ';');
                if (IsAddress(first) && !IsNotRecipient(first))
                {
                    _listed = (DsnFields.Address(first), false);
                }
                else if (IsBareNameEntry(next, first) && Qualify(first) is var qualified && IsAddress(qualified) && !IsNotRecipient(qualified))
                {
                    _listed = (qualified, true);
                }

                break;
            }

            return _listed;
        }

        /// <summary>
        /// A mailbox name listed on its own: the whole line ("screenname"), or the first column of a table ("userx    No
        /// matches"); not the first word of a sentence ("552 Quota violation", "Diagnostic information").
        /// </summary>
        private static bool IsBareNameEntry(string line, string first)
        {
            if (first.Length < 2 || !IsLocalPart(first) || first.All(char.IsAsciiDigit))
            {
                return false;
            }

            var rest = line.AsSpan(line.IndexOf(first, StringComparison.Ordinal) + first.Length);
            return rest.IsWhiteSpace() || rest.StartsWith("\t", StringComparison.Ordinal) || rest.StartsWith("  ", StringComparison.Ordinal);
        }

        /// <summary>
        /// The alias a failed address was expanded from, when the notice says so right after naming it
        /// ("b@x\n    (expanded from: a@y)", "&lt;b@x&gt; (expanded from &lt;a@y&gt;)"); null otherwise.
        /// </summary>
        public string? ExpandedFrom(string address)
        {
            if (address.Length == 0)
            {
                return null;
            }

            const string Expanded = "expanded from";
            var text = _context.NoticeText;
            for (var at = text.IndexOf(address, StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = text.IndexOf(address, at + address.Length, StringComparison.OrdinalIgnoreCase))
            {
                var after = text.AsSpan(at + address.Length, Math.Min(120, text.Length - at - address.Length));
                var e = after.IndexOf(Expanded, StringComparison.OrdinalIgnoreCase);
                if (e < 0 || e > 12 || after[..e].ContainsAny('@', '\n') && after[..e].Trim().Length > 2)
                {
                    continue;
                }

                var rest = after[(e + Expanded.Length)..].TrimStart(": \t\r\n<".AsSpan());
                var end = rest.IndexOfAny(" \t\r\n>)".AsSpan());
                var alias = DsnFields.Address((end < 0 ? rest : rest[..end]).ToString());
                if (IsAddress(alias) && !alias.Equals(address, StringComparison.OrdinalIgnoreCase) && !IsNotRecipient(alias))
                {
                    return alias;
                }
            }

            return null;
        }

        private string? _envelope;
        private bool _envelopeRead;
        private string? _receivedBlock;

        /// <summary>
        /// The envelope recipient of the returned message: the "for &lt;a@x&gt;" of the first Received line it shows
        /// (its headers, or quoted in the notice text); null when there is none.
        /// </summary>
        public string? EnvelopeRecipient()
        {
            if (_envelopeRead)
            {
                return _envelope;
            }

            _envelopeRead = true;
            var text = _context.NoticeText;
            var received = text.IndexOf("Received:", StringComparison.OrdinalIgnoreCase);
            _receivedBlock = received >= 0 ? text.Substring(received, Math.Min(2000, text.Length - received))
                : _context.ReturnedHeader("Received");
            if (_receivedBlock is not { } block)
            {
                return null;
            }

            var at = block.IndexOf("for <", StringComparison.OrdinalIgnoreCase);
            var end = at < 0 ? -1 : block.IndexOf('>', at);
            if (end > at + 5 && DsnFields.Address(block[(at + 5)..end]) is var address && IsAddress(address))
            {
                _envelope = address;
            }

            return _envelope;
        }

        /// <summary>True when the returned message's Received lines (as read by <see cref="EnvelopeRecipient"/>) name the address.</summary>
        public bool EnvelopeMentions(string address) => _receivedBlock?.Contains(address, StringComparison.OrdinalIgnoreCase) == true;

        /// <summary>True when the notice, before the returned message, names the address.</summary>
        public bool NoticeNames(string address) => _context.NoticeSection(Reader).Contains(address, StringComparison.OrdinalIgnoreCase);

        /// <summary>True when the address is the returned message's To: what we sent to, whatever else the report says.</summary>
        public bool IsReturnedTo(string address) => _returnedTo is { } to && to.Equals(address, StringComparison.OrdinalIgnoreCase);

        /// <summary>True when the notice text quotes RFC 3464 recipient fields ("Final-Recipient: rfc822; ...").</summary>
        public bool QuotesReportFields => _quotesFields ??= _context.NoticeText.Contains("Final-Recipient", StringComparison.OrdinalIgnoreCase)
            || _context.NoticeText.Contains("Original-Recipient", StringComparison.OrdinalIgnoreCase);

        private bool? _quotesFields;

        /// <summary>True when the address is on the line under the "following" heading itself.</summary>
        public bool IsListedLine(string address) => _listedLine?.Contains(address, StringComparison.OrdinalIgnoreCase) == true;

        private string? _listedLine;

        private static readonly NoticeReader Reader = new();

        private static string? NextNonEmpty(List<string> lines, int from)
        {
            for (var j = from; j < lines.Count && j < from + 3; j++)
            {
                if (lines[j].Trim() is { Length: > 0 } line)
                {
                    return line;
                }
            }

            return null;
        }
    }
}
