namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// MimeKit reads LF and CRLF but sees a CR-only message (old Mac line endings) as one long header line.
/// This turns lone CRs into LFs, and only when the message really is CR-only: the first line break decides,
/// so LF and CRLF input is returned untouched without a copy.
/// </summary>
public sealed class LineEndings
{
    /// <summary>How far to look for the first line break.</summary>
    private const int ProbeLength = 8192;

    /// <summary>The input itself, or a CR-to-LF copy when its first line break is a lone CR.</summary>
    public ReadOnlyMemory<byte> Normalise(ReadOnlyMemory<byte> raw)
    {
        var span = raw.Span;
        var probe = span[..Math.Min(span.Length, ProbeLength)];
        var cr = probe.IndexOfAny((byte)'\r', (byte)'\n');
        if (cr < 0 || probe[cr] == '\n' || (cr + 1 < span.Length && span[cr + 1] == '\n'))
        {
            return raw;
        }

        var copy = span.ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            if (copy[i] == '\r' && (i + 1 >= copy.Length || copy[i + 1] != '\n'))
            {
                copy[i] = (byte)'\n';
            }
        }

        return copy;
    }
}
