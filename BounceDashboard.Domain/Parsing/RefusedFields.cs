namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Fields whose name MimeKit refuses: a "Détails: ..." line (an 8-bit or otherwise illegal name, RFC 5322 §3.6.8 allows
/// printable ASCII only). MimeKit keeps such a line inside a header block but refuses a block that opens with one (a
/// message, a returned original, a status group or feedback report), and <see cref="MimeKit.HeaderList.Add(string, string)"/>
/// throws on the name. The engine skips those fields, and only those, and reads the rest.
/// </summary>
internal static class RefusedFields
{
    /// <summary>Most leading refused fields skipped before giving up on a block.</summary>
    private const int MaxSkipped = 8;

    /// <summary>True when MimeKit accepts <paramref name="name"/> as a field name: printable ASCII, no colon.</summary>
    public static bool IsFieldName(ReadOnlySpan<char> name) =>
        !name.IsEmpty && !name.ContainsAnyExceptInRange('!', '~') && !name.Contains(':');

    /// <summary>
    /// The offset just past the refused fields (with their folded continuation lines) that open
    /// <paramref name="block"/>; 0 when it does not open with one, or opens with more than a few.
    /// </summary>
    public static int Skip(ReadOnlySpan<byte> block)
    {
        // An mbox "From " separator line MimeKit passes over may come first.
        var offset = block.StartsWith("From "u8) ? LineLength(block) : 0;
        if (offset >= block.Length || !IsRefusedField(Line(block[offset..])))
        {
            return 0;
        }

        var skipped = 0;
        while (offset < block.Length && IsRefusedField(Line(block[offset..])))
        {
            if (++skipped > MaxSkipped)
            {
                return 0;
            }

            offset += LineLength(block[offset..]);
            while (offset < block.Length && block[offset] is (byte)' ' or (byte)'\t')
            {
                offset += LineLength(block[offset..]);
            }
        }

        return offset < block.Length ? offset : 0;
    }

    /// <summary>
    /// True when a line of <paramref name="block"/> opens a field whose name MimeKit refuses. Plain ASCII text (nearly
    /// every report) is ruled out by one vectorised search before any line is looked at.
    /// </summary>
    public static bool AnyIn(ReadOnlySpan<byte> block)
    {
        if (block.IndexOfAnyExcept(PlainText) < 0)
        {
            return false;
        }

        for (var offset = 0; offset < block.Length; offset += LineLength(block[offset..]))
        {
            if (IsRefusedField(Line(block[offset..])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Printable ASCII, tab and line breaks: no field name made of these is refused but for spaces.</summary>
    private static readonly System.Buffers.SearchValues<byte> PlainText = System.Buffers.SearchValues.Create(
        "\t\r\n !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    /// <summary>"Name: value" whose name, one word, MimeKit refuses.</summary>
    private static bool IsRefusedField(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t')
        {
            return false;
        }

        var name = line[..colon].TrimEnd(" \t"u8);
        return name.IndexOfAny((byte)' ', (byte)'\t') < 0 && name.ContainsAnyExceptInRange((byte)'!', (byte)'~');
    }

    private static ReadOnlySpan<byte> Line(ReadOnlySpan<byte> text)
    {
        var end = text.IndexOf((byte)'\n');
        return (end < 0 ? text : text[..end]).TrimEnd((byte)'\r');
    }

    private static int LineLength(ReadOnlySpan<byte> text)
    {
        var end = text.IndexOf((byte)'\n');
        return end < 0 ? text.Length : end + 1;
    }
}
