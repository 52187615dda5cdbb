using BounceDashboard.Domain.Tracking;
using MimeKit;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Finds what ties a report to the message we sent: the VERP token in the address the report was sent to, our
/// tracking header in the returned headers (or quoted in a plain-text notice), the original Message-ID and the
/// RFC 3461 envelope id (RFC 3464 §2.2.1 Original-Envelope-Id).
/// </summary>
public sealed class MatchExtractor
{
    private static readonly string[] EnvelopeHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "To", "X-Envelope-To"];

    private const string VerpPrefix = TrackingHeaders.VerpLocalPart + "+";

    private static readonly char[] MessageIdBrackets = ['<', '>', ' '];

    public BounceMatch Extract(BounceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verp = FindVerp(context.Message.Headers);
        var tracking = context.ReturnedHeader(TrackingHeaders.Token)?.Trim();
        var messageId = context.ReturnedHeader("Message-ID")?.Trim();

        if ((tracking is null && context.MayQuoteTrackingHeader) || messageId is null)
        {
            // Notices that quote the original inline (Exim, qmail) or as text/plain: look in the notice text.
            var text = context.NoticeText;
            tracking ??= context.MayQuoteTrackingHeader ? QuotedHeader(text, TrackingHeaders.Token) : null;
            messageId ??= QuotedHeader(text, "Message-ID");
        }

        var envelopeId = EnvelopeId(context);
        if (verp is null && tracking is null && messageId is null && envelopeId is null)
        {
            return BounceMatch.None;
        }

        return new BounceMatch(verp, NullIfEmpty(tracking), NullIfEmpty(messageId?.Trim(MessageIdBrackets)), envelopeId);
    }

    private static string? FindVerp(HeaderList headers)
    {
        // One pass over the headers; the envelope header named first in EnvelopeHeaders wins.
        string? best = null;
        var bestRank = EnvelopeHeaders.Length;
        for (var i = 0; i < headers.Count; i++)
        {
            // The name first (a length check rules out nearly every header), then the raw value (long Received headers
            // are never searched).
            var header = headers[i];
            var rank = RankOf(header.Field);
            if (rank < 0 || rank >= bestRank || !MayHoldVerp(header.RawValue) || VerpToken(header.Value) is not { } token)
            {
                continue;
            }

            (best, bestRank) = (token, rank);
        }

        return best;
    }

    private static int RankOf(string field)
    {
        for (var i = 0; i < EnvelopeHeaders.Length; i++)
        {
            if (field.Equals(EnvelopeHeaders[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static string? VerpToken(string value)
    {
        var at = value.IndexOf(VerpPrefix, StringComparison.OrdinalIgnoreCase);
        while (at >= 0)
        {
            // The local part must begin at a delimiter: "<bounces+", " bounces+" or the start.
            if (at == 0 || value[at - 1] is '<' or ' ' or ',' or ':' or '"' or '\t')
            {
                var start = at + VerpPrefix.Length;
                var end = value.IndexOf('@', start);
                if (end > start)
                {
                    return value[start..end];
                }
            }

            at = value.IndexOf(VerpPrefix, at + 1, StringComparison.OrdinalIgnoreCase);
        }

        return null;
    }

    /// <summary>
    /// False when the raw header cannot hold the VERP prefix: no '+' and no RFC 2047 encoded word. Spares decoding
    /// (and allocating) the value of every To/Delivered-To header just to look.
    /// </summary>
    private static bool MayHoldVerp(ReadOnlySpan<byte> raw) => raw.IndexOf((byte)'+') >= 0 || raw.IndexOf("=?"u8) >= 0;

    /// <summary>The value of a header line quoted in text ("X-BounceDashboard-Token: abc" at a line start).</summary>
    internal static string? QuotedHeader(string text, string name)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var at = text.IndexOf(name, StringComparison.OrdinalIgnoreCase);
        while (at >= 0)
        {
            var p = at - 1;
            while (p >= 0 && text[p] is ' ' or '\t' or '>' or '|')
            {
                p--;
            }

            var lineStart = p < 0 || text[p] == '\n';
            var colon = at + name.Length;
            if (lineStart && colon < text.Length && text[colon] == ':')
            {
                var end = text.IndexOf('\n', colon);
                var value = (end < 0 ? text[(colon + 1)..] : text[(colon + 1)..end]).Trim();
                if (value.Length > 0)
                {
                    return value;
                }
            }

            at = text.IndexOf(name, at + name.Length, StringComparison.OrdinalIgnoreCase);
        }

        return null;
    }

    private static string? EnvelopeId(BounceContext context)
    {
        foreach (var group in context.StatusGroups)
        {
            if (group["Original-Envelope-Id"] is { } id && id.Trim().Length > 0)
            {
                return id.Trim();
            }
        }

        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
