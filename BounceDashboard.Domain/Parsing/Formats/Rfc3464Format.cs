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
        var status = context.DeliveryStatus;
        if (status is null)
        {
            return false;
        }

        HeaderListCollection groups;
        try
        {
            // MimeKit also undoes the base64 wrapping some Exchange/Office 365 servers put around the status groups.
            groups = status.StatusGroups;
        }
        catch (FormatException)
        {
            return false;
        }

        var before = recipients.Count;
        fields.ReadGroups(groups, recipients);
        for (var i = before; i < recipients.Count; i++)
        {
            // OpenSMTPD and others leave Diagnostic-Code out and print the reply in the human-readable part.
            var e = recipients[i];

            // Sendmail puts a delivery program's exit status ("X-Unix; 255") in Diagnostic-Code and the reply it
            // gave ("554 5.3.0 unknown mailer error 255") in the session transcript of the notice.
            if (e.Diagnostic is { Length: < 8 } shortDiagnostic && TranscriptReply(context.NoticeText) is { } transcriptReply)
            {
                e.Diagnostic = transcriptReply + " " + shortDiagnostic;
            }

            if (!string.IsNullOrWhiteSpace(e.Diagnostic))
            {
                if (e.Command is null)
                {
                    // The SMTP stage is often only in the human-readable part: Postfix "(in reply to RCPT TO
                    // command)", Sendmail's session transcript. Looked up only if the classifier needs it.
                    e.CommandFrom(() => CommandFinder.FromTranscript(context.NoticeText, e.Address)
                        ?? CommandFinder.Find(reader.DiagnosticFor(context.NoticeSection(reader), e.Address)));
                }

                continue;
            }

            e.Diagnostic = reader.DiagnosticFor(context.NoticeSection(reader), e.Address);
            e.Command = CommandFinder.Find(e.Diagnostic) ?? CommandFinder.FromTranscript(context.NoticeText, e.Address);
        }

        return recipients.Count > before;
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
