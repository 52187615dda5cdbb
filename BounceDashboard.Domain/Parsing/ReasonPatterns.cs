using System.Buffers;
using System.Text;
using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Phrases that name a failure reason in diagnostic text, one list per reason, matched case-insensitively.
/// Learned from the wording of the MTAs and providers in the shared corpus and their documentation. All lists are
/// searched in one pass over the text, and the phrase found is kept to name the rule ("text:userunknown:no such user").
/// </summary>
public sealed class ReasonPatterns
{
    private static readonly int ReasonCount = Enum.GetValues<BounceReason>().Max(r => (int)r) + 1;

    /// <summary>Bit per hash of the first three lower-case characters of some phrase (64 K bits, 8 KB).</summary>
    private readonly ulong[] _starts = new ulong[TableBits / 64];

    private const int TableBits = 1 << 16;

    /// <summary>The ASCII phrases in declaration order: the original spelling (the rule names it) and the reason.</summary>
    private readonly (string Phrase, BounceReason Reason)[] _phrases;

    /// <summary>The ASCII phrases, lower case, as a trie: one walk from a position finds every phrase starting there.</summary>
    private readonly PhraseTrie _trie;

    /// <summary>Whether the ASCII phrase at that index counts only as a whole word (<see cref="WholeWords"/>).</summary>
    private readonly bool[] _wholeWord;

    /// <summary>
    /// The non-ASCII phrases (Japanese, Chinese, Russian, accented Latin), searched only in text that holds characters
    /// of the same script as the phrase's first non-ASCII one: ordinally when the phrase has no upper or lower case
    /// (Japanese and Chinese have none; a case-insensitive search of non-ASCII text is slow).
    /// </summary>
    private readonly (string Phrase, BounceReason Reason, StringComparison Comparison, Script Script)[] _other;

    /// <summary>Scripts of the non-ASCII phrases, each a range of characters one vectorised search finds.</summary>
    private enum Script
    {
        Latin,
        Cyrillic,
        EastAsian,
    }

    private static Script ScriptOf(char c) => c switch
    {
        >= '\u0400' and <= '\u04FF' => Script.Cyrillic,
        >= '\u3000' => Script.EastAsian,
        _ => Script.Latin,
    };

    /// <summary>True when the text holds a character of the script.</summary>
    private static bool Holds(ReadOnlySpan<char> text, Script script) => script switch
    {
        Script.Cyrillic => text.IndexOfAnyInRange('\u0400', '\u04FF') >= 0,
        Script.EastAsian => text.IndexOfAnyInRange('\u3000', '\uFFEF') >= 0,
        _ => text.IndexOfAnyInRange('\u00C0', '\u024F') >= 0,
    };

    public ReasonPatterns()
    {
        var ascii = new List<(string, BounceReason)>();
        var other = new List<(string, BounceReason, StringComparison, Script)>();
        var trie = new PhraseTrie();
        foreach (var (reason, phrases) in Phrases)
        {
            foreach (var phrase in phrases)
            {
                if (!Ascii.IsValid(phrase))
                {
                    var caseless = phrase.All(c => char.ToUpperInvariant(c) == c && char.ToLowerInvariant(c) == c);
                    other.Add((phrase, reason, caseless ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase,
                        ScriptOf(phrase.First(c => c >= 128))));
                    continue;
                }

                if (phrase.Length < 3)
                {
                    throw new InvalidOperationException($"Reason phrase '{phrase}' is shorter than three characters.");
                }

                var lower = phrase.ToLowerInvariant();
                var key = PrefixKey(lower);
                _starts[Slot(key) >> 6] |= 1UL << (Slot(key) & 63);
                trie.Add(lower, ascii.Count);
                ascii.Add((phrase, reason));
            }
        }

        _phrases = [.. ascii];
        _wholeWord = [.. ascii.Select(p => WholeWords.Contains(p.Item1))];
        _trie = trie;
        _other = [.. other];
    }

