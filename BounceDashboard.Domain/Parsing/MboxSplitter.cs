using System.Runtime.InteropServices;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Splits an mbox into its messages (RFC 4155): a message starts at a "From " line at the start of the file or
/// after an empty line; the empty line before the next From_ line belongs to the mbox, not the message.
/// Lines quoted as ">From " (any number of '>') lose one '>' (mboxrd). LF and CRLF line endings are kept as found;
/// a file whose first line ends in a lone CR (classic Mac OS) has CR-terminated lines.
/// A full From_ line (sender and asctime date, "From MAILER-DAEMON  Thu Jul  2 12:05:05 2020") also starts a message
/// without the empty line before it: some tools append messages right after the previous one's last line.
/// </summary>
public static partial class MboxSplitter
{
    /// <summary>How many bytes the stream splitter reads at a time.</summary>
    public const int DefaultChunkSize = 64 * 1024;

    private static ReadOnlySpan<byte> FromLine => "From "u8;

    public static bool IsMbox(ReadOnlySpan<byte> content) => content.StartsWith(FromLine);

    /// <summary>The messages of an mbox held in memory.</summary>
    /// <param name="mbox">The mailbox bytes.</param>
    /// <param name="datedHeadedOnly">
    /// Only a full From_ line (sender and date) followed by a header line starts a message. For files that are not
    /// known to be mailboxes (a saved .eml), whose bodies do not escape "From " at the start of a line.
    /// </param>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Split(ReadOnlyMemory<byte> mbox, bool datedHeadedOnly = false)
    {
        var bytes = MemoryMarshal.TryGetArray(mbox, out var segment) ? segment : new ArraySegment<byte>(mbox.ToArray());
        using var stream = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false);
        return [.. Split(stream, datedHeadedOnly, DefaultChunkSize)];
    }

    /// <summary>
    /// The messages of an mbox read from a stream, one at a time: the stream is read in chunks of
    /// <paramref name="chunkSize"/> bytes and only the message being assembled is held in memory, so a mailbox of any
    /// size is split with memory bounded by its largest message. IO errors of the stream surface from the enumeration.
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Split(Stream mbox, bool datedHeadedOnly = false, int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(mbox);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        return SplitLines(new LineReader(mbox, chunkSize), datedHeadedOnly);
    }

    private static IEnumerable<ReadOnlyMemory<byte>> SplitLines(LineReader lines, bool datedHeadedOnly)
    {
        using var current = new MemoryStream();
        var inMessage = false;
        byte[]? pendingBlank = null;
        var previousBlank = true;
        while (lines.TryRead(out var lineMemory))
        {
            var separates = false;
            if (lineMemory.Span.StartsWith(FromLine))
            {
                if (!datedHeadedOnly)
                {
                    separates = previousBlank || IsDatedFromLine(lineMemory.Span);
                }
                else if (!inMessage)
                {
                    separates = true;
                }
                else if (IsDatedFromLine(lineMemory.Span))
                {
                    // Peeking at the next line may move the reader's buffer: keep this (short) line apart first.
                    var fromLine = lineMemory.ToArray();
                    separates = lines.TryPeek(out var next) && StartsWithHeader(next.Span);
                    lineMemory = fromLine;
                }
            }

            if (separates)
            {
                if (inMessage)
                {
                    yield return current.ToArray();
                    current.SetLength(0);
                }

                inMessage = true;
                pendingBlank = null;
                previousBlank = false;
                continue;
            }

            var line = lineMemory.Span;
            var isBlank = line.TrimEnd("\r\n"u8).IsEmpty;
            previousBlank = isBlank;
            if (!inMessage)
            {
                continue;
            }

            if (pendingBlank is not null)
            {
                current.Write(pendingBlank);
                pendingBlank = null;
            }

            if (isBlank)
            {
                pendingBlank = line.ToArray();
            }
            else
            {
                current.Write(!datedHeadedOnly && IsQuotedFrom(line) ? line[1..] : line);
            }
        }

        if (inMessage)
        {
            yield return current.ToArray();
        }
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

    /// <summary>True when the line is a header line ("Name:" with a printable name, RFC 5322 §2.2).</summary>
    private static bool StartsWithHeader(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        foreach (var b in line[..colon])
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

    /// <summary>
    /// Reads a stream line by line in chunks. A line keeps its ending; lines end at LF (so CRLF too), or at a lone CR
    /// when the stream's first line ending is a CR not followed by LF. A line longer than the buffer grows it.
    /// </summary>
    private sealed class LineReader(Stream stream, int chunkSize)
    {
        private byte[] _buffer = new byte[chunkSize];
        private int _start;
        private int _end;
        private bool _endOfStream;
        private byte? _terminator;
        private int _peekedLength = -1;

        /// <summary>The next line, valid until the next call.</summary>
        public bool TryRead(out ReadOnlyMemory<byte> line)
        {
            if (_peekedLength >= 0)
            {
                line = _buffer.AsMemory(_start, _peekedLength);
                _start += _peekedLength;
                _peekedLength = -1;
                return !line.IsEmpty;
            }

            var length = NextLineLength();
            line = _buffer.AsMemory(_start, length);
            _start += length;
            return length > 0;
        }

        /// <summary>The next line without consuming it; moves the buffer, so earlier lines become invalid.</summary>
        public bool TryPeek(out ReadOnlyMemory<byte> line)
        {
            if (_peekedLength < 0)
            {
                _peekedLength = NextLineLength();
            }

            line = _buffer.AsMemory(_start, _peekedLength);
            return _peekedLength > 0;
        }

        private int NextLineLength()
        {
            var searched = 0;
            while (true)
            {
                var available = _buffer.AsSpan(_start, _end - _start);
                _terminator ??= DetectTerminator(available, searched);
                if (_terminator is { } terminator)
                {
                    var index = available[searched..].IndexOf(terminator);
                    if (index >= 0)
                    {
                        return searched + index + 1;
                    }
                }

                // Search only the new bytes next time; a CR at the very end may still be the first half of a CRLF.
                searched = _terminator is null ? Math.Max(0, available.Length - 1) : available.Length;
                if (_endOfStream)
                {
                    return available.Length;
                }

                Fill();
            }
        }

        /// <summary>LF, or CR when the first line ending is a CR not followed by LF; null while the data cannot tell.</summary>
        private byte? DetectTerminator(ReadOnlySpan<byte> available, int from)
        {
            var found = available[from..].IndexOfAny((byte)'\n', (byte)'\r');
            var index = found < 0 ? -1 : from + found;
            if (index < 0)
            {
                return _endOfStream ? (byte)'\n' : null;
            }

            if (available[index] == '\n')
            {
                return (byte)'\n';
            }

            if (index + 1 < available.Length)
            {
                return available[index + 1] == '\n' ? (byte)'\n' : (byte)'\r';
            }

            return _endOfStream ? (byte)'\r' : null;
        }

        /// <summary>Moves the unread bytes to the front (growing the buffer when they fill it) and reads a chunk.</summary>
        private void Fill()
        {
            var unread = _end - _start;
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
                _start = 0;
                _end = unread;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, checked(_buffer.Length * 2));
            }

            var read = stream.Read(_buffer, _end, Math.Min(_buffer.Length - _end, chunkSize));
            if (read == 0)
            {
                _endOfStream = true;
            }

            _end += read;
        }
    }
}
