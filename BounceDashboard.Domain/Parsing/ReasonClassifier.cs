using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// The one place that decides: turns a recipient's evidence (status code, reply code, diagnostic text, action, SMTP
/// command, the format's own explicit class) into the reason, the class (permanent or transient), hard, and the rule
/// that decided. The rules are tried in the numbered order of <see cref="Decide"/>, documented with each reason's
/// evidence in docs/decisions/bounce-reasons.md; the formats' own codes mean what ReasonClassifier.FormatCodes.cs says.
/// </summary>
public sealed partial class ReasonClassifier(ReasonPatterns patterns, SmtpCodeFinder codes, ProviderRules providers)
{
    /// <summary>Reasons checked first, by status code or wording: the more specific evidence wins.</summary>
    private static readonly BounceReason[] FirstPass =
    [
        BounceReason.MailboxFull, BounceReason.MesgTooBig, BounceReason.ExceedLimit, BounceReason.Suspend,
        BounceReason.HasMoved, BounceReason.NoRelaying, BounceReason.AuthFailure, BounceReason.RequirePtr,
        BounceReason.UserUnknown, BounceReason.Filtered, BounceReason.NotCompliantRfc, BounceReason.BadReputation,
        BounceReason.Speeding, BounceReason.Rejected, BounceReason.HostUnknown, BounceReason.SpamDetected,
        BounceReason.TooManyConn, BounceReason.Blocked,
    ];

    /// <summary>Reasons tried on the wording when neither the first pass nor the status code decided.</summary>
    private static readonly BounceReason[] SecondPass =
    [
        BounceReason.MailboxFull, BounceReason.AuthFailure, BounceReason.BadReputation, BounceReason.Speeding,
        BounceReason.SpamDetected, BounceReason.VirusDetected, BounceReason.PolicyViolation, BounceReason.NoRelaying,
        BounceReason.SystemError, BounceReason.NotAccept, BounceReason.NetworkError, BounceReason.Suspend,
        BounceReason.ContentError, BounceReason.SystemFull, BounceReason.Expired, BounceReason.SecurityError,
        BounceReason.MailerError, BounceReason.SyntaxError,
    ];

    /// <summary>Turns evidence into a classified recipient.</summary>
    public BounceRecipient Classify(RecipientEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var diagnostic = Normalise(evidence.Diagnostic);
        var failed = evidence.Action is DeliveryAction.Failed or DeliveryAction.Delayed;
        var found = codes.FindStatuses(diagnostic, 4, failuresOnly: failed);
        var reply = evidence.ReplyCode ?? codes.FindReply(diagnostic, failuresOnly: failed);
        var statusText = PreferStatus(evidence.Status, found, reply);
        if (evidence.ReplyCode is null && statusText is not null && found.Count > 1 && found[0] != statusText)
        {
            // The reply that carried the chosen code ("... <421 4.4.2 Connection timed out>").
            reply = codes.FindReplyBefore(diagnostic, statusText) ?? reply;
        }
        var hasStatus = EnhancedStatusCode.TryParse(statusText, out var status);

        var (reason, rule) = Decide(evidence, hasStatus ? status : null, reply, diagnostic);

        if (reason is BounceReason.Feedback or BounceReason.Vacation)
        {
            return new BounceRecipient(evidence.Address, evidence.Action, null, reply ?? string.Empty, diagnostic,
                evidence.RemoteMta, reason, false, false, rule, evidence.FeedbackType)
            {
                Stage = evidence.KnownCommand,
            };
        }

        var (transient, classFrom, classText) = ClassOf(evidence, hasStatus ? status : null, reply, diagnostic);
        if (!hasStatus)
        {
            // A bare SMTP reply refusing our sender at MAIL FROM (a rejected sender, a failed rDNS check) names no
            // recipient-side detail: the code stays the undecided one (x.0.901).
            var senderRefusal = reply is not null && reason is BounceReason.Rejected or BounceReason.RequirePtr
                && evidence.Command == "MAIL";
            status = StatusCodes.Private(senderRefusal ? BounceReason.OnHold : reason, transient);
        }

        // A delay notice is never a permanent failure, whatever code it carries (OpenSMTPD's delays use class-5 codes).
        var permanent = status.IsPermanent && evidence.Action != DeliveryAction.Delayed;
        return new BounceRecipient(evidence.Address, evidence.Action, status, reply ?? string.Empty, diagnostic,
            evidence.RemoteMta, reason, permanent, BounceReasons.IsHard(reason, permanent), rule, evidence.FeedbackType)
        {
            Stage = evidence.KnownCommand,
            ClassFrom = classFrom,
            ClassText = classText,
        };
    }

