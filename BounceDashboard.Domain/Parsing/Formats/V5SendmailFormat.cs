namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Sendmail V5 and other pre-MIME Sendmail notices: plain text, "----- Transcript of session follows -----" then
/// "----- Unsent message follows -----" with the whole message. The transcript holds "While talking to HOST:"
/// blocks with the commands sent ("&gt;&gt;&gt; RCPT To:&lt;...&gt;") and the replies ("&lt;&lt;&lt; 550 ..."),
/// then one "NNN &lt;address&gt;... text" line per failed recipient. A notice whose transcript names no address
/// (a host deferred until the queue gave up) is about the unsent message's To.
/// </summary>
public sealed class V5SendmailFormat(NoticeReader reader) : IBounceFormat
{
    private const string TranscriptMarker = "----- Transcript of session follows -----";
    private const string UnsentMarker = "----- Unsent message follows -----";

    public string Name => "v5sendmail";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        if (context.DeliveryStatus is not null)
        {
            return false;
        }

        var text = context.NoticeText;
        var start = text.IndexOf(TranscriptMarker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : text.IndexOf(UnsentMarker, start, StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var before = recipients.Count;
        string? command = null;
        string? reply = null;
        var continued = false;
        string? hostLine = null;
        foreach (var raw in NoticeReader.Lines(text[(start + TranscriptMarker.Length)..end]))
        {
            var line = raw.Trim();
            if (line.StartsWith("While talking to", StringComparison.OrdinalIgnoreCase))
            {
                command = null;
                reply = null;
            }
            else if (line.StartsWith(">>>", StringComparison.Ordinal))
            {
                var verb = line[3..].TrimStart();
                var space = verb.IndexOf(' ', StringComparison.Ordinal);
                command = (space < 0 ? verb : verb[..space]).ToUpperInvariant();
            }
            else if (line.StartsWith("<<<", StringComparison.Ordinal))
            {
                // RFC 5321 §4.2.1: "554-" continues the reply on the next line; the lines make one reply.
                var answer = line[3..].Trim();
                reply = continued && reply is not null ? reply + " " + answer : answer;
                continued = SmtpCodeFinder.IsContinuedReply(answer);
            }
            else if (Recipient(line) is { } failed)
            {
                var evidence = new RecipientEvidence
                {
                    Address = failed.Address,
                    Diagnostic = reply ?? failed.Text,
                    Command = reply is null ? CommandFinder.Find(failed.Text) : Stage(command),
                };
                recipients.Add(evidence);
                reply = null;
                command = null;
            }
            else if (line.Contains("(smtp)...", StringComparison.Ordinal) || line.Contains("(local)...", StringComparison.Ordinal))
            {
                hostLine ??= line;
            }
        }

        if (recipients.Count == before && hostLine is not null && UnsentTo(text[end..]) is { } to)
        {
            var dots = hostLine.IndexOf("...", StringComparison.Ordinal);
            recipients.Add(new RecipientEvidence
            {
                Address = to,
                ReplyCode = hostLine.Length > 3 && char.IsAsciiDigit(hostLine[0]) ? hostLine[..3] : null,
                Diagnostic = hostLine[(dots + 3)..].Trim(),
            });
        }

        return recipients.Count > before;
    }

    /// <summary>The stage a transcript command stands for (QUIT and the like say nothing about the recipient).</summary>
    private static string? Stage(string? command) => command switch
    {
        "RCPT" or "MAIL" or "DATA" or "HELO" or "EHLO" => command,
        _ => null,
    };

    /// <summary>"550 &lt;user@host&gt;... User unknown": the address and the text after the dots (with the code).</summary>
    private static (string Address, string Text)? Recipient(string line)
    {
        if (line.Length < 8 || !char.IsAsciiDigit(line[0]) || line[3] != ' ' || line[4] != '<')
        {
            return null;
        }

        var close = line.IndexOf(">...", 5, StringComparison.Ordinal);
        if (close < 0)
        {
            return null;
        }

        var address = DsnFields.Address(line[5..close]);
        var text = line[(close + 4)..].Trim();
        return address.Contains('@', StringComparison.Ordinal) ? (address, text.Length > 0 ? text : line[..3]) : null;
    }

    private string? UnsentTo(string unsent)
    {
        foreach (var line in NoticeReader.Lines(unsent))
        {
            if (line.Length == 0)
            {
                break;
            }

            if (line.StartsWith("To:", StringComparison.OrdinalIgnoreCase))
            {
                return reader.Addresses(line).FirstOrDefault();
            }
        }

        return null;
    }
}
