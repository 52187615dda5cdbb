namespace BounceDashboard.Domain.Parsing;

/// <summary>Finds which SMTP command the remote side refused, from wording such as "in reply to RCPT TO command".</summary>
internal static class CommandFinder
{
    public static string? Find(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var s = text.AsSpan();
        if (s.Contains("end of data", StringComparison.OrdinalIgnoreCase)
            || s.Contains("reply to data", StringComparison.OrdinalIgnoreCase)
            || s.Contains("after data", StringComparison.OrdinalIgnoreCase)
            || s.Contains("after the data", StringComparison.OrdinalIgnoreCase)
            || s.Contains("final data", StringComparison.OrdinalIgnoreCase)
            || s.Contains("data command", StringComparison.OrdinalIgnoreCase))
        {
            return "DATA";
        }

        if (s.Contains("rcpt to", StringComparison.OrdinalIgnoreCase)
            || s.Contains("after rcpt", StringComparison.OrdinalIgnoreCase)
            || s.Contains("rcpt command", StringComparison.OrdinalIgnoreCase)
            || s.Contains("[rcpt_to]", StringComparison.OrdinalIgnoreCase)
            || s.Contains("does not like recipient", StringComparison.OrdinalIgnoreCase))
        {
            return "RCPT";
        }

        if (s.Contains("mail from", StringComparison.OrdinalIgnoreCase)
            || s.Contains("after mail", StringComparison.OrdinalIgnoreCase))
        {
            return "MAIL";
        }

        if (s.Contains("initial connection", StringComparison.OrdinalIgnoreCase)
            || s.Contains("greeting", StringComparison.OrdinalIgnoreCase))
        {
            return "CONN";
        }

        if (Word(s, "ehlo"))
        {
            return "EHLO";
        }

        if (Word(s, "helo"))
        {
            return "HELO";
        }

        return null;
    }

    /// <summary>
    /// The command of an SMTP transcript ("&gt;&gt;&gt; RCPT To:&lt;a@b&gt;" then "&lt;&lt;&lt; 550 ...", Sendmail and
    /// others) that drew the error naming <paramref name="address"/> (or the first error when none names it).
    /// </summary>
    public static string? FromTranscript(string text, string address)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        // "-------SMTP command" with the command on the next line (m-FILTER and similar).
        var label = text.IndexOf("SMTP command", StringComparison.OrdinalIgnoreCase);
        if (label >= 0)
        {
            var nl = text.IndexOf('\n', label);
            if (nl > 0)
            {
                var next = text.AsSpan(nl + 1).TrimStart();
                foreach (var cmd in (string[])["RCPT", "MAIL", "DATA", "EHLO", "HELO"])
                {
                    if (next.StartsWith(cmd, StringComparison.OrdinalIgnoreCase))
                    {
                        return cmd;
                    }
                }
            }
        }

        if (text.IndexOf(">>> ", StringComparison.Ordinal) < 0 && text.IndexOf("while talking to", StringComparison.Ordinal) < 0)
        {
            return null;
        }

        string? last = null;
        string? first = null;
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan()[range].Trim();
            if (line.StartsWith("... while talking to", StringComparison.Ordinal))
            {
                // A new connection: until a command is sent, a reply is the server's greeting (RFC 5321 §3.1).
                last = "CONN";
            }
            else if (line.StartsWith(">>> "))
            {
                var cmd = line[4..].TrimStart();
                last = cmd.StartsWith("RCPT", StringComparison.OrdinalIgnoreCase) ? "RCPT"
                    : cmd.StartsWith("MAIL", StringComparison.OrdinalIgnoreCase) ? "MAIL"
                    : cmd.StartsWith("DATA", StringComparison.OrdinalIgnoreCase) || cmd.StartsWith('.') ? "DATA"
                    : cmd.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase) ? "EHLO"
                    : cmd.StartsWith("HELO", StringComparison.OrdinalIgnoreCase) ? "HELO" : last;
            }
            else if (line.StartsWith("<<< ") && line.Length > 5 && line[4] is '4' or '5')
            {
                first ??= last;
                if (address.Length > 0 && line.Contains(address, StringComparison.OrdinalIgnoreCase))
                {
                    return last;
                }
            }
        }

        return first;
    }

    /// <summary>The word stands alone (so "helo" does not match "Hello").</summary>
    private static bool Word(ReadOnlySpan<char> s, string word)
    {
        var at = s.IndexOf(word, StringComparison.OrdinalIgnoreCase);
        while (at >= 0)
        {
            var end = at + word.Length;
            if ((at == 0 || !char.IsLetter(s[at - 1])) && (end >= s.Length || !char.IsLetter(s[end])))
            {
                return true;
            }

            var next = s[end..].IndexOf(word, StringComparison.OrdinalIgnoreCase);
            at = next < 0 ? -1 : end + next;
        }

        return false;
    }
}
