using System.Runtime.InteropServices;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing.Formats;
using MimeKit;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Turns one raw message into a <see cref="BounceReport"/>. Thread-safe and reusable: create one and share it.
/// Never throws on bad input: a message it cannot read comes back as <see cref="MessageKind.Unparseable"/>.
/// </summary>
/// <remarks>
/// Pipeline: line endings normalised (CR-only input) → one MimeKit parse → the formats, in order, until one
/// recognises the message → each recipient classified by <see cref="ReasonClassifier"/> → match evidence.
/// </remarks>
public sealed class BounceEngine
{
    /// <summary>Largest input parsed; anything beyond is cut (a bounce notice never needs more).</summary>
    public const int MaxMessageBytes = 32 * 1024 * 1024;

    /// <summary>Largest input parsed by the thread's reused parser (see <see cref="Load"/>).</summary>
    private const int MaxReusedParserInput = 256 * 1024;

    [ThreadStatic]
    private static MimeParser? t_parser;

    private readonly IReadOnlyList<IBounceFormat> _formats;
    private readonly ReasonClassifier _classifier;
    private readonly MatchExtractor _matcher;
    private readonly LineEndings _lineEndings;
    private readonly FoldedLineGuard _foldedLines = new();

    /// <summary>An engine with the default formats, classifier and matcher.</summary>
    public BounceEngine()
        : this(DefaultFormats(), new ReasonClassifier(new ReasonPatterns(), new SmtpCodeFinder(), new ProviderRules()), new MatchExtractor(), new LineEndings())
    {
    }

    public BounceEngine(IEnumerable<IBounceFormat> formats, ReasonClassifier classifier, MatchExtractor matcher, LineEndings lineEndings)
    {
        ArgumentNullException.ThrowIfNull(formats);
        _formats = [.. formats];
        _classifier = classifier ?? throw new ArgumentNullException(nameof(classifier));
        _matcher = matcher ?? throw new ArgumentNullException(nameof(matcher));
        _lineEndings = lineEndings ?? throw new ArgumentNullException(nameof(lineEndings));
    }

    /// <summary>
    /// How the engine has MimeKit parse: nesting bounded (header bombs and deep nesting cost little), and returned
    /// originals kept raw until something asks for them (<see cref="ReturnedMessagePart"/>).
    /// </summary>
    internal static ParserOptions Options { get; } = CreateOptions();

    /// <summary>A copy of the options the engine parses with, for measuring or pre-parsing the way it does.</summary>
    public static ParserOptions CreateParserOptions() => Options.Clone();

    private static ParserOptions CreateOptions()
    {
        LegacyCharsets.Register();
        var options = ParserOptions.Default.Clone();
        options.MaxMimeDepth = 16;
        foreach (var mimeType in ReturnedMessagePart.MimeTypes)
        {
            options.RegisterMimeType(mimeType, typeof(ReturnedMessagePart));
        }

        return options;
    }

    /// <summary>The formats in the order they are asked: reports first, MTA notices next, auto-replies last.</summary>
    public static IReadOnlyList<IBounceFormat> DefaultFormats()
    {
        var fields = new DsnFields();
        var reader = new NoticeReader();
        return
        [
            new ArfFormat(),
            .. VendorFormats.Create(fields, reader),
            new Rfc3464Format(fields, reader),
            new InlineDsnFormat(fields),
            new AmazonSesFormat(),
            new SmtpTranscriptFormat(),
            new DragonFlyFormat(reader),
            new GoogleGroupsFormat(reader),
            new GmailFormat(reader),
            new NotesFormat(reader),
            new EximFormat(reader),
            new QmailFormat(reader),
            new AutoReplyFormat(),
            new GenericNoticeFormat(reader),
        ];
    }

    /// <summary>Parses a raw message (any line endings: LF, CRLF or CR only).</summary>
    public BounceReport Parse(ReadOnlyMemory<byte> raw, CancellationToken cancellationToken = default)
    {
        try
        {
            if (raw.Length > MaxMessageBytes)
            {
                raw = raw[..MaxMessageBytes];
            }

            raw = _foldedLines.Bound(_lineEndings.Normalise(raw));
            using var stream = MemoryMarshal.TryGetArray(raw, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(raw.ToArray(), writable: false);
            // Disposed once classified: MimeKit's entities carry finalizers, and a finalizable object that dies
            // undisposed survives a collection, which took half of the time of a stream of parses.
            using var message = Load(stream, cancellationToken);
            return Classify(new BounceContext(message, MayQuoteToken(raw.Span)));
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // The engine's contract: no exception escapes for bad input; the error text is kept.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return BounceReport.Unparseable(ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>
    /// One MimeKit parse. A message of up to <see cref="MaxReusedParserInput"/> bytes (nearly every bounce) goes
    /// through this thread's parser: a parser carries about 6 KB of buffers, and allocating one per message was a
    /// sixth of MimeKit's cost here. A larger one gets a parser of its own, because a parser's header buffer grows to
    /// the longest header it has read and never shrinks. Persistent: part contents stay slices of the input instead
    /// of being copied (the stream outlives the classification). The reused parser lets go of the stream afterwards.
    /// </summary>
    private static MimeMessage Load(MemoryStream stream, CancellationToken cancellationToken)
    {
        if (stream.Length > MaxReusedParserInput)
        {
            return new MimeParser(Options, stream, persistent: true).ParseMessage(cancellationToken);
        }

        var parser = t_parser ??= new MimeParser(Options, Stream.Null, persistent: true);
        try
        {
            parser.SetStream(stream, MimeFormat.Entity, persistent: true);
            return parser.ParseMessage(cancellationToken);
        }
        finally
        {
            parser.SetStream(Stream.Null, MimeFormat.Entity, persistent: true);
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
    public BounceReport Parse(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Classify(new BounceContext(message));
    }

    /// <summary>
    /// Our tracking header's name in the raw bytes (in its usual spellings): when absent, and no text part is
    /// base64 or quoted-printable (where it could hide), no part is decoded just to look for it.
    /// </summary>
    private static bool MayQuoteToken(ReadOnlySpan<byte> raw) =>
        raw.IndexOf("ounceDashboard-Token"u8) >= 0 || raw.IndexOf("ouncedashboard-token"u8) >= 0
        || raw.IndexOf("OUNCEDASHBOARD-TOKEN"u8) >= 0;

    private BounceReport Classify(BounceContext context)
    {
        try
        {
            var evidence = new List<RecipientEvidence>();
            string? formatName = null;
            foreach (var format in _formats)
            {
                if (format.TryParse(context, evidence) && evidence.Count > 0)
                {
                    formatName = format.Name;
                    break;
                }

                evidence.Clear();
            }

            if (evidence.Count == 0)
            {
                return new BounceReport(MessageKind.NotABounce, [], _matcher.Extract(context));
            }

            var recipients = new List<BounceRecipient>(evidence.Count);
            foreach (var e in evidence)
            {
                recipients.Add(_classifier.Classify(e));
            }

            return new BounceReport(BounceReport.KindOf(recipients), recipients, _matcher.Extract(context), Format: formatName);
        }
#pragma warning disable CA1031 // The engine's contract: no exception escapes for bad input; the error text is kept.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return BounceReport.Unparseable(ex.GetType().Name + ": " + ex.Message);
        }
    }
}
