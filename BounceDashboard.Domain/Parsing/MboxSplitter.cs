namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Splits an mbox into its messages (RFC 4155): a message starts at a "From " line at the start of the file or
/// after an empty line; the empty line before the next From_ line belongs to the mbox, not the message.
/// Lines quoted as ">From " (any number of '>') lose one '>' (mboxrd). LF and CRLF line endings are kept as found.
/// A full From_ line (sender and asctime date, "From MAILER-DAEMON  Thu Jul  2 12:05:05 2020") also starts a message
/// without the empty line before it: some tools append messages right after the previous one's last line.
/// </summary>
public static partial class MboxSplitter
{
    private static ReadOnlySpan<byte> FromLine => "From "u8;

    public static bool IsMbox(ReadOnlySpan<byte> content) => content.StartsWith(FromLine);

    /// <summary>The messages of an mbox.</summary>
    /// <param name="mbox">The mailbox bytes.</param>
    /// <param name="datedHeadedOnly">
    /// Only a full From_ line (sender and date) followed by a header line starts a message. For files that are not
    /// known to be mailboxes (a saved .eml), whose bodies do not escape "From " at the start of a line.
    /// </param>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Split(ReadOnlyMemory<byte> mbox, bool datedHeadedOnly = false)
    {
        var messages = new List<ReadOnlyMemory<byte>>();
        var data = mbox.Span;
        MemoryStream? current = null;
        var pendingBlank = ReadOnlySpan<byte>.Empty;
        var previousBlank = true;
        var position = 0;
        while (position < data.Length)
        {
            var newline = data[position..].IndexOf((byte)'\n');
            var lineEnd = newline < 0 ? data.Length : position + newline + 1;
            var line = data[position..lineEnd];
            position = lineEnd;

            var separates = datedHeadedOnly
                ? current is null || (IsDatedFromLine(line) && StartsWithHeader(data[position..]))
                : previousBlank || IsDatedFromLine(line);
            if (line.StartsWith(FromLine) && separates)
            {
                if (current is not null)
                {
                    messages.Add(current.ToArray());
                    current.Dispose();
                }

                current = new MemoryStream();
                pendingBlank = ReadOnlySpan<byte>.Empty;
                previousBlank = false;
                continue;
            }

            var isBlank = line.TrimEnd("\r\n"u8).IsEmpty;
            previousBlank = isBlank;
            if (current is null)
            {
                continue;
            }

            if (!pendingBlank.IsEmpty)
            {
                current.Write(pendingBlank);
                pendingBlank = ReadOnlySpan<byte>.Empty;
            }

            if (isBlank)
            {
                pendingBlank = line;
            }
            else
            {
                current.Write(!datedHeadedOnly && IsQuotedFrom(line) ? line[1..] : line);
            }
        }

        if (current is not null)
        {
            messages.Add(current.ToArray());
            current.Dispose();
        }

        return messages;
    }

    /// <summary>
    /// The messages of one saved file: the bytes unchanged when it holds one message (with or without a From_
    /// line), each message when it is a mailbox of several.
    /// </summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> MessagesInFile(ReadOnlyMemory<byte> content)
    {
        if (!IsMbox(content.Span))
        {
            return [content];
        }

        var messages = Split(content, datedHeadedOnly: true);
        return messages.Count > 1 ? messages : [content];
    }

    /// <summary>True when the bytes begin with a header line ("Name:" with a printable name, RFC 5322 §2.2).</summary>
    private static bool StartsWithHeader(ReadOnlySpan<byte> rest)
    {
        var colon = rest.IndexOf((byte)':');
        var newline = rest.IndexOf((byte)'\n');
        if (colon <= 0 || (newline >= 0 && newline < colon))
        {
            return false;
        }

        foreach (var b in rest[..colon])
        {
            if (b is < 33 or > 126)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>"From SENDER DAY MON DD HH:MM:SS YYYY": the form mbox writers use, unlikely in a message body.</summary>
    private static bool IsDatedFromLine(ReadOnlySpan<byte> line) =>
        line.Length < 200 && DatedFromLine().IsMatch(System.Text.Encoding.ASCII.GetString(line));

    [System.Text.RegularExpressions.GeneratedRegex(@"^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4}\s*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex DatedFromLine();

    private static bool IsQuotedFrom(ReadOnlySpan<byte> line)
    {
        var quotes = line.IndexOfAnyExcept((byte)'>');
        return quotes > 0 && line[quotes..].StartsWith(FromLine);
    }
}
