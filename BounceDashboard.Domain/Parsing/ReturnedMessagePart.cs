using MimeKit;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// A returned original (message/rfc822 and its kin) kept as raw content while the notice is parsed: the engine
/// registers it with its <see cref="ParserOptions"/> so MimeKit does not build the whole original (its body parts,
/// attachments and HTML) for every bounce. Its headers, which matching needs, are read on first use; the full
/// message only when a format asks for it.
/// </summary>
public sealed class ReturnedMessagePart : MimePart
{
    private HeaderList? _headers;
    private MimeMessage? _message;
    private bool _headersRead;
    private bool _messageRead;

    public ReturnedMessagePart(MimeEntityConstructorArgs args)
        : base(args)
    {
    }

    /// <summary>The MIME types kept this way: those MimeKit would parse as an embedded message.</summary>
    public static IReadOnlyList<string> MimeTypes { get; } = ["message/rfc822", "message/global", "message/rfc2822", "message/news"];

    /// <summary>The original's header block; null when the content holds none.</summary>
    public HeaderList? OriginalHeaders
    {
        get
        {
            if (!_headersRead)
            {
                _headersRead = true;
                _headers = _message?.Headers ?? Read(stream => HeaderList.Load(stream));
            }

            return _headers;
        }
    }

    /// <summary>The original parsed in full (with the engine's limits); null when it cannot be read.</summary>
    public MimeMessage? OriginalMessage
    {
        get
        {
            if (!_messageRead)
            {
                _messageRead = true;
                _message = Read(stream => MimeMessage.Load(BounceEngine.Options, stream, persistent: false));
            }

            return _message;
        }
    }

    /// <summary>Longest header block read for <see cref="HeaderValue"/>.</summary>
    private const int MaxHeaderBytes = 64 * 1024;

    /// <summary>Bytes read at a time while looking for the end of the header block.</summary>
    private const int ChunkBytes = 4096;

    private byte[]? _headerBlock;

    /// <summary>
    /// The value of one header of the original (unfolded, trimmed), read straight from the raw header block when it
    /// is plain ASCII; anything encoded (transfer encoding or RFC 2047 words) goes through MimeKit's parser.
    /// </summary>
    public string? HeaderValue(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_headersRead || (_headerBlock ??= ReadHeaderBlock()) is not { } block)
        {
            return OriginalHeaders?[name];
        }

        var value = RawHeader.Find(block, name, out var needsParser);
        return needsParser ? OriginalHeaders?[name] : value;
    }

    /// <summary>
    /// The raw header block (up to its empty line), read chunk by chunk so a large original is not copied for it;
    /// null when the content is transfer-encoded or cannot be read, which leaves the work to MimeKit.
    /// </summary>
    private byte[]? ReadHeaderBlock()
    {
        if (Content?.Stream is not { CanSeek: true } stream
            || Content.Encoding is not (ContentEncoding.Default or ContentEncoding.SevenBit or ContentEncoding.EightBit or ContentEncoding.Binary))
        {
            return null;
        }

        var pool = System.Buffers.ArrayPool<byte>.Shared;
        var buffer = pool.Rent(ChunkBytes);
        try
        {
            stream.Seek(0, SeekOrigin.Begin);
            var length = 0;
            int read;
            while (length < MaxHeaderBytes && (read = stream.Read(buffer, length, Math.Min(ChunkBytes, MaxHeaderBytes - length))) > 0)
            {
                var searchFrom = Math.Max(0, length - 3);
                length += read;
                if (EndOfHeaders(buffer.AsSpan(searchFrom, length - searchFrom)) is var end and >= 0)
                {
                    return buffer.AsSpan(0, searchFrom + end).ToArray();
                }

                if (length + ChunkBytes > buffer.Length)
                {
                    var larger = pool.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    pool.Return(buffer);
                    buffer = larger;
                }
            }

            // No end of the header block within the limit: MimeKit reads it.
            return null;
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or ObjectDisposedException or ArgumentException)
        {
            return null;
        }
        finally
        {
            pool.Return(buffer);
        }
    }

    /// <summary>Index just past the first line break of an empty line ("\n\n" or "\n\r\n"), or -1.</summary>
    private static int EndOfHeaders(ReadOnlySpan<byte> bytes)
    {
        var lf = bytes.IndexOf("\n\n"u8);
        var crlf = bytes.IndexOf("\n\r\n"u8);
        return lf < 0 ? (crlf < 0 ? -1 : crlf + 1) : crlf < 0 || lf < crlf ? lf + 1 : crlf + 1;
    }

    /// <summary>Disposes the original too, when it was parsed (MimeKit's entities have finalizers until disposed).</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _message?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The parse error read around (the original opened with a field MimeKit refuses); null when none.</summary>
    internal FormatException? Fault { get; private set; }

    private T? Read<T>(Func<Stream, T> load)
        where T : class
    {
        if (Content is null)
        {
            return null;
        }

        try
        {
            using var stream = Content.Open();
            return load(stream);
        }
        catch (FormatException ex)
        {
            // MimeKit refuses a header block that opens with a field whose name it refuses ("Détails:"): that field
            // is left out and the rest read.
            Fault ??= ex;
            return ReadAfterRefusedFields(Content, load);
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    private static T? ReadAfterRefusedFields<T>(IMimeContent content, Func<Stream, T> load)
        where T : class
    {
        try
        {
            using var decoded = content.Open();
            using var buffer = new MemoryStream();
            decoded.CopyTo(buffer);
            var skip = RefusedFields.Skip(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            if (skip == 0)
            {
                return null;
            }

            using var rest = new MemoryStream(buffer.GetBuffer(), skip, (int)buffer.Length - skip, writable: false);
            return load(rest);
        }
        catch (Exception ex) when (ex is FormatException or IOException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }
}
