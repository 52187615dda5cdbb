using System.Text;
using MimeKit;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// One message being examined, with the parts every format needs found once: the human-readable notice,
/// the RFC 3464 delivery-status part, the RFC 5965 feedback part and the returned message or headers.
/// The walk over the MIME tree is bounded (depth and part count) so hostile nesting costs little.
/// </summary>
public sealed class BounceContext
{
    /// <summary>Deepest MIME nesting examined.</summary>
    public const int MaxDepth = 8;

    /// <summary>Most MIME parts examined.</summary>
    public const int MaxParts = 64;

    /// <summary>Longest notice text kept (characters); bounce notices are short, returned bodies are not needed.</summary>
    public const int MaxNoticeLength = 32 * 1024;

    private string? _notice;
    private string? _section;
    private List<string>? _sectionLines;
    private string? _preamble;
    private string? _lowerSubject;
    private string? _fromAddress;

    public BounceContext(MimeMessage message, bool mayQuoteTrackingHeader = true)
    {
        _mayQuoteTrackingHeader = mayQuoteTrackingHeader;
        ArgumentNullException.ThrowIfNull(message);
        Message = message;
        Walk(message.Body, 0);
    }

    public MimeMessage Message { get; }

    /// <summary>
    /// False when the raw bytes were searched and hold no tracking header name and no text part is encoded (where
    /// it could hide), so no text needs decoding for it.
    /// </summary>
    public bool MayQuoteTrackingHeader => _mayQuoteTrackingHeader || _encodedText;

    private readonly bool _mayQuoteTrackingHeader;
    private bool _encodedText;

    /// <summary>The RFC 3464 message/delivery-status part, when there is one.</summary>
    public MessageDeliveryStatus? DeliveryStatus { get; private set; }

    private IEnumerable<HeaderList>? _statusGroups;

    /// <summary>
    /// The field groups of <see cref="DeliveryStatus"/> (per-message first, then one per recipient), read once; empty
    /// when there is no such part. MimeKit silently drops a group that opens with a field whose name it refuses
    /// ("Détails:"), and every group after it: a part holding such a field is read as text instead, leaving out only
    /// that field. A part MimeKit cannot split at all is read the same way, and its parse error kept as a fault.
    /// </summary>
    public IEnumerable<HeaderList> StatusGroups => _statusGroups ??= ReadStatusGroups();

    private IEnumerable<HeaderList> ReadStatusGroups()
    {
        if (DeliveryStatus is not { } status)
        {
            return [];
        }

        if (OpensRefusedField(status))
        {
            // MimeKit drops a group that opens with such a field, and every group after it, without a word.
            return DsnFields.TextGroups(ContentText(status), fromFirstReportField: false);
        }

        try
        {
            // MimeKit also undoes the base64 wrapping some Exchange/Office 365 servers put around the status groups.
            return status.StatusGroups;
        }
        catch (FormatException ex)
        {
            RecordFault(BounceFault.DeliveryStatusStage, ex);
            return DsnFields.TextGroups(ContentText(status), fromFirstReportField: false);
        }
    }

    /// <summary>Longest raw part content searched for refused field names.</summary>
    private const int MaxSearchedContent = 64 * 1024;

    /// <summary>True when a line of the part's raw content opens a field whose name MimeKit refuses ("Détails:").</summary>
    private static bool OpensRefusedField(MimePart part)
    {
        if (part.Content?.Stream is not { CanSeek: true } stream)
        {
            return false;
        }

        var pool = System.Buffers.ArrayPool<byte>.Shared;
        var buffer = pool.Rent((int)Math.Min(stream.Length, MaxSearchedContent));
        try
        {
            stream.Seek(0, SeekOrigin.Begin);
            var length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            return RefusedFields.AnyIn(buffer.AsSpan(0, length));
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            pool.Return(buffer);
        }
    }

    /// <summary>A part's content decoded (transfer encoding) and read as UTF-8; empty when it cannot be read.</summary>
    internal static string ContentText(MimePart part)
    {
        if (part.Content is null)
        {
            return string.Empty;
        }

        try
        {
            using var decoded = part.Content.Open();
            using var buffer = new MemoryStream();
            decoded.CopyTo(buffer);
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or FormatException)
        {
            return string.Empty;
        }
    }