    private (BounceReason Reason, string Rule) Decide(RecipientEvidence e, EnhancedStatusCode? status, string? reply, string? diagnostic)
    {
        // 1. The format's own fixed wording that names the reason (its table: ReasonClassifier.FormatCodes.cs).
        var formatCode = FormatReason(e);
        if (formatCode is ({ Weight: Weight.Decisive } sure, var sureRule))
        {
            return (sure.Reason, sureRule);
        }

        // 2. Success: a delivered (relayed, expanded) action or a 2.x.x status.
        if (e.Action is DeliveryAction.Delivered or DeliveryAction.Relayed or DeliveryAction.Expanded
            || status is { IsSuccess: true })
        {
            return (BounceReason.Delivered, "action:delivered");
        }

        // 3. A large provider's private code (ProviderRules: Orange, Yahoo, Cox, GoDaddy, docomo, au, Mimecast).
        if (providers.Decide(e.RemoteMta, diagnostic, status?.ToString(), () => e.Command, e.Address) is { } provider)
        {
            return provider;
        }

        // 4. A failed callout verifying our sender: every code in it is about our sender, never the recipient.
        var text = diagnostic.AsSpan();
        if (SenderVerification(text) is { } verification)
        {
            return (BounceReason.Rejected, "text:rejected:" + verification);
        }

        var byStatus = status is { } s ? StatusCodes.ReasonOf(s) : null;
        var hits = patterns.Scan(text);

        // 5. The specific reasons, in FirstPass order, each by its status code (StatusCodes.ReasonOf) or its wording
        //    (ReasonPatterns), with the stage rules for unknown users and filters.
        foreach (var reason in FirstPass)
        {
            if (reason == BounceReason.UserUnknown)
            {
                if (byStatus is null && NamesHost(text, hits[(int)BounceReason.UserUnknown]) is { } hostRule && e.Command != "MAIL")
                {
                    return (BounceReason.HostUnknown, hostRule);
                }

                if (UserUnknown(e, status, byStatus, hits) is { } userRule)
                {
                    return (BounceReason.UserUnknown, userRule);
                }

                continue;
            }

            if (reason == BounceReason.Filtered)
            {
                if (Filtered(e, status, byStatus, hits) is { } filterRule)
                {
                    return (BounceReason.Filtered, filterRule);
                }

                continue;
            }

            if (reason == BounceReason.HostUnknown && YieldsToNetwork(text, hits))
            {
                continue;
            }

            if (byStatus == reason)
            {
                return (reason, "status:" + status);
            }

            if (Overruled(reason, byStatus, hits[(int)BounceReason.SpamDetected] is "message content rejected", hits))
            {
                continue;
            }

            var phrase = hits[(int)reason];
            if (phrase is not null)
            {
                // The same wording after MAIL FROM is about our sender address, not the recipient.
                if (reason == BounceReason.HostUnknown && e.Command == "MAIL")
                {
                    return (BounceReason.Rejected, "command:mail+text:hostunknown:" + phrase);
                }

                return (reason, "text:" + reason.ToCode() + ":" + phrase);
            }
        }

        // 6. Wording about a mailbox or domain that does not exist, said in reply to MAIL FROM, is about our sender.
        if ((hits[(int)BounceReason.UserUnknown] ?? hits[(int)BounceReason.HostUnknown]) is { } senderPhrase && e.Command == "MAIL")
        {
            return (BounceReason.Rejected, "command:mail+text:" + senderPhrase);
        }

        // 7. The format's code for a stage or a broad class (Gmail's "state 14", SES's bounceSubType).
        if (formatCode is ({ Weight: Weight.Fallback } fallback, var fallbackRule))
        {
            return (fallback.Reason, fallbackRule);
        }

        // 8. The broader wording, in SecondPass order.
        foreach (var reason in SecondPass)
        {
            if (Overruled(reason, byStatus, hits[(int)BounceReason.SpamDetected] is "message content rejected", hits))
            {
                continue;
            }

            var phrase = hits[(int)reason];
            if (phrase is not null)
            {
                return (reason, "text:" + reason.ToCode() + ":" + phrase);
            }
        }

        // 9. The status code alone.
        if (byStatus is { } statusReason)
        {
            return (statusReason, "status:" + status);
        }

        // 10-14. Last resorts: the action (delayed means expired), a 5.7.0/5.7.1 no wording explained, the SMTP
        //        stage, a syntax-error reply; then "on hold" when there is text and "undefined" when there is none.
        // 10. A delay notice no rule explained.
        if (e.Action == DeliveryAction.Delayed)
        {
            return (BounceReason.Expired, "action:delayed");
        }

        // 11. A security-class code no wording explained.
        if (status is { } code && StatusCodes.LastResortOf(code) is { } lastResort && e.Command is not ("HELO" or "EHLO" or "CONN" or "MAIL"))
        {
            return (lastResort, "status:" + code + ":last-resort");
        }

        // 12. The stage: the greeting or HELO (blocked), MAIL FROM (our sender rejected).
        if (e.Command is "HELO" or "EHLO" or "CONN")
        {
            return (BounceReason.Blocked, "command:" + e.Command);
        }

        // RFC 5321 §3.3: MAIL FROM names only the sender, so a refusal there that no wording explains
        // ("550 5.7.1 Access denied (in reply to MAIL FROM command)") is a refusal of our sender.
        if (e.Command == "MAIL")
        {
            return (BounceReason.Rejected, "command:MAIL");
        }

        // 13. RFC 5321 §4.2.2: 500-504 are syntax errors (command or parameters not recognised or not implemented).
        if (reply is "500" or "501" or "502" or "503" or "504")
        {
            return (BounceReason.SyntaxError, "reply:" + reply);
        }

        // 14. Text no rule explains: on hold; no text at all: undefined.
        return string.IsNullOrEmpty(diagnostic)
            ? (BounceReason.Undefined, "none")
            : (BounceReason.OnHold, "text:unrecognised");
    }

