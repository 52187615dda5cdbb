using System.Text;

namespace BounceDashboard.Domain.Parsing;

/// <summary>Reads one header's value from a raw header block (RFC 5322 §2.2: "Name: value" with folded continuations).</summary>
internal static class RawHeader
{
    /// <summary>
    /// The first <paramref name="name"/> header in the block (which ends at the first empty line), unfolded and
    /// trimmed; null when absent. <paramref name="needsParser"/> is true when the value is not plain ASCII text
    /// (8-bit bytes or RFC 2047 encoded words) and a real parser must decode it.
    /// </summary>
    public static string? Find(ReadOnlySpan<byte> block, string name, out bool needsParser)
    {
        needsParser = false;
        var position = 0;
        while (position < block.Length)
        {
            var end = block[position..].IndexOf((byte)'\n');
            var line = end < 0 ? block[position..] : block.Slice(position, end);
            var next = end < 0 ? block.Length : position + end + 1;
            var content = line.TrimEnd((byte)'\r');
            if (content.IsEmpty)
            {
                return null;
            }

            if (content.Length > name.Length && Ascii.EqualsIgnoreCase(content[..name.Length], name))
            {
                var rest = content[name.Length..].TrimStart(" \t"u8);
                if (!rest.IsEmpty && rest[0] == (byte)':')
                {
                    var value = new StringBuilder();
                    Append(value, rest[1..]);
                    while (next < block.Length && block[next] is (byte)' ' or (byte)'\t')
                    {
                        var more = block[next..].IndexOf((byte)'\n');
                        var continuation = more < 0 ? block[next..] : block.Slice(next, more);
                        Append(value.Append(' '), continuation.TrimEnd((byte)'\r'));
                        next = more < 0 ? block.Length : next + more + 1;
                    }

                    var text = value.ToString().Trim();
                    needsParser = !Ascii.IsValid(text) || text.Contains("=?", StringComparison.Ordinal);
                    return text;
                }
            }

            position = next;
        }

        return null;
    }

    /// <summary>
    /// A parsed header's value as MimeKit's <see cref="MimeKit.Header.Value"/> gives it, read straight from the raw bytes
    /// when they are one line of plain ASCII without encoded words (nearly every report field), which skips MimeKit's
    /// RFC 2047 tokenizer and unfolding; anything else is MimeKit's.
    /// </summary>
    public static string Value(MimeKit.Header header)
    {
        // MimeKit trims every white-space character, vertical tab and form feed included.
        var raw = header.RawValue.AsSpan().Trim(" \t\r\n\v\f"u8);
        var value = raw.IndexOfAny((byte)'\r', (byte)'\n') < 0 && raw.IndexOf("=?"u8) < 0 && Ascii.IsValid(raw)
            ? Encoding.ASCII.GetString(raw)
            : header.Value;
        return value.Contains('\u001b', StringComparison.Ordinal) ? Iso2022Jp(value) : value;
    }

    /// <summary>
    /// A value written in raw ISO-2022-JP (seven-bit text switched by ESC sequences, as Japanese Domino and carrier
    /// gateways put it into report fields without RFC 2047 encoding), decoded; unchanged when it does not decode.
    /// </summary>
    private static string Iso2022Jp(string value)
    {
        try
        {
            return Encoding.GetEncoding(50220, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
                .GetString(Encoding.Latin1.GetBytes(value));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or DecoderFallbackException)
        {
            return value;
        }
    }

    /// <summary>The first <paramref name="name"/> field of a parsed header list (see <see cref="Value(MimeKit.Header)"/>), or null.</summary>
    public static string? Value(MimeKit.HeaderList headers, string name)
    {
        var index = headers.IndexOf(name);
        return index < 0 ? null : Value(headers[index]);
    }

    private static void Append(StringBuilder value, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes.Trim(" \t"u8))
        {
            value.Append((char)b);
        }
    }
}
