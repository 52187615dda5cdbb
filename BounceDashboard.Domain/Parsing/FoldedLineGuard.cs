namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Bounds runs of folded (continuation) lines before MimeKit sees a message. RFC 5322 §2.2.3 lets a header
/// be folded over any number of lines, and MimeKit's unfolding grows quadratically with their count: one
/// header folded over 100,000 lines takes over 20 s to load. No real notice folds a header, or indents a
/// body block, over more than a few dozen lines, so lines past <see cref="MaxRunLines"/> in one run are
/// dropped. The common case (no such run) returns the input itself, without a copy.
/// </summary>
public sealed class FoldedLineGuard
{
    /// <summary>Longest run of lines starting with white space that is kept.</summary>
    public const int MaxRunLines = 1000;

    /// <summary>The input itself, or a copy with every run of white-space-led lines cut to <see cref="MaxRunLines"/>.</summary>
    public ReadOnlyMemory<byte> Bound(ReadOnlyMemory<byte> raw)
    {
        var span = raw.Span;

        // Fewer lines in all than the limit allows in one run (nearly every message): nothing to look for.
        if (span.Count((byte)'\n') <= MaxRunLines)
        {
            return raw;
        }

        return FirstOverlongRun(span) < 0 ? raw : Cut(span);
    }

    /// <summary>Index of the first line that is past the limit of its run, or -1.</summary>
    private static int FirstOverlongRun(ReadOnlySpan<byte> span)
    {
        var run = 0;
        var next = span.IndexOf((byte)'\n');
        while (next >= 0 && next + 1 < span.Length)
        {
            var start = next + 1;
            run = IsContinuation(span[start]) ? run + 1 : 0;
            if (run > MaxRunLines)
            {
                return start;
            }

            var rest = span[start..].IndexOf((byte)'\n');
            next = rest < 0 ? -1 : start + rest;
        }

        return -1;
    }

    private static byte[] Cut(ReadOnlySpan<byte> span)
    {
        var output = new byte[span.Length];
        var written = 0;
        var run = 0;
        var start = 0;
        while (start < span.Length)
        {
            var end = span[start..].IndexOf((byte)'\n');
            var line = end < 0 ? span[start..] : span.Slice(start, end + 1);
            run = start > 0 && IsContinuation(line[0]) ? run + 1 : 0;
            if (run <= MaxRunLines)
            {
                line.CopyTo(output.AsSpan(written));
                written += line.Length;
            }

            start += line.Length;
        }

        return output[..written];
    }

    private static bool IsContinuation(byte first) => first is (byte)' ' or (byte)'\t';
}