    /// <summary>Wording that calls a failure temporary, when no code says which class it is.</summary>
    private static readonly string[] TemporaryWording =
    [
        "temporary failure", "temporary error", "temporary problem", "temporarily", "try again later",
        "will be retried", "will retry", "will continue to be made", "still trying",
    ];

    /// <summary>Wording that calls a failure permanent, when no code says which class it is.</summary>
    private static readonly string[] PermanentWording =
    [
        "permanent failure", "permanent error", "permanent fatal", "permanently", "giving up", "not going to try again",
        "will not be retried",
    ];

    /// <summary>
    /// Whether a failure is transient (class 4) and what said so. Certain failures always get a class, whatever the
    /// reason: the status code; else the reply code (the one found, or the one the diagnostic opens with); else the
    /// format's own words (SES's bounceType, Gmail's "temporary failure"); else the diagnostic's wording ("temporary
    /// failure", "giving up"). Only when nothing says which does the class default to permanent (the corpus's
    /// convention for notices without a code: class.0.9xx with class 5).
    /// </summary>
    private static (bool Transient, ClassSource From, string? Text) ClassOf(RecipientEvidence e, EnhancedStatusCode? status, string? reply, string? diagnostic)
    {
        if (status is { } s)
        {
            return (s.IsTransient, ClassSource.Status, null);
        }

        if (reply is ['4', ..])
        {
            return (true, ClassSource.Reply, reply);
        }

        if (e.Explicit is { Temporary: true })
        {
            return (true, ClassSource.Notice, null);
        }

        if (reply is ['5', ..])
        {
            return (false, ClassSource.Reply, reply);
        }

        if (diagnostic is [var first and ('4' or '5'), >= '0' and <= '9', >= '0' and <= '9', ..] && (diagnostic.Length == 3 || !char.IsAsciiDigit(diagnostic[3])))
        {
            return (first == '4', ClassSource.Reply, diagnostic[..3]);
        }

        if (e.Explicit is { Temporary: false })
        {
            return (false, ClassSource.Notice, null);
        }

        if (diagnostic is not null)
        {
            var temporary = FirstOf(diagnostic, TemporaryWording);
            var permanent = FirstOf(diagnostic, PermanentWording);
            if (temporary is not null && permanent is null)
            {
                return (true, ClassSource.Wording, temporary);
            }

            if (permanent is not null && temporary is null)
            {
                return (false, ClassSource.Wording, permanent);
            }
        }

        return (false, ClassSource.Default, null);
    }

