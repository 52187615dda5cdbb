using System.Text;
using MimeKit.Utils;

namespace BounceDashboard.Web.Ingest;

/// <summary>
/// When a bounce was written, for matching it to a send by the recipient's address and time: the message's own Date
/// header, unless it is missing, unreadable or later than the message reached us (allowing <see cref="ClockSkew"/>), when
/// the time it reached us stands in. An mbox or Maildir read days later still matches by the day the bounce was written.
/// </summary>
public static class BounceDate
{
    /// <summary>How far ahead of our clock a sender's clock may be before its Date header is distrusted.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    public static DateTimeOffset Of(ReadOnlySpan<byte> message, DateTimeOffset receivedAt) =>
        DateHeader(message) is { } date && date <= receivedAt + ClockSkew ? date : receivedAt;

    /// <summary>The top-level Date header (unfolded), or null when there is none or it does not parse.</summary>
    public static DateTimeOffset? DateHeader(ReadOnlySpan<byte> message)
    {
        string? value = null;
        var rest = message;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            line = line.TrimEnd((byte)'\r');
            if (line.IsEmpty)
            {
                // The end of the header block.
                break;
            }

            if (value is not null)
            {
                if (line[0] is (byte)' ' or (byte)'\t')
                {
                    value += Encoding.Latin1.GetString(line);
                    continue;
                }

                break;
            }

            if (line.Length > 5 && Ascii.EqualsIgnoreCase(line[..5], "Date:"u8))
            {
                value = Encoding.Latin1.GetString(line[5..]);
            }
        }

        return value is not null && DateUtils.TryParse(value, out var date) ? date : null;
    }
}
