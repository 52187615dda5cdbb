namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// A receiving server's own error report with the SMTP session it refused (Postfix's "errors from HOST" notice to
/// postmaster, RFC 5321 §4.2 replies): "Transcript of session follows." then " In:  COMMAND" and " Out: REPLY" lines.
/// The failure is the first 4xx/5xx reply; the recipients are those named by RCPT TO up to it (the one just named
/// when RCPT itself was refused), and the command is the last one the client sent.
/// </summary>
public sealed class SmtpTranscriptFormat : IBounceFormat
{
    private const string In = "In:";
    private const string Out = "Out:";

    public string Name => "smtp-transcript";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var text = context.NoticeText;
        if (!text.Contains("Transcript of session follows", StringComparison.OrdinalIgnoreCase)
            || !text.Contains(" Out: ", StringComparison.Ordinal) || !text.Contains(" In:  ", StringComparison.Ordinal))
        {
            return false;
        }

        var accepted = new List<string>();
        string? command = null;
        string? pending = null;
        System.Text.StringBuilder? continued = null;
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan()[range].Trim();
            if (line.StartsWith(In, StringComparison.Ordinal))
            {
                var sent = line[In.Length..].Trim();
                var verb = sent.IndexOf(' ') is var space and > 0 ? sent[..space] : sent;
                command = verb.ToString().ToUpperInvariant();
                pending = command == "RCPT" ? AddressIn(sent) : null;
                continue;
            }

            if (!line.StartsWith(Out, StringComparison.Ordinal))
            {
                continue;
            }

            var reply = line[Out.Length..].Trim();
            if (reply.Length < 4 || !char.IsAsciiDigit(reply[0]))
            {
                continue;
            }

            // RFC 5321 §4.2.1: "550-..." lines continue the reply; the line with a space after the code ends it.
            if (reply[3] == '-')
            {
                (continued ??= new System.Text.StringBuilder()).Append(reply).Append(' ');
                continue;
            }

            var whole = continued is null ? reply.ToString() : continued.Append(reply).ToString();
            continued = null;

            if (reply[0] is '2' or '3')
            {
                if (pending is not null)
                {
                    accepted.Add(pending);
                    pending = null;
                }

                continue;
            }

            if (reply[0] is not ('4' or '5'))
            {
                continue;
            }

            // A refused RCPT whose address cannot be read is reported without one: blaming the recipients accepted
            // before it would be wrong, and so would guessing from other addresses in the notice.
            var failed = command == "RCPT" ? [pending ?? string.Empty] : accepted;
            foreach (var address in failed)
            {
                recipients.Add(new RecipientEvidence
                {
                    Address = address,
                    Diagnostic = whole,
                    Command = command,
                });
            }

            return failed.Count > 0;
        }

        return false;
    }

    /// <summary>The address in "RCPT TO:&lt;user@example.org&gt; ORCPT=..." (or "RCPT TO:user@example.org").</summary>
    private static string? AddressIn(ReadOnlySpan<char> rcpt)
    {
        var open = rcpt.IndexOf('<');
        if (open >= 0)
        {
            var close = rcpt[open..].IndexOf('>');
            return close > 1 ? DsnFields.Address(rcpt.Slice(open + 1, close - 1).ToString()) : null;
        }

        var colon = rcpt.IndexOf(':');
        var rest = colon < 0 ? ReadOnlySpan<char>.Empty : rcpt[(colon + 1)..].TrimStart();
        var end = rest.IndexOfAny(' ', '\t');
        var address = end < 0 ? rest : rest[..end];
        return address.Contains('@') ? DsnFields.Address(address.ToString()) : null;
    }
}
