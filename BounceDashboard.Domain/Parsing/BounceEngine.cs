using BounceDashboard.Domain.Bounces;
using MimeKit;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Turns one raw message into a <see cref="BounceReport"/>. Thread-safe and reusable: create one and share it.
/// Never throws on bad input: a message it cannot read comes back as <see cref="MessageKind.Unparseable"/>.
/// </summary>
public sealed class BounceEngine
{
    /// <summary>Parses a raw message (any line endings: LF, CRLF or CR only).</summary>
    public BounceReport Parse(ReadOnlyMemory<byte> raw, CancellationToken cancellationToken = default)
    {
        try
        {
            using var stream = new MemoryStream(raw.ToArray(), writable: false);
            var message = MimeMessage.Load(stream, cancellationToken);
            return Parse(message);
        }
        catch (FormatException ex)
        {
            return BounceReport.Unparseable(ex.Message);
        }
    }

    /// <summary>Parses a raw message read from a stream.</summary>
    public BounceReport Parse(Stream raw, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var buffer = new MemoryStream();
        raw.CopyTo(buffer);
        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
    }

    /// <summary>Classifies an already-parsed message.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Instance API for DI; the engine grows state.")]
    public BounceReport Parse(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new BounceReport(MessageKind.NotABounce, [], BounceMatch.None);
    }
}