    private List<BounceFault>? _faults;

    /// <summary>
    /// Malformed input met and read around while examining the message (a part read leniently); the engine puts them
    /// on the report.
    /// </summary>
    public IReadOnlyList<BounceFault> Faults =>
        _returnedPart?.Fault is { } returned ? [.. _faults ?? [], new BounceFault(BounceFault.ReturnedMessageStage, returned)] : _faults ?? [];

    /// <summary>Keeps an exception that was caught and read around (see <see cref="Faults"/>).</summary>
    internal void RecordFault(string stage, Exception exception) => (_faults ??= []).Add(new BounceFault(stage, exception));

    /// <summary>The RFC 5965 message/feedback-report part, when there is one.</summary>
    public MimePart? FeedbackReport { get; private set; }

    /// <summary>True when the notice carries a returned original (without parsing it).</summary>
    public bool HasReturnedMessage => _returnedPart is not null || _returnedMessage is not null;

    /// <summary>One header of the returned original, without parsing the whole header block when it can be helped.</summary>
    public string? ReturnedHeader(string name) => _returnedHeaders is { } headers ? headers[name] : _returnedPart?.HeaderValue(name);

    /// <summary>
    /// The first address in the returned original's To (lower case), without parsing the original: its raw To value
    /// when plain, MimeKit's address parser on that one value otherwise; null when there is none.
    /// </summary>
    public string? ReturnedRecipient()
    {
        if (ReturnedHeader("To") is not { Length: > 0 } to)
        {
            return null;
        }

        if (SimpleAddress(Encoding.UTF8.GetBytes(to)) is { } simple)
        {
            return simple;
        }

        return InternetAddressList.TryParse(to, out var list) ? list.Mailboxes.FirstOrDefault()?.Address : null;
    }

    /// <summary>
    /// True when the From header (display name included) mentions <paramref name="text"/>, case-insensitively; the raw
    /// value is searched unless it holds encoded words.
    /// </summary>
    public bool FromHeaderMentions(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        if (FirstHeader(HeaderId.From) is not { } from)
        {
            return false;
        }

        var raw = from.RawValue.AsSpan();
        if (raw.IndexOf("=?"u8) >= 0 || !Ascii.IsValid(raw))
        {
            return from.Value.Contains(text, StringComparison.OrdinalIgnoreCase);
        }

        for (var start = 0; start + text.Length <= raw.Length; start++)
        {
            if (Ascii.EqualsIgnoreCase(raw.Slice(start, text.Length), text))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first top-level header with that id, or null (read by id: no field-name comparisons).</summary>
    private Header? FirstHeader(HeaderId id)
    {
        var headers = Message.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i].Id == id)
            {
                return headers[i];
            }
        }