    /// <summary>
    /// Every reason whose wording occurs in <paramref name="text"/>, with the first phrase found for it, indexed by
    /// the reason's value. One pass over a lower-cased copy: an 8 KB bit table of the phrases' first three characters
    /// rules out most positions, and from the rest one walk of a trie finds every phrase starting there.
    /// </summary>
    public string?[] Scan(ReadOnlySpan<char> text)
    {
        var hits = new string?[ReasonCount];
        char[]? rented = null;
        Span<int> matched = stackalloc int[PhraseTrie.MaxMatches];
        var lower = text.Length <= 512 ? stackalloc char[text.Length] : (rented = ArrayPool<char>.Shared.Rent(text.Length)).AsSpan(0, text.Length);
        try
        {
            // Non-ASCII characters become DEL, which begins no phrase (plain ASCII, nearly every text, is lowered at once).
            if (Ascii.ToLower(text, lower, out _) != OperationStatus.Done)
            {
                for (var i = 0; i < text.Length; i++)
                {
                    var c = text[i];
                    lower[i] = c < 128 ? (char)(c is >= 'A' and <= 'Z' ? c | 0x20 : c) : '\x7f';
                }
            }

            // The key of the three characters at i rolls along: one new character per position.
            var key = lower.Length >= 2 ? (lower[0] << 8) | lower[1] : 0;
            for (var i = 0; i + 2 < lower.Length; i++)
            {
                key = ((key << 8) | lower[i + 2]) & 0xFFFFFF;
                var slot = Slot(key);
                if ((_starts[slot >> 6] & (1UL << (slot & 63))) == 0)
                {
                    continue;
                }

                // Phrases starting here, taken in declaration order: the first declared names the rule.
                var found = _trie.Match(lower[i..], matched);
                if (found > 1)
                {
                    matched[..found].Sort();
                }

                foreach (var index in matched[..found])
                {
                    var (phrase, reason) = _phrases[index];
                    if (_wholeWord[index]
                        && ((i + phrase.Length < lower.Length && char.IsAsciiLetter(lower[i + phrase.Length])) || (i > 0 && char.IsAsciiLetter(lower[i - 1]))))
                    {
                        continue;
                    }

                    hits[(int)reason] ??= phrase;
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }

        if (!Ascii.IsValid(text))
        {
            // Which scripts the text holds, found once: a curly apostrophe alone makes a text non-ASCII.
            Span<bool> holds = [Holds(text, Script.Latin), Holds(text, Script.Cyrillic), Holds(text, Script.EastAsian)];
            foreach (var (phrase, reason, comparison, script) in _other)
            {
                if (holds[(int)script] && hits[(int)reason] is null && text.Contains(phrase, comparison))
                {
                    hits[(int)reason] = phrase;
                }
            }
        }

        return hits;
    }

    /// <summary>
    /// Phrases that count only as a whole word: the bare "spam" inside "spamhaus.org" or "spamcop.net" names a DNS
    /// blocklist (the sending host is blocked), and inside "antispam.example.net" a host, not content judged to be spam;
    /// "8bit" inside "250 8BITMIME" is a server's capability in a transcript, not bad content.
    /// </summary>
    private static readonly HashSet<string> WholeWords = new(["spam", "8bit"], StringComparer.Ordinal);

    private static int Slot(int key) => (int)((uint)(key * -1640531535) >> 16);

    private static int PrefixKey(ReadOnlySpan<char> lower) => (lower[0] << 16) | (lower[1] << 8) | lower[2];

    /// <summary>
    /// Lower-case ASCII phrases in a trie: children as sibling lists, the root's by character. <see cref="Match"/> walks
    /// the text from one position for as long as some phrase continues, so a position costs the length of its longest
    /// partial match, however many phrases share a beginning ("mail..." begins 52 of them).
    /// </summary>
    private sealed class PhraseTrie
    {
        /// <summary>Most phrases reported for one position (nested phrases: "mailbox full", "mailbox full (#5.2.2)").</summary>
        public const int MaxMatches = 16;

        private readonly int[] _rootChild = new int[128];

        /// <summary>The node two characters in, by those characters (16 K entries, 64 KB).</summary>
        private readonly int[] _twoChars = new int[128 * 128];
        private char[] _label = new char[64];
        private int[] _firstChild = new int[64];
        private int[] _nextSibling = new int[64];
        private int[]?[] _ends = new int[]?[64];
        private int _count = 1;

        /// <summary>Adds a lower-case ASCII phrase with its index.</summary>
        public void Add(string lower, int index)
        {
            var node = 0;
            for (var depth = 0; depth < lower.Length; depth++)
            {
                node = Child(node, lower[depth]) is var child and > 0 ? child : NewChild(node, lower[depth]);
                if (depth == 1)
                {
                    _twoChars[(lower[0] << 7) | lower[1]] = node;
                }
            }

            _ends[node] = [.. _ends[node] ?? [], index];

            // Match reports at most MaxMatches phrases for one position: the phrases along one path must fit.
            var along = 0;
            for (var (depth, at) = (0, 0); depth < lower.Length; depth++)
            {
                at = Child(at, lower[depth]);
                along += _ends[at]?.Length ?? 0;
            }

            if (along > MaxMatches)
            {
                throw new InvalidOperationException($"More than {MaxMatches} reason phrases begin '{lower}' at one position.");
            }
        }

        /// <summary>Writes the indexes of the phrases <paramref name="text"/> starts with; returns how many.</summary>
        public int Match(ReadOnlySpan<char> text, Span<int> indexes)
        {
            // Every phrase is at least three characters long: the walk starts two characters in, from a table.
            var count = 0;
            var node = text.Length >= 2 && text[0] < 128 && text[1] < 128 ? _twoChars[(text[0] << 7) | text[1]] : 0;
            for (var j = 2; node > 0; j++)
            {
                if (_ends[node] is { } ends)
                {
                    foreach (var index in ends)
                    {
                        if (count < indexes.Length)
                        {
                            indexes[count++] = index;
                        }
                    }
                }

                node = j < text.Length ? Child(node, text[j]) : 0;
            }

            return count;
        }

        private int Child(int node, char c)
        {
            if (node == 0)
            {
                return c < 128 ? _rootChild[c] : 0;
            }

            for (var child = _firstChild[node]; child > 0; child = _nextSibling[child])
            {
                if (_label[child] == c)
                {
                    return child;
                }
            }

            return 0;
        }

        private int NewChild(int node, char c)
        {
            if (_count == _label.Length)
            {
                Array.Resize(ref _label, _count * 2);
                Array.Resize(ref _firstChild, _count * 2);
                Array.Resize(ref _nextSibling, _count * 2);
                Array.Resize(ref _ends, _count * 2);
            }

            var child = _count++;
            _label[child] = c;
            if (node == 0)
            {
                _rootChild[c] = child;
            }
            else
            {
                _nextSibling[child] = _firstChild[node];
                _firstChild[node] = child;
            }

            return child;
        }
    }

    /// <summary>The phrase of <paramref name="reason"/> found in <paramref name="text"/>, or null.</summary>
    public string? Find(BounceReason reason, ReadOnlySpan<char> text) => Scan(text)[(int)reason];

    private static readonly (BounceReason Reason, string[] Phrases)[] Phrases =
    [
        (BounceReason.MailboxFull,
        [
            "account disabled temporarly for exceeding receiving limits", "account is exceeding their quota",
            "account is over quota", "account is temporarily over quota", "boite du destinataire pleine",
            "delivery failed: over quota", "disc quota exceeded", "disk quota exceeded", "diskspace quota",
            "does not have enough space", "exceeded storage allocation", "exceeding its mailbox quota",
            "full mailbox", "is over disk quota", "is over quota", "mail file size exceeds the maximum size allowed",
            "mail quota exceeded", "mailbox exceeded the local limit", "mailbox full", "mailbox is full",
            "mailbox has exceeded its disk space limit", "mailbox over quota", "mailbox quota usage exceeded",
            "mailbox size limit exceeded", "maildir over quota", "userdisk quota ", "domaindisk quota ",
            "mailfolder is full", "not enough disk space", "not enough storage space in",
            "not sufficient disk space", "over the allowed quota", "quota exceeded", "quota violation for",
            "recipient reached disk quota", "mailbox would exceed maximum allowed storage",
            "the user's space has been used up", "over quota", "user has exceeded quota",
            "user has too many messages on the server", "user is over the quota", "exceeded the quota",
            "exceeds its quota", "mailbox is over quota", "mailbox exceeds allowed size",
            "mailbox has exceeded the limit", "recipient's mailbox is full", "mailbox full (#5.2.2)",
            "is full and cannot accept", "out of storage space", "inbox is full", "quota full",
            "exceeded its quota", "over its quota", "storage quota", "the recipient's inbox is out of storage space",
            "user's disk quota exceeded", "mailbox size exceeded", "size of mailbox exceeded", "mailbox is over the limit",
            // Spanish, German, French, Italian, Portuguese.
            "buzón lleno", "buzon lleno", "buzón está lleno", "buzón del destinatario está lleno", "superado su cuota", "cuota excedida", "casilla llena",
            "postfach voll", "postfach ist voll", "speicherplatz überschritten", "quota überschritten", "quota erreicht",
            "boîte aux lettres pleine", "boite aux lettres pleine", "boîte pleine", "quota dépassé", "quota depasse",
            "casella piena", "casella di posta piena", "quota superata", "caixa postal cheia", "caixa de correio cheia",
            "cota excedida",
            "insufficient storage space", "storage space in mailbox", "database quota",
            // Chinese, Russian.
            "邮箱已满", "信箱已满", "邮箱空间不足", "邮箱容量", "空间已满", "ящик переполнен", "ящик полон",
            "превышена квота ящика", "превышен размер ящика",
        ]),
        (BounceReason.MesgTooBig,
        [
            "size limit exceeded",
            "exceeded maximum inbound message size", "line limit exceeded", "max message size exceeded",
            "message file too big", "message length exceeds administrative limit", "message size exceeds fixed limit",
            "message size exceeds fixed maximum message size", "message size exceeds maximum value",
            "message too big", "message too large", "taille limite du message atteinte",
            "message exceeds maximum size", "message is too large", "message size exceeds", "size exceeds the maximum",
            "message size limit", "exceeds size limit", "is larger than the maximum", "mailsize limit",
        ]),
        (BounceReason.ExceedLimit,
        [
            "message too large for this recipient", "message header size exceeds limit", "exceeds the user's limit",
        ]),
        (BounceReason.Suspend,
        [
            " is currently suspended", " temporary locked", "boite du destinataire archivee",
            "email account that you tried to reach is disabled", "has been suspended", "invalid/inactive user",
            "is a deactivated mailbox", "is unavailable: user is terminated", "mailbox currently suspended",
            "mailbox disabled", "mailbox is frozen", "recipient rejected: temporarily inactive",
            "recipient suspend the service", "this account has been disabled or discontinued",
            "this account has been temporarily suspended", "this mailbox is disabled", "user or domain is disabled",
            "user suspended", "vdelivermail: account is locked", "account disabled", "account has been disabled",
            "account is disabled", "account is inactive", "account inactive", "mailbox is inactive", "inactive account",
            "account is suspended", "account suspended", "mailbox suspended", "user is disabled", "address is disabled",
            "recipient is disabled", "account not active", "mailbox not active", "user not active",
            "address not active", "account expired", "account has expired", "administratively disabled",
            "administrativly disabled",
            "account is locked", "account has been locked", "mailbox unavailable or access denied",
            "user account is unavailable", "account that you tried to reach is inactive", "mailbox is disabled",
            "recipient is suspended", "temporarily disabled", "this account is not allowed", "is no longer active",
        ]),
        (BounceReason.HasMoved,
        [
            " has been replaced by ", "address has moved", "user has moved", "recipient has moved",
        ]),
        (BounceReason.NoRelaying,
        [
            "email address is not verified",
            "as a relay", "insecure mail relay", "is not permitted to relay through this server without authentication",
            "mail server requires authentication when attempting to send to a non-local e-mail address",
            "no relaying", "not a gateway", "not allowed to relay through this machine",
            "not an open relay, so get lost", "not local host", "relay access denied", "relay denied",
            "relay not permitted", "relaying denied", "relaying mail to ", "unable to relay for",
            "we don't handle mail for", "relay prohibited", "relaying not allowed", "relay not allowed",
            "we do not relay", "this system is not configured to relay mail", "relaying prohibited",
            "unable to relay", "not permitted to relay", "that domain isn't in my list of allowed rcpthosts",
        ]),
        (BounceReason.AuthFailure,
        [
            "unauthenticated email from",
            "//spf.pobox.com", "bad spf records for", "dmarc policy", "please inspect your spf settings",
            "sender policy framework (spf) fail", "sender policy framework violation",
            "spf (sender policy framework) domain authentication fail", "spf check: fail", "spf: fail",
            "unauthenticated email is not accepted", "did not pass dmarc", "dmarc verification fail",
            "is not allowed to send mail from", "not designated as permitted sender", "spf fail",
            "failed spf", "spf validation", "dkim signature", "dkim validation", "dkim check",
            "dmarc", "sender policy framework", "authentication checks", "is not authorized to send email on behalf",
            "does not designate", "spf-fail", "spf check failed", "sender authentication failed",
            "did not pass authentication", "unauthenticated mail", "authentication failure for your domain",
            "domain authentication", "5.7.26", "5.7.509", "5.7.23", "5.7.24",
            "listed in the spf record", "does not pass spf", "not pass spf", "sender is unauthenticated", "spf or dkim",
            "spf and dkim", "required authentication level",
        ]),
        (BounceReason.UserUnknown,
        [
            "ディレクトリのリストにありません", "ディレクトリには見つかりません", "user not listed in public name & address book",
            "recipient address rejected.", "#5.1.0 address rejected",
            "recipient address rejected: access denied",
            "not listed in domino directory", "not listed in public name & address book", "not listed in",
            "#5.1.1 bad address", "<> invalid sender", "address does not exist", "address unknown",
            "can't accept user", "destination addresses were unknown", "destination server rejected recipients",
            "email address does not exist", "email address could not be found", "invalid address",
            "invalid mailbox", "invalid recipient", "is not a known user", "is not a valid mailbox",
            "is not an active address at this host", "mailbox does not exist", "mailbox invalid",
            "mailbox is unavailable", "mailbox not present", "mailbox not found", "mailbox unavaiable",
            "nessun utente simile in questo indirizzo", "no account by that name here", "no existe dicha persona",
            "no existe ese usuario", "no mail box available for this user", "no mailbox by that name is currently available",
            "no mailbox found", "no such address here", "no such mailbox", "no such person at this address",
            "no such recipient", "no such user", "no thank you rejected: account unavailable", "no valid recipients",
            "not a valid recipient", "not a valid user here", "not a local address", "not email addresses",
            "recipient address rejected: invalid user", "recipient address rejected: invalid-recipient",
            "recipient address rejected: unknown user", "recipient address rejected: userunknown",
            "recipient address rejected: user unknown", "recipient does not exist", "recipient is not local",
            "recipient not exist", "recipient not found", "recipient not ok", "recipient unknown",
            "requested action not taken: mailbox unavailable", "resolver.adr.recipnotfound", "recipientnotfound",
            "sorry, user unknown", "sorry, badrcptto", "sorry, no mailbox here by that name",
            "sorry, your envelope recipient has been denied", "the email account that you tried to reach does not exist",
            "the following recipients was undeliverable", "the user's email name is not found",
            "there is no one at this address", "this address no longer accepts mail",
            "this email address is wrong or no longer valid", "this recipient is in my badrecipientto list",
            "this recipient is not in my validrcptto list", "this spectator does not exist", "unknown mailbox",
            "unknown recipient", "unknown user", "user does not exist", "user missing home directory",
            "user not exist", "user not found", "user not known", "user unknown", "utilisateur inconnu",
            "invalid or unknown virtual user", "your envelope recipient is in my badrcptto list",
            "mailbox unavailable", "no mailbox here by that name", "doesn't have a", "does not have an account",
            "user doesn't exist", "no such account",
            "invalid recipient address", "mailbox not available", "does not exist here",
            "address not found", "not our customer", "unknown address", "not a valid mailbox", "user is unknown",
            "undeliverable address", "bad destination mailbox address",
            "the recipient address is not valid", "couldn't be found", "could not be found", "was not found",
            "mailbox unknown", "mailbox is not found", "unknown local part", "recipient invalid",
            "no mailbox", "user invalid", "is not a valid user", "adresse d au moins un destinataire invalide",
            "destinataire inconnu", "no such local user", "unknown or illegal alias", "does not exist",
            // Spanish, German, Italian, Portuguese, French.
            "usuario desconocido", "usuario no existe", "usuario inexistente", "destinatario desconocido",
            "benutzer unbekannt", "unbekannter benutzer", "empfänger unbekannt", "unbekannter empfänger",
            "benutzer existiert nicht", "postfach existiert nicht", "utente sconosciuto", "utente inesistente", "destinatario sconosciuto",
            "usuário desconhecido", "usuário inexistente", "destinatário desconhecido", "adresse inconnue",
            "addressee unknown",
            // Chinese, Russian.
            "地址不存在", "用户不存在", "邮箱不存在", "收件人不存在", "帐号不存在", "账号不存在", "账户不存在",
            "нет такого пользователя", "пользователь не найден", "пользователь не существует", "адрес не существует",
            "ящик не существует", "неизвестный пользователь",
            // Lotus Notes / Domino in Japanese: "not in the directory list", "not found in the Domino directory".
            "ディレクトリのリストにありません", "ディレクトリには見つかりません",
        ]),
        (BounceReason.Filtered,
        [
            "because the recipient is only accepting mail from specific email addresses", "bounced address",
            "due to extended inactivity new mail is not currently being accepted for this mailbox",
            "has restricted sms e-mail", "is not accepting any mail", "refused due to recipient preferences",
            "resolver.rst.notauthorized", "this account is protected by", "user refuses to receive this mail",
            "user reject", "we failed to deliver mail because the following address recipient id refuse to receive mail",
            "you have been blocked by the recipient", "recipient refuses",
            "not authorized to send to this recipient", "not allowed to send to", "rejected by mailbox filter",
            "recipient has blocked", "blocked by the recipient", "the recipient does not accept",
            "refuse to receive", "mail was rejected by the recipient's filter", "recipient's mail filter", "envelope blocked",
            "rejected by recipient", "receiving settings", "reception settings", "拒收",
            // RFC 5429 Sieve reject, as Dovecot Pigeonhole words it: the recipient's own rules refused the message.
            "> was automatically rejected:",
        ]),
        (BounceReason.RequirePtr,
        [
            "mismatches client ip", "unverifyable sending ip", "unverifiable sending ip",
            "access denied. ip name lookup failed", "all mail servers must have a ptr record",
            "bad dns ptr resource record", "cannot find your hostname", "cannot resolve your address",
            "client host rejected: cannot find your hostname", "fix reverse dns for ", "ips with missing ptr records",
            "no ptr record found", "please get a custom reverse dns name from your isp for your host",
            "ptr record setup", "reverse dns failed", "reverse dns required", "sender ip reverse lookup rejected",
            "does not have a ptr record", "the corresponding forward dns entry does not point to the sending ip",
            "this system will not accept messages from servers/devices with no reverse dns",
            "unresolvable relay host name", "we do not accept mail from hosts with dynamic ip or generic dns ptr-records",
            "cannot find your reverse hostname", "reverse hostname", "no reverse dns", "reverse dns lookup failed",
            "(ptr) record", "valid reverse dns", "reverse dns lookup",
           
           
           
        ]),
        (BounceReason.NotCompliantRfc,
        [
            "messages with multiple addresses in from",
            "duplicate headers",
            "this message is not rfc 5322 compliant", "rfcmessagenoncompliant", "not rfc 5322 compliant",
            "multiple addresses in from: header are not accepted", "not rfc compliant", "not rfc 5322",
        ]),
        (BounceReason.BadReputation,
        [
            "temporarily deferred due to unexpected volume or user complaints",
            "has been temporarily rate limited due to ip reputation", "ip/domain reputation problems",
            "likely suspicious due to the very low reputation", "poor email reputation score",
            "sending mta's poor reputation", "low reputation", "ip reputation", "domain reputation",
            "reputation of the sending", "bad reputation", "poor reputation",
            "deferred due to user complaints",
        ]),
        (BounceReason.Rejected,
        [
            "'send mail as'", "you're sending this from a different address or alias",
            "an address that has been blacklisted", "can't determine purported responsible address",
            "batv failed to verify", "batv validation failure", "backscatter protection detected an invalid or expired email address",
            "bogus mail from", "connections not accepted from servers without a valid sender domain",
            "denied by secumail valid-address-filter", "domain of sender address ", "email address is on senderfilterconfig list",
            "emetteur invalide", "empty email address", "empty envelope senders not allowed",
            "from: domain is invalid", "fully qualified email address required", "invalid domain, see <url:",
            "invalid sender", "is not a registered gateway user", "mail from not owned by user",
            "mailfrom domain is listed in spamhaus", "null sender is not allowed", "returned mail not accepted here",
            "rfc 1035 violation", "sender address has been blacklisted", "sender email address rejected",
            "sender is spammer", "sender not pre-approved", "sender rejected", "sender domain is empty",
            "sender verify failed", "the message has been rejected by batv defense", "this server does not accept mail from",
            "transaction failed unsigned dsn for", "unroutable sender address", "you are not allowed to post to this mailing list",
            "your access to submit messages to this e-mail system has been rejected", "your email address has been blacklisted",
            "sender address rejected", "sender address does not exist", "sender domain does not exist",
            "sender verification failed", "sender address is blocked", "sender denied", "sender blocked",
            "domain of sender", "sender unknown", "bad sender", "unknown sender", "sender is not allowed",
            "sender address not", "mail from address", "envelope sender", "invalid from", "sender domain",
            "address verification failed", "could not verify sender", "sender verify", "sender is on",
            "senders are not allowed", "sender not allowed", "sender's address", "not accepting mail from",
            "sender address must exist", "rejected because your sender", "sender not authorized",
        ]),
        (BounceReason.HostUnknown,
        [
            "domain does not exist", "domain is not reachable", "domain must exist", "domain not found",
            "host or domain name not found", "host unknown", "mail domain mentioned in email address is unknown",
            "name or service not known", "no such domain", "recipient address rejected: unknown domain name",
            "recipient domain must exist", "the account or domain may not exist", "unknown host",
            "unroutable address", "unrouteable address", "all relevant mx records point to non-existent hosts",
            "recipient address rejected: domain not found", "host not found", "domain unknown", "unknown domain",
            "no such host", "nxdomain", "domain name not found", "bad destination host",
            "dns lookup failed", "couldn't find any host named", "no mx or a record", "domain does not resolve",
            "hostname does not exist",
        ]),
        (BounceReason.SpamDetected,
        [
            "rejected due to spam classification",
            "message content rejected", "ube, id=",
            " - spam", "spamhaus.org/help/help_spam", "appears to be unsolicited", "blacklisted url in message",
            "block for spam", "blocked by policy: no spam please", "blocked by spamassassin", "classified as **spam**",
            "content filter rejection", "identified this email as a bulk email", "denied due to spam list",
            "high probability of spam", "is classified as spam", "listed in work.drbl", "detected your message as spam",
            "mail appears to be unsolicited", "mail content denied", "may consider spam", "message considered as spam",
            "message contains spam", "message detected as spam", "message filtered",
            "message flagged as spam", "seems to be a spam", "message looks like spam", "message rejected as spam",
            "suspected spam", "mailmarshal spamprofiler", "our filters rate at and above", "probable spam",
            "reject bulk.advertising", "rejected by the spam filter", "rejected because of spam", "rejected as spam",
            "rejected due to spam", "spamassassin score", "rejected - spam", "rejecting banned content",
            "spam-like characteristics", "sending address not accepted due to spam filter", "spam blocked",
            "spam check", "spam content", "spam detected", "spam email", "spam message", "spam not accepted",
            "spam refused", "spam rejection", "spam score", "spambouncer identified spam", "spamming not allowed",
            "too many spam complaints", "too much spam", "detected as spam", "rejected by spam filtering",
            "classification as bulk mail", "looked like spam", "classified as spam", "flagged as spam",
            "recurrent pattern detection system", "spam message not queued", "we dont accept spam",
            "similar to spam", "uribl", "spam-like", "considered spam", "probably spam", "appears to be spam",
            "triggered a spam block", "spam contents", "antispam checks", "looks like spam", "as spam",
            "spam filter", "is spam", "bulk mail", "spamassassin", "spamfilter", "dt:spm", "垃圾邮件", "spam",
        ]),
        (BounceReason.Speeding,
        [
            "unusual rate of", "temporarily rate limited", "receiving mail too quickly", "too quickly",
            "frequency limited", "sending quota", "daily message quota", "sender over quota", "sent too many messages",
            "sending limit",
            "please try again slower", "receiving mail at a rate that prevents additional messages from being delivered",
            "sending rate", "rate that prevents", "try again slower", "slow down", "too many messages in a short time",
        ]),
        (BounceReason.TooManyConn,
        [
            "all available ips are at maximum connection limit", "connection rate limit exceeded",
            "exceeds per-domain connection limit", "has exceeded the max emails per hour",
            "throttling failure: daily message quota exceeded", "throttling failure: maximum sending rate exceeded",
            "too many connections", "too many concurrent smtp connections", "too many errors from your ip",
            "too many recipients", "too many smtp sessions", "trop de connexions", "too many simultaneous",
            "too many messages", "connection limit", "too many sessions", "rate limit", "concurrent connections",
        ]),
        (BounceReason.Blocked,
        [
            "my name was rejected", "access denied (in reply to",
            "is listed in", "listed in rbl", "listed on rbl", "dnsbl listed", "missing reverse dns", "blacklisted ip", "ip is blacklisted", "has been blacklisted",
            "access denied (in reply to rcpt to command)", "access denied (sender blacklisted)",
            "bad sender ip address", "banned sending ip", "blacklisted by", "blocked using ", "blocked - see http",
            "client host rejected: abus detecte", "client host rejected: may not be mail exchanger",
            "client host rejected: was not authenticated", "confirm this mail server", "connection dropped",
            "connection refused by", "connection was dropped by remote host",
            "connections not accepted from ip addresses on spamhaus", "currently sending spam see: ",
            "dnsbl:", "esmtp not accepting connections", "extreme bad ip profile", "hostname does not match",
            "host network not allowed", "invalid ip for sending mail of domain", "is in a black list",
            "is in an rbl on rbl.", "is not allowed to send mail from", "mail receiving disabled",
            "no access from mail server", "not currently accepting mail from your ip",
            "part of their network is on our block list", "please use the smtp server of your isp",
            "refused - see http", "rejected - the sending mta", "rejected because the sending mta",
            "rejected because message from ip", "rejected by spamhaus", "rejected for policy reasons",
            "rejecting open proxy", "sender ip address rejected", "server access ", "service permits unauthenticated smtp",
            "sorry, your remotehost looks suspiciously like spammer", "to submit messages to this e-mail system has been rejected",
            "too many spams from your ip", "too many unwanted messages have been sent from the following ip address",
            "was blocked by ", "we do not accept mail from dynamic ips", "you are not allowed to connect",
            "you are sending spam", "your ip address is listed", "your network is temporary blacklisted",
            "your server requires confirmation", "blocklist", "block list", "blacklist",
            "dnsbl", "spamcop", "spamhaus", "sorbs",
            "ip address has been blocked", "your ip", "ip blocked", "blocked ip", "dynamic ip", "dynamic ip address",
            "client host rejected", "client host blocked", "not allowed to send mail",
            "your host", "blocked by", "has been blocked", "is blocked",
            "refused to talk to me", "we do not accept", "helo command rejected", "ehlo rejected", "helo rejected",
            "has been temporarily deferred", "not accepting connections", "rejected - see", "poor reputation",
            "server not allowed", "host is not allowed", "your e-mail is redundant",
            "will be permanently deferred", "traffic not accepted from", "dynamically-assigned ip", "dynamically assigned ip",
        ]),
        (BounceReason.VirusDetected,
        [
            "it has a potentially executable attachment", "message was infected with", "prohibited virus",
            "this form of attachment has been used by recent viruses", "virus detected", "malicious_url detected",
            "infected with a virus", "virus found", "contains a virus", "virus", "malware",
            // amavisd-new: "554 5.7.0 Reject, id=... - INFECTED: Eicar-Signature".
            " - infected",
        ]),
        (BounceReason.PolicyViolation,
        [
            "content presents a potential security issue",
            "header error",
            "because the recipient is not accepting mail with ", "closed mailing list", "denied by policy",
            "email not accepted for policy reasons", "email rejected due to security policies",
            "header are not accepted", "local policy violation", "message bounced due to organizational settings",
            "message given low priority", "message not accepted for policy reasons",
            "protocol violation", "the email address used to send your message is not subscribed to this group",
            "rejected by organization policy", "content presents a security issue", "without solving a captcha",
            "violates our policy", "policy reasons", "blocked by policy", "policy rejection",
            "content policy", "rejected by policy", "administrative prohibition", "prohibited attachment",
            "attachment not allowed", "banned attachment", "policy restrictions",
            // amavisd-new's banned file names; Office 365 refusing to forward outside the organisation (5.7.520).
            " - banned:", "external forwarding", "file type that is not permitted", "file type not allowed",
            "due to local policy",
        ]),
        (BounceReason.SecurityError,
        [
            "smtp authentication", "turn on smtp authentication",
            "account not subscribed to ses", "authentication credentials invalid", "authentication failure",
            "authentication required", "authentication turned on in your email client",
            "executable files are not allowed in compressed files", "insecure mail relay",
            "sorry, you don't authenticate or the domain isn't in my list of allowed rcpthosts",
            "tls required but not supported", "unauthenticated senders not allowed", "verification failure",
            "you are not authorized to send mail, authentication is required", "user not authenticated",
            "must issue a starttls command first", "authentication failed", "must be authenticated",
            "encryption required", "tls required", "starttls", "ssl required", "certificate",
            "not authorized", "authentication is required", "auth required", "must authenticate",
            "smtpclientauthentication is disabled", "client was not authenticated", "authentication unsuccessful",
            "tls is required",
        ]),
        (BounceReason.SystemError,
        [
            "aliasing/forwarding loop broken", "can't create user output file", "could not load drd for domain",
            "internal error reading data", "internal server error", "interrupted system call",
            "it encountered an error while being processed", "it would create a mail loop", "local configuration error",
            "local error in processing", "loop was found in the mail exchanger", "loops back to myself",
            "mail system configuration error", "recipient deferred because there is no mdb", "remote server is misconfigured",
            "server configuration error", "service currently unavailable", "system config error", "temporary local problem",
            "timeout waiting for input", "internal error", "system error", "server error", "configuration error",
            "local error", "temporary problem", "unexpected error", "queue file write error", "cannot update mailbox",
           
        ]),
        (BounceReason.NetworkError,
        [
            "too many hops", "network error", "mail loop",
            "wasn't able to establish an smtp connection", "host not found, try again", "name server reply",
            "dns query failed",
            "could not connect and send the mail to", "dns records for the destination computer could not be found",
            "hop count exceeded", "host is unreachable", "host name lookup failure", "host not found, try again",
            "mail forwarding loop for ", "malformed name server reply", "malformed or unexpected name server reply",
            "maximum forwarding loop count exceeded", "message looping", "message probably in a routing loop",
            "no route to host", "unable to resolve route ", "unrouteable mail domain", "name service error",
            "network is unreachable", "lost connection", "connection reset",
            "dns error", "dns failure", "temporary lookup failure", "routing loop",
            "mail loop detected", "could not connect", "connection closed", "no answer from",
        ]),
        (BounceReason.ContentError,
        [
            "duplicate header",
            "charset not supported", "header line format error", "illegal attachment on your message",
            "malformed mime header", "message header size, or recipient list, exceeds policy limit",
            "message mime complexity exceeds the policy maximum", "routing loop detected -- too many received: headers",
            "this message contain invalid mime headers", "improperly-formatted binary content",
            "unnecessary base64 encoding", "invalid mime", "bad mime", "mime error", "message content error",
            "content error", "8-bit", "8bit", "binary content", "invalid header",
        ]),
        (BounceReason.SystemFull,
        [
            "mail system full", "insufficient system storage", "disk full", "system full", "out of disk space", "insufficient disk space",
            "no space left on device",
        ]),
        (BounceReason.NotAccept,
        [
            "couldn't find a mail exchanger or ip address", "no smtp service", "an mx or srv record indicated no smtp service",
            "does not accept mail (nullmx)", "host/domain does not accept mail", "host does not accept mail",
            "no mx record found for domain=", "no route for current request",
            "smtp protocol returned a permanent error", "recipient domain does not accept mail", "does not accept mail",
            "null mx", "nullmx", "not accepting mail", "accepts no mail",
        ]),
        (BounceReason.Expired,
        [
            "could not deliver for the last",
            "connection timed out", "timed out", "message expired after",
            "retry timeout exceeded", "all hosts have been failing for a long time",
            "could not find a gateway for", "delivery attempts will continue to be", "delivery expired",
            "have been failing for a long time",
            "delivery time expired", "failed to deliver to domain ", "giving up on", "has been delayed",
            "it has not been collected after", "message could not be delivered for more than",
            "message has been in the queue too long", "message timed out",
            "retry time not reached for any host after a long failure period", "server did not respond",
            "this message has been in the queue too long", "unable to deliver message after multiple retries",
            "was not reachable within the allowed queue period", "retry timeout exceeded", "queue too long",
            "could not be delivered for", "too long in queue", "expired", "maximum time", "retry period",
            "no longer retry", "give up", "gave up", "not been delivered", "delay", "queue lifetime",
        ]),
        (BounceReason.MailerError,
        [
            " || exit ", "procmail: ", "bin/procmail", "bin/maidrop", "command failed: ", "command died with status ",
            "command output:", "mailer error", "pipe to |/", "x-unix; ", "local delivery failed", "exit code",
            "unknown mailer error", "mailer failed", "error in delivery program",
        ]),
        (BounceReason.SyntaxError,
        [
            "syntax error", "command unrecognized", "command not recognized", "unrecognized command",
            "bad sequence of commands", "syntax error in parameters", "line too long",
        ]),
    ];
}
