using MimeKit;

namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// RFC 3464 delivery status notifications (multipart/report; report-type=delivery-status), read through MimeKit's
/// <see cref="MessageDeliveryStatus"/>. Used by Postfix, Sendmail, Exchange, Office 365, Gmail and most others.
/// </summary>
public sealed class Rfc3464Format(DsnFields fields, NoticeReader reader) : IBounceFormat
{
    public string Name => "rfc3464";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        if (context.DeliveryStatus is null)
        {
            return false;
        }

        var before = recipients.Count;
        fields.ReadGroups(context.StatusGroups, recipients);
        for (var i = before; i < recipients.Count; i++)
        {
            // OpenSMTPD and others leave Diagnostic-Code out and print the reply in the human-readable part.
            var e = recipients[i];
            SesDiagnostic.Unwrap(e);

            // Exchange's "QUEUE.Expired" is its own verdict after retrying; the remote server's last real answer is in
            // the notice's diagnostic information ("Remote Server at ... returned '441 4.4.1 ...'").
            if (e.Diagnostic?.Contains("QUEUE.Expired", StringComparison.OrdinalIgnoreCase) == true
                && LastRemoteAnswer(context.NoticeText) is { } answer)
            {
                e.Diagnostic = answer;
                e.Status = null;
            }

            // Sendmail puts a delivery program's exit status ("X-Unix; 255") in Diagnostic-Code and the reply it
            // gave ("554 5.3.0 unknown mailer error 255") in the session transcript of the notice.
            if (e.Diagnostic is { Length: < 8 } shortDiagnostic && TranscriptReply(context.NoticeText) is { } transcriptReply)
            {
                e.Diagnostic = transcriptReply + " " + shortDiagnostic;
            }

            // RFC 5321 §4.2.1: "552-5.7.0 ..." is the first line of a multi-line reply; some MTAs copy only that
            // line into Diagnostic-Code, so the rest is read from the notice's transcript.
            if (e.Diagnostic is { Length: > 4 } firstLine && char.IsAsciiDigit(firstLine[0]) && firstLine[3] == '-'
                && ContinuedReply(context.NoticeText, firstLine) is { } fullReply)
            {
                e.Diagnostic = fullReply;
            }

            if (!string.IsNullOrWhiteSpace(e.Diagnostic))
            {
                // The SMTP stage is often only in the human-readable part: Postfix "(in reply to RCPT TO
                // command)", Sendmail's session transcript. Looked up only if the classifier needs it.
                e.CommandOrElse(() => CommandFinder.FromTranscript(context.NoticeText, e.Address)
                    ?? CommandFinder.Find(reader.DiagnosticFor(context.NoticeSection(reader), e.Address, context.NoticeSectionLines(reader))));

                continue;
            }

            var recipient = e.Address;
            var fromNotice = reader.DiagnosticFor(context.NoticeSection(reader), recipient, context.NoticeSectionLines(reader));
            e.Diagnostic = fromNotice;
            e.CommandFrom(() => CommandFinder.Find(fromNotice) ?? CommandFinder.FromTranscript(context.NoticeText, recipient));
        }

        return recipients.Count > before;
    }

    /// <summary>
    /// The whole multi-line reply whose first line is <paramref name="firstLine"/>, as the notice's transcript
    /// shows it ("&lt;&lt;&lt; 552-5.7.0 ..." lines up to the "552 5.7.0 ..." one); null when the notice lacks it.
    /// </summary>
    private static string? ContinuedReply(string notice, string firstLine)
    {
        // The first line can also be quoted elsewhere ("(reason: 552-5.7.0 ...)"); every occurrence is tried.
        for (var at = notice.IndexOf(firstLine, StringComparison.Ordinal); at >= 0;
             at = notice.IndexOf(firstLine, at + firstLine.Length, StringComparison.Ordinal))
        {
            if (ContinuedReplyAt(notice.AsSpan(at + firstLine.Length), firstLine) is { } reply)
            {
                return reply;
            }
        }

        return null;
    }

    private static string? ContinuedReplyAt(ReadOnlySpan<char> rest, string firstLine)
    {
        var code = firstLine.AsSpan(0, 3);
        var reply = new System.Text.StringBuilder(firstLine);
        var first = true;
        foreach (var range in rest.Split('\n'))
        {
            if (first)
            {
                // The remainder of the first line itself: it must end there.
                first = false;
                if (!rest[range].IsWhiteSpace())
                {
                    return null;
                }

                continue;
            }

            var line = rest[range].Trim();
            if (line.StartsWith("<<<", StringComparison.Ordinal))
            {
                line = line[3..].TrimStart();
            }

            if (line.Length < 4 || !line.StartsWith(code, StringComparison.Ordinal) || line[3] is not ('-' or ' '))
            {
                return null;
            }

            reply.Append(' ').Append(line);
            if (line[3] == ' ')
            {
                return reply.ToString();
            }
        }

        return null;
    }

    /// <summary>
    /// The last "returned '...'" answer of Exchange's diagnostic information that is not its own queue expiry;
    /// null when there is none.
    /// </summary>
    private static string? LastRemoteAnswer(string notice)
    {
        const string Returned = "returned '";
        string? last = null;
        for (var at = notice.IndexOf(Returned, StringComparison.Ordinal); at >= 0; at = notice.IndexOf(Returned, at + 1, StringComparison.Ordinal))
        {
            // The answer runs to the last quote on its line: the reply itself may hold an apostrophe ("doesn't").
            var start = at + Returned.Length;
            var lineEnd = notice.IndexOf('\n', start);
            var line = lineEnd < 0 ? notice.AsSpan(start) : notice.AsSpan(start, lineEnd - start);
            var end = line.LastIndexOf('\'');
            var answer = (end < 0 ? line[..Math.Min(line.Length, 500)] : line[..end]).Trim().ToString();
            if (answer.Length > 0 && !answer.Contains("QUEUE.Expired", StringComparison.OrdinalIgnoreCase))
            {
                last = answer;
            }
        }

        return last;
    }

    /// <summary>The last SMTP-style reply line ("554 5.3.0 ...") of a "Transcript of session follows" section.</summary>
    private static string? TranscriptReply(string notice)
    {
        var at = notice.IndexOf("Transcript of session follows", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        string? last = null;
        foreach (var range in notice.AsSpan(at).Split('\n'))
        {
            var line = notice.AsSpan(at)[range].Trim();
            if (line.StartsWith("--", StringComparison.Ordinal) && last is not null)
            {
                break;
            }

            if (line.Length > 4 && line[0] is '4' or '5' && char.IsAsciiDigit(line[1]) && char.IsAsciiDigit(line[2]) && line[3] == ' ')
            {
                last = line.ToString();
            }
        }

        return last;
    }
}
