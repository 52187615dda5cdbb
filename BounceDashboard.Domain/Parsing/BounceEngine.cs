using System.Runtime.InteropServices;
using System.Text;
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
/// recognises the message (a challenge/response request is set apart first) → the failed addresses resolved
/// (<see cref="RecipientResolver"/>) and the notice's tense read (<see cref="NoticeTense"/>) → each recipient classified by <see cref="ReasonClassifier"/> → match evidence.
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
        if (raw.Length > MaxMessageBytes)
        {
            raw = raw[..MaxMessageBytes];
        }

        MemoryStream? stream = null;
        MimeMessage message;
        try
        {
            raw = _foldedLines.Bound(_lineEndings.Normalise(raw));
            stream = MemoryMarshal.TryGetArray(raw, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(raw.ToArray(), writable: false);
            message = Load(stream, cancellationToken);
        }
        catch (FormatException ex) when (RefusedFields.Skip(raw.Span) is var skip and > 0)
        {
            // MimeKit refuses a message whose first line is a field with a name it refuses ("Détails:"): that field is
            // left out and the rest read.
            stream?.Dispose();
            return ParseAfterRefusedFields(raw, skip, ex, cancellationToken);
        }
#pragma warning disable CA1031 // The engine's contract: no exception escapes for bad input; the fault is kept on the report.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            // A FormatException: MimeKit cannot read the message at all (no header block, a truncated one), so there is
            // nothing for a format to read. Anything else is a defect, kept as an unexpected fault.
            stream?.Dispose();
            return BounceReport.Unparseable(BounceFault.MimeStage, ex);
        }

        // Disposed once classified: MimeKit's entities carry finalizers, and a finalizable object that dies
        // undisposed survives a collection, which took half of the time of a stream of parses.
        using (stream)
        using (message)
        {
            return Classify(message, MayQuoteToken(raw.Span));
        }
    }

    private BounceReport ParseAfterRefusedFields(ReadOnlyMemory<byte> raw, int skip, FormatException refused, CancellationToken cancellationToken)
    {
        var rest = raw[skip..];
        using var stream = MemoryMarshal.TryGetArray(rest, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(rest.ToArray(), writable: false);
        MimeMessage message;
        try
        {
            message = Load(stream, cancellationToken);
        }
#pragma warning disable CA1031 // The engine's contract: no exception escapes for bad input; the fault is kept on the report.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return BounceReport.Unparseable(BounceFault.MimeStage, ex, [new BounceFault(BounceFault.MimeStage, refused)]);
        }

        using (message)
        {
            var report = Classify(message, MayQuoteToken(raw.Span));
            return report with { Faults = [new BounceFault(BounceFault.MimeStage, refused), .. report.Faults] };
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
        return Classify(message, mayQuoteToken: true);
    }

    /// <summary>
    /// Reads a relay's refusal during our own SMTP session (a 4xx or 5xx reply to MAIL, RCPT or DATA) with the same
    /// classifier as a bounce message, so a reply and a later report of the same failure get the same reason and rule.
    /// <paramref name="replyCode"/> is the three-digit reply code, <paramref name="replyText"/> the text after it (which
    /// often opens with an enhanced status code), <paramref name="command"/> the command refused.
    /// </summary>
    public BounceRecipient ReadSmtpReply(string recipient, int replyCode, string? replyText, string command, string? relay)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        ArgumentOutOfRangeException.ThrowIfLessThan(replyCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replyCode, 599);
        var code = replyCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var text = (replyText ?? string.Empty).Trim();
        return _classifier.Classify(new RecipientEvidence
        {
            Address = recipient,
            Action = DeliveryAction.Failed,
            ReplyCode = code,
            Diagnostic = text.Length == 0 ? code : $"{code} {text}",
            RemoteMta = relay,
            Command = command,
        });
    }

    /// <summary>
    /// Our tracking header's name in the raw bytes, in any casing (header names are case-insensitive, and relays
    /// rewrite them: "X-Bouncedashboard-Token"): when absent, and no text part is base64 or quoted-printable (where it
    /// could hide), no part is decoded just to look for it.
    /// </summary>
    private static bool MayQuoteToken(ReadOnlySpan<byte> raw)
    {
        // The usual spelling first (one vectorised search); then every hyphen, compared with the name around it.
        if (raw.IndexOf("BounceDashboard-Token"u8) >= 0)
        {
            return true;
        }

        const int Before = 9; // "dashboard" before the hyphen of "-token"
        var offset = 0;
        while (raw[offset..].IndexOf((byte)'-') is var hyphen and >= 0)
        {
            var at = offset + hyphen;
            if (at >= Before && raw.Length - (at - Before) >= TokenNameTail.Length
                && Ascii.EqualsIgnoreCase(raw.Slice(at - Before, TokenNameTail.Length), TokenNameTail))
            {
                return true;
            }

            offset = at + 1;
        }

        return false;
    }

    private static ReadOnlySpan<byte> TokenNameTail => "dashboard-token"u8;

    /// <summary>
    /// Asks the formats in order. A format that meets malformed input (a <see cref="FormatException"/> or
    /// <see cref="ParseException"/> thrown by MimeKit) gives way to the next one and the fault is kept on the report; any other
    /// exception is a defect, not bad input, and makes the message unparseable with the fault, so it is seen and the
    /// message can be read again once the defect is fixed.
    /// </summary>
    private BounceReport Classify(MimeMessage message, bool mayQuoteToken)
    {
        List<BounceFault>? faults = null;
        var stage = BounceFault.MimeStage;
        BounceContext? context = null;
        try
        {
            context = new BounceContext(message, mayQuoteToken);
            if (ChallengeRequest.Is(context))
            {
                stage = BounceFault.MatchStage;
                return new BounceReport(MessageKind.Challenge, [], _matcher.Extract(context), Format: "challenge") { Faults = AllFaults(faults, context) };
            }

            var evidence = new List<RecipientEvidence>();
            string? formatName = null;
            foreach (var format in _formats)
            {
                stage = format.Name;
                try
                {
                    if (format.TryParse(context, evidence) && evidence.Count > 0)
                    {
                        formatName = format.Name;
                        break;
                    }
                }
                catch (FormatException ex) when (BounceFault.IsMimeKitParseError(ex))
                {
                    (faults ??= []).Add(new BounceFault(format.Name, ex));
                }

                evidence.Clear();
            }

            stage = BounceFault.MatchStage;
            var match = _matcher.Extract(context);
            if (evidence.Count == 0)
            {
                return new BounceReport(MessageKind.NotABounce, [], match) { Faults = AllFaults(faults, context) };
            }

            // Which address failed, and delay or final from the notice's own words: one rule each, whatever the format.
            stage = BounceFault.ClassifyStage;
            RecipientResolver.Resolve(context, evidence);
            NoticeTense.Apply(context, evidence);
            var recipients = new List<BounceRecipient>(evidence.Count);
            foreach (var e in evidence)
            {
                recipients.Add(_classifier.Classify(e));
            }

            return new BounceReport(BounceReport.KindOf(recipients), recipients, match, Format: formatName) { Faults = AllFaults(faults, context) };
        }
#pragma warning disable CA1031 // The engine's contract: no exception escapes for bad input; the fault is kept on the report.
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
#pragma warning restore CA1031
        {
            return BounceReport.Unparseable(stage, ex, AllFaults(faults, context));
        }
    }

    /// <summary>The faults the formats gave way on, then those read around while examining the message.</summary>
    private static IReadOnlyList<BounceFault> AllFaults(IReadOnlyList<BounceFault>? formats, BounceContext? context) =>
        context is null || context.Faults.Count == 0 ? formats ?? [] : [.. formats ?? [], .. context.Faults];
}