    private static string? FirstOf(string text, string[] phrases)
    {
        foreach (var phrase in phrases)
        {
            if (text.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return phrase;
            }
        }

        return null;
    }

    /// <summary>Wording of a failed check of our sender by a callout to our own server.</summary>
    private static readonly string[] SenderVerificationPhrases =
    [
        "sender verify failed", "sender verification failed", "could not verify sender", "sender address verification failed",
    ];

    /// <summary>
    /// A receiving server verified our sender by calling back and failed (Exim's "Sender verify failed", with the
    /// callback's own "550-Response: 550 5.1.1 ... User unknown" quoted). Every code and phrase in such a reply is
    /// about our sender address, so it must never read as an unknown recipient; null when the text says no such thing.
    /// </summary>
    private static string? SenderVerification(ReadOnlySpan<char> text)
    {
        // Every phrase says "verif": one search rules out nearly every text.
        if (!text.Contains("verif", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var phrase in SenderVerificationPhrases)
        {
            if (text.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return phrase;
            }
        }

        return null;
    }

    /// <summary>
    /// Broad wording that gives way: to a status naming a different specific reason (5.2.3 exceed limit over "message
    /// size exceeds", 5.6.x content over "message content rejected"), and "quota exceeded" to a sending quota.
    /// </summary>
    private static bool Overruled(BounceReason reason, BounceReason? byStatus, bool weakSpam, string?[] hits) =>
        (reason == BounceReason.MesgTooBig && byStatus == BounceReason.ExceedLimit)
        // "Daily sending quota exceeded" is our sending volume, not the recipient's mailbox.
        || (reason == BounceReason.MailboxFull && hits[(int)BounceReason.Speeding] is { } rate && rate.Contains("quota", StringComparison.Ordinal))
        || (reason == BounceReason.SpamDetected && byStatus == BounceReason.ContentError && weakSpam);

    private static bool YieldsToNetwork(ReadOnlySpan<char> text, string?[] hits) =>
        text.Contains("name server reply", StringComparison.OrdinalIgnoreCase)
        || text.Contains("dns error", StringComparison.OrdinalIgnoreCase)
        || text.Contains("try again", StringComparison.OrdinalIgnoreCase)
        || text.Contains("lookup failure", StringComparison.OrdinalIgnoreCase)
        || hits[(int)BounceReason.NotAccept] is not null;

    /// <summary>User-unknown phrases that say only that something is missing, so what is missing decides.</summary>
    private static readonly string[] MissingPhrases = ["does not exist", "couldn't be found", "could not be found", "was not found"];

    /// <summary>Words naming a mailbox before the missing thing ("Mailbox john.smith does not exist").</summary>
    private static readonly string[] MailboxWords = ["mailbox", "user", "account", "recipient", "address"];

    /// <summary>
    /// "553 mail.example.com does not exist", "the domain example.it couldn't be found": the thing that is missing is a
    /// host name (a dotted token without an @, not introduced as a mailbox), so the refusal is about the domain.
    /// </summary>
    private static string? NamesHost(ReadOnlySpan<char> text, string? userPhrase)
    {
        if (userPhrase is null || Array.IndexOf(MissingPhrases, userPhrase) < 0)
        {
            return null;
        }

        var at = text.IndexOf(userPhrase, StringComparison.OrdinalIgnoreCase);
        var before = text[..at].TrimEnd();
        var token = before[(before.LastIndexOf(' ') + 1)..];
        if (!token.Contains('.') || token.Contains('@') || token.EndsWith('.') || !char.IsAsciiLetterOrDigit(token[^1]))
        {
            return null;
        }

        var rest = before[..^token.Length].TrimEnd();
        var word = rest[(rest.LastIndexOf(' ') + 1)..];
        foreach (var mailbox in MailboxWords)
        {
            if (word.Equals(mailbox, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        // "X does not exist" names a host by its dotted form alone; "... not found" only when the text calls it one.
        var named = word.Equals("domain", StringComparison.OrdinalIgnoreCase) || word.Equals("host", StringComparison.OrdinalIgnoreCase);
        return userPhrase == "does not exist" || named ? "text:hostunknown:host " + userPhrase : null;
    }

    /// <summary>
    /// An unknown user: the status says so (x.1.1) unless the text names a recipient-side filter; or the wording
    /// says so and the refusal came at RCPT TO, the only stage where the recipient itself is checked.
    /// </summary>
    private static string? UserUnknown(RecipientEvidence e, EnhancedStatusCode? status, BounceReason? byStatus, string?[] hits)
    {
        // A local delivery program (procmail) failing maps its exit code to 5.1.1; it is not an unknown user.
        if (byStatus == BounceReason.UserUnknown && IsDeliveryProgram(e))
        {
            return null;
        }

        if (byStatus == BounceReason.UserUnknown)
        {
            return hits[(int)BounceReason.Filtered] is null ? "status:" + status : null;
        }

        // A status that names another specific reason (5.1.8 sender rejected, 5.7.1, ...) wins over the wording.
        if (byStatus is { } other && other != BounceReason.Filtered)
        {
            return null;
        }

        // A policy-class refusal (x.7.x) that calls the message spam ("mailbox unavailable. Your message looks like
        // spam") refused the content, not an unknown mailbox.
        if (status is { Subject: 7 } && hits[(int)BounceReason.SpamDetected] is not null)
        {
            return null;
        }

        // "Domain does not exist" is about the domain, not the mailbox.
        if (hits[(int)BounceReason.HostUnknown] is { } host && hits[(int)BounceReason.UserUnknown] is { } user
            && host.Contains(user, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (hits[(int)BounceReason.UserUnknown] is { } phrase && (e.Command is "RCPT" || (e.Command is null && !e.StageUnknown)))
        {
            return "text:userunknown:" + phrase;
        }

        return null;
    }

    /// <summary>
    /// A recipient-side filter: the status says so (5.2.1) and the text refuses the user; or a refusal that reads
    /// like "user unknown" came after the data (or at an unknown stage), which is how content filters disguise themselves.
    /// </summary>
    private static string? Filtered(RecipientEvidence e, EnhancedStatusCode? status, BounceReason? byStatus, string?[] hits)
    {
        if (byStatus == BounceReason.Filtered)
        {
            return hits[(int)BounceReason.UserUnknown] is { } user ? "status:" + status + "+text:userunknown:" + user
                : hits[(int)BounceReason.Filtered] is { } filter ? "status:" + status + "+text:filtered:" + filter
                : null;
        }

        // Without wording of either kind the stage cannot matter (and finding it can cost a search of the notice).
        if (hits[(int)BounceReason.Filtered] is null && hits[(int)BounceReason.UserUnknown] is null)
        {
            return null;
        }

        if (e.Command is "RCPT" or "MAIL" || (e.Command is null && !e.StageUnknown))
        {
            return hits[(int)BounceReason.Filtered] is { } own ? "text:filtered:" + own : null;
        }

        if (hits[(int)BounceReason.Filtered] is { } phrase)
        {
            return "text:filtered:" + phrase;
        }

        return hits[(int)BounceReason.UserUnknown] is { } disguised
            ? "command:" + (e.Command ?? "unknown") + "+text:userunknown:" + disguised
            : null;
    }

    /// <summary>
    /// RFC 3464 §2.3.4 Status versus the code inside Diagnostic-Code: a generic field (x.0.0) gives way to the
    /// diagnostic's more specific code, and a code whose class contradicts the reply code gives way to one that agrees.
    /// </summary>
    public static string? PreferStatus(string? field, IReadOnlyList<string> fromText, string? reply)
    {
        ArgumentNullException.ThrowIfNull(fromText);
        field = string.IsNullOrWhiteSpace(field) ? null : field.Trim();
        if (field is not null && !EnhancedStatusCode.TryParse(field, out _))
        {
            field = null;
        }

        // The first specific code in the remote reply; x.0.0 and x.4.7 (expired) only say "something failed".
        string? specific = null;
        foreach (var code in fromText)
        {
            if (!IsVague(code))
            {
                specific = code;
                break;
            }
        }

        if (field is null)
        {
            return specific ?? (fromText.Count > 0 ? fromText[0] : null);
        }

        if (specific is not null && specific != field && (IsVague(field) || specific[0] == field[0] || reply?[0] == specific[0]))
        {
            return specific;
        }

        return field;
    }

    private static bool IsVague(string code) =>
        code.EndsWith(".0.0", StringComparison.Ordinal) || code.EndsWith(".4.7", StringComparison.Ordinal);

    /// <summary>Runs of white space (line breaks of folded replies included) as one space; the text is already trimmed.</summary>
    private static string CollapseWhiteSpace(string text)
    {
        char[]? rented = null;
        var buffer = text.Length <= 512 ? stackalloc char[text.Length] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(text.Length));
        var length = 0;
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && length > 0)
            {
                buffer[length++] = ' ';
            }

            space = false;
            buffer[length++] = c;
        }

        var collapsed = new string(buffer[..length]);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }

        return collapsed;
    }

    private static string? Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();

        if (text.AsSpan().IndexOfAny('\n', '\t', '\r') >= 0 || text.Contains("  ", StringComparison.Ordinal))
        {
            text = CollapseWhiteSpace(text);
        }

        // RFC 5321 §4.2.1 multi-line replies repeat "552-5.7.0 " on every line; keep the text, drop the repeats.
        if (text.Length > 8 && text[3] == '-' && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[1]) && char.IsAsciiDigit(text[2]))
        {
            var prefixEnd = text.IndexOf(' ', StringComparison.Ordinal);
            if (prefixEnd > 3)
            {
                var prefix = text[..prefixEnd];
                var last = string.Concat(prefix.AsSpan(0, 3), " ", prefix.AsSpan(4));
                text = string.Concat(prefix, text[prefixEnd..].Replace(" " + prefix + " ", " ", StringComparison.Ordinal)
                    .Replace(" " + last + " ", " ", StringComparison.Ordinal));
            }
        }
        return text;
    }
}
