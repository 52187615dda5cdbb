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

    private static void Append(StringBuilder value, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes.Trim(" \t"u8))
        {
            value.Append((char)b);
        }
    }
}