        return null;
    }

    /// <summary>The returned original, parsed on first use (most bounces never need more than its headers).</summary>
    public MimeMessage? ReturnedMessage => _returnedMessage ?? _returnedPart?.OriginalMessage;

    private HeaderList? _returnedHeaders;
    private MimeMessage? _returnedMessage;
    private ReturnedMessagePart? _returnedPart;

    /// <summary>Content-Type report-type parameter of the top multipart/report, lower case.</summary>
    public string? ReportType { get; private set; }

    /// <summary>The first text part outside the returned message (the human-readable notice).</summary>
    public TextPart? NoticePart { get; private set; }

    /// <summary>Every text part outside the returned message, in order.</summary>
    public List<TextPart> TextParts { get; } = [];

    public string Subject => Message.Subject ?? string.Empty;

    /// <summary>
    /// True when the Subject, without leading white space, starts with <paramref name="prefix"/> (case-insensitive) or,
    /// with <paramref name="whole"/>, is exactly it. A plain ASCII subject is compared in its raw bytes; only an
    /// encoded or folded one is decoded (formats ask this of every message, and most never need the decoded text).
    /// </summary>
    public bool SubjectStartsWith(string prefix, bool whole = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (FirstHeader(HeaderId.Subject) is { } header)
        {
            var raw = header.RawValue.AsSpan().Trim(" \t\r\n"u8);
            if (raw.IndexOf("=?"u8) < 0 && raw.IndexOfAny((byte)'\r', (byte)'\n') < 0 && Ascii.IsValid(raw))
            {
                return (whole ? raw.Length == prefix.Length : raw.Length >= prefix.Length)
                    && Ascii.EqualsIgnoreCase(raw[..prefix.Length], prefix);
            }
        }

        var subject = Subject.AsSpan().Trim();
        return whole ? subject.Equals(prefix, StringComparison.OrdinalIgnoreCase) : subject.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Subject in lower case (cached).</summary>
    public string LowerSubject => _lowerSubject ??= Subject.ToLowerInvariant();

    /// <summary>From address in lower case, or empty (read on first use: MimeKit parses the address list only when asked).</summary>
    public string FromAddress => _fromAddress ??= FirstFromAddress();

    /// <summary>
    /// The notice as plain text (decoded once). HTML-only notices are reduced to text; the length is capped.
    /// </summary>
    public string NoticeText => _notice ??= BuildNotice();

    private int _partsSeen;

    /// <summary>The notice up to where the returned message begins (computed once).</summary>
    public string NoticeSection(NoticeReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return _section ??= reader.Section(NoticeText);
    }

    /// <summary>The lines of <see cref="NoticeSection"/> (split once; several formats read them).</summary>
    public IReadOnlyList<string> NoticeSectionLines(NoticeReader reader) => _sectionLines ??= NoticeReader.Lines(NoticeSection(reader));

    /// <summary>Value of a top-level header, or null.</summary>
    public string? Header(string name) => Message.Headers[name];

    private void Walk(MimeEntity? entity, int depth)
    {
        if (entity is null || depth > MaxDepth || ++_partsSeen > MaxParts)
        {
            return;
        }

        switch (entity)
        {
            case Multipart multipart:
                if (depth <= 1 && multipart.ContentType.IsMimeType("multipart", "report"))
                {
                    ReportType ??= multipart.ContentType.Parameters["report-type"]?.ToLowerInvariant();
                }

                foreach (var child in multipart)
                {
                    Walk(child, depth + 1);
                }

                // A multipart whose boundary MimeKit could not read (a Content-Type parameter on an unfolded line,
                // seen in Apache James notices) keeps its text in the preamble.
                if (multipart.Count == 0 && !string.IsNullOrEmpty(multipart.Preamble))
                {
                    _preamble ??= multipart.Preamble;
                }

                break;
            case MessageDeliveryStatus status:
                DeliveryStatus ??= status;
                break;
            case ReturnedMessagePart returned:
                // RFC 3462/6522 third part: the returned message, kept raw until asked for.
                if (_returnedPart is null && _returnedHeaders is null)
                {
                    _returnedPart = returned;
                }

                break;
            case MessagePart part:
                // text/rfc822-headers (a MessagePart in MimeKit 4), or an original parsed by other options.
                if (_returnedPart is null && _returnedHeaders is null)
                {
                    _returnedHeaders = part.Message?.Headers;
                    _returnedMessage = part.Message;
                }

                break;
            case TextPart text:
                TextParts.Add(text);
                _encodedText |= text.ContentTransferEncoding is ContentEncoding.Base64 or ContentEncoding.QuotedPrintable;
                NoticePart ??= text.IsPlain ? text : null;
                break;
            case MimePart part when part.ContentType.IsMimeType("message", "feedback-report"):
                FeedbackReport ??= part;
                break;
            case MimePart part when part.ContentType.IsMimeType("message", "delivery-status")
                || part.ContentType.IsMimeType("message", "global-delivery-status"):
                break;
            default:
                break;
        }
    }

    private string FirstFromAddress() =>
        SimpleAddressOf(HeaderId.From, out var simple) ? simple
        : Message.From.Mailboxes.FirstOrDefault()?.Address?.ToLowerInvariant() ?? string.Empty;

    /// <summary>
    /// The addresses of the notice's own From and To (lower case): addresses of the mail system and of our sender,
    /// never the failed recipient. Read once.
    /// </summary>
    public IReadOnlySet<string> OwnAddresses => _ownAddresses ??= ReadOwnAddresses();

    private HashSet<string>? _ownAddresses;

    private HashSet<string> ReadOwnAddresses()
    {
        var own = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (FromAddress.Length > 0)
        {
            own.Add(DsnFields.Address(FromAddress));
        }

        if (SimpleAddressOf(HeaderId.To, out var to))
        {
            own.Add(DsnFields.Address(to));
        }
        else
        {
            foreach (var m in Message.To.Mailboxes)
            {
                own.Add(DsnFields.Address(m.Address));
            }
        }

        return own;
    }

    /// <summary>
    /// The address of a header in one of the plain forms ("addr", "addr (comment)", "Name &lt;addr&gt;"), read from the
    /// raw bytes; false when it is absent or needs MimeKit's address parser (encoded words, quoting, groups, lists).
    /// </summary>
    private bool SimpleAddressOf(HeaderId id, out string address)
    {
        address = FirstHeader(id) is { } header ? SimpleAddress(header.RawValue) ?? string.Empty : string.Empty;
        return address.Length > 0;
    }

    /// <summary>Quoting, encoded words, groups and lists: a From value with any of them goes to MimeKit's parser.</summary>
    private static readonly System.Buffers.SearchValues<byte> NeedsParser = System.Buffers.SearchValues.Create("\"=;,:"u8);

    private static readonly System.Buffers.SearchValues<byte> Space = System.Buffers.SearchValues.Create(" \t\r\n"u8);

    private static readonly System.Buffers.SearchValues<byte> NotInAddress = System.Buffers.SearchValues.Create(" \t\r\n()<>"u8);

    /// <summary>The address of a simple From value, lower case; null when the value needs a real parser.</summary>
    internal static string? SimpleAddress(ReadOnlySpan<byte> raw)
    {
        // "Display Name" <addr> or =?utf-8?...?= <addr>: one angle address closing the value, whatever the name holds.
        if (raw.Count((byte)'<') == 1 && raw.Count((byte)'>') == 1 && raw.TrimEnd(" \t\r\n"u8) is [.., (byte)'>'] named
            && named.LastIndexOf((byte)'"') < named.IndexOf((byte)'<'))
        {
            var angle = named[(named.IndexOf((byte)'<') + 1)..^1].Trim(" \t"u8);
            if (!angle.IsEmpty && angle.IndexOfAny(NotInAddress) < 0 && angle.IndexOf((byte)'@') == angle.LastIndexOf((byte)'@')
                && Ascii.IsValid(angle))
            {
                return Encoding.ASCII.GetString(angle).ToLowerInvariant();
            }
        }

        if (raw.IndexOfAny(NeedsParser) >= 0 || raw.ContainsAnyInRange((byte)0x80, (byte)0xff))
        {
            return null;
        }

        var open = raw.IndexOf((byte)'<');
        ReadOnlySpan<byte> address;
        if (open >= 0)
        {
            var close = raw[open..].IndexOf((byte)'>');
            if (close < 0 || raw[(open + close + 1)..].IndexOfAny((byte)'<', (byte)'>') >= 0 || raw[..open].IndexOf((byte)'(') >= 0)
            {
                return null;
            }

            address = raw.Slice(open + 1, close - 1).Trim(" \t\r\n"u8);
        }
        else
        {
            var trimmed = raw.Trim(" \t\r\n"u8);
            var end = trimmed.IndexOfAny(Space);
            address = end < 0 ? trimmed : trimmed[..end];
            if (end >= 0 && trimmed[end..].Trim(" \t\r\n"u8) is var rest && rest.Length > 0 && (rest[0] != (byte)'(' || rest[^1] != (byte)')'))
            {
                return null;
            }
        }

        if (address.IsEmpty || address.IndexOfAny(NotInAddress) >= 0 || address.IndexOf((byte)'@') != address.LastIndexOf((byte)'@'))
        {
            return null;
        }

        return Encoding.ASCII.GetString(address).ToLowerInvariant();
    }

    private string BuildNotice()
    {
        var part = NoticePart ?? TextParts.FirstOrDefault();
        if (part is null)
        {
            return _preamble is { } preamble && preamble.Length > MaxNoticeLength ? preamble[..MaxNoticeLength] : _preamble ?? string.Empty;
        }

        var text = DecodeBounded(part, MaxNoticeLength);
        return part.IsHtml ? HtmlText.Strip(text) : text;
    }

    /// <summary>
    /// Decodes at most <paramref name="maxBytes"/> of a text part (transfer encoding, then charset) without
    /// decoding the rest: a notice that carries the returned message inline can be large.
    /// </summary>
    public static string DecodeBounded(TextPart part, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (part.Content?.Stream is null)
        {
            return string.Empty;
        }

        try
        {
            // The raw (still transfer-encoded) bytes are read once into a pooled buffer and decoded in place of
            // Content.Open(), whose filtered stream allocates its own buffers for every part.
            var decoder = Decoder(part.Content.Encoding);
            var rawLimit = decoder is null ? maxBytes : maxBytes * EncodedBytesPerByte;
            var pool = System.Buffers.ArrayPool<byte>.Shared;
            var raw = pool.Rent(rawLimit);
            byte[]? decoded = null;
            try
            {
                var stream = part.Content.Stream;
                stream.Seek(0, SeekOrigin.Begin);
                var length = 0;
                int read;
                while (length < rawLimit && (read = stream.Read(raw, length, rawLimit - length)) > 0)
                {
                    length += read;
                }

                var bytes = raw;
                if (decoder is not null)
                {
                    decoded = pool.Rent(Math.Max(decoder.EstimateOutputLength(length), 1));
                    length = Math.Min(decoder.Decode(raw, 0, length, decoded), maxBytes);
                    bytes = decoded;
                }

                var encoding = Charset(part);

                // ISO-2022-JP text that lost its escape sequences is plain ASCII; decoding it as JIS garbles it.
                if (encoding.CodePage is 50220 or 50221 or 50222 && bytes.AsSpan(0, length).IndexOf((byte)0x1b) < 0)
                {
                    encoding = Encoding.UTF8;
                }

                return encoding.GetString(bytes, 0, length);
            }
            finally
            {
                pool.Return(raw);
                if (decoded is not null)
                {
                    pool.Return(decoded);
                }
            }
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or DecoderFallbackException or IOException or FormatException)
        {
            return string.Empty;
        }
    }

    /// <summary>Encoded bytes read for each decoded byte wanted: quoted-printable's "=XX" is the widest (3 to 1).</summary>
    private const int EncodedBytesPerByte = 3;

    /// <summary>The decoder for a transfer encoding, or null when the bytes are the text itself.</summary>
    private static MimeKit.Encodings.IMimeDecoder? Decoder(ContentEncoding encoding) => encoding switch
    {
        ContentEncoding.Base64 => new MimeKit.Encodings.Base64Decoder(),
        ContentEncoding.QuotedPrintable => new MimeKit.Encodings.QuotedPrintableDecoder(),
        ContentEncoding.UUEncode => new MimeKit.Encodings.UUDecoder(),
        _ => null,
    };

    /// <summary>Most charset names remembered; hostile input naming endless charsets cannot grow the cache past it.</summary>
    private const int MaxCachedCharsets = 256;

    /// <summary>
    /// Encodings by charset name: MimeKit resolves a name under a global lock and through the code-page provider on
    /// every call, which costs more than decoding a short notice.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Encoding> Charsets = new(StringComparer.OrdinalIgnoreCase);

    private static Encoding Charset(TextPart part)
    {
        if (part.ContentType.Charset is not { } name)
        {
            return Encoding.UTF8;
        }

        if (Charsets.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var encoding = ResolveCharset(part);
        if (Charsets.Count < MaxCachedCharsets)
        {
            Charsets.TryAdd(name, encoding);
        }

        return encoding;
    }

    private static Encoding ResolveCharset(TextPart part)
    {
        // .NET disables UTF-7 (SYSLIB0001): asking for it costs a thrown exception for the same UTF-8 answer.
        if (part.ContentType.Charset is { } name && name.Contains("utf-7", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.UTF8;
        }

        try
        {
            return part.ContentType.CharsetEncoding ?? Encoding.UTF8;
        }
        catch (NotSupportedException)
        {
            return Encoding.UTF8;
        }
    }
}
