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

    /// <summary>
    /// The value of one header of the original (unfolded, trimmed), read straight from the raw header block when it
    /// is plain ASCII; anything encoded (transfer encoding or RFC 2047 words) goes through MimeKit's parser.
    /// </summary>
    public string? HeaderValue(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_headersRead || Content?.Stream is not { CanSeek: true } stream
            || Content.Encoding is not (ContentEncoding.Default or ContentEncoding.SevenBit or ContentEncoding.EightBit or ContentEncoding.Binary))
        {
            return OriginalHeaders?[name];
        }

        var pool = System.Buffers.ArrayPool<byte>.Shared;
        var buffer = pool.Rent(Math.Min(MaxHeaderBytes, (int)Math.Min(stream.Length, MaxHeaderBytes)) + 1);
        try
        {
            stream.Seek(0, SeekOrigin.Begin);
            var length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            return RawHeader.Find(buffer.AsSpan(0, length), name, out var needsParser) is { } value && !needsParser
                ? value
                : needsParser ? OriginalHeaders?[name] : null;
        }
        finally
        {
            pool.Return(buffer);
        }
    }

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
        catch (Exception ex) when (ex is FormatException or IOException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }
}
