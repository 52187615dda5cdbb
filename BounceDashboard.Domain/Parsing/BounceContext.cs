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
    public const int MaxNoticeLength = 128 * 1024;

    private string? _notice;
    private string? _lowerSubject;

    public BounceContext(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Message = message;
        Walk(message.Body, 0);
    }

    public MimeMessage Message { get; }

    /// <summary>The RFC 3464 message/delivery-status part, when there is one.</summary>
    public MessageDeliveryStatus? DeliveryStatus { get; private set; }

    /// <summary>The RFC 5965 message/feedback-report part, when there is one.</summary>
    public MimePart? FeedbackReport { get; private set; }

    /// <summary>Headers of the returned original (message/rfc822 or text/rfc822-headers), when there is one.</summary>
    public HeaderList? ReturnedHeaders { get; private set; }

    /// <summary>The returned original's body parts are not examined; its first text part is kept for inline tokens.</summary>
    public MimeMessage? ReturnedMessage { get; private set; }

    /// <summary>Content-Type report-type parameter of the top multipart/report, lower case.</summary>
    public string? ReportType { get; private set; }

    /// <summary>The first text part outside the returned message (the human-readable notice).</summary>
    public TextPart? NoticePart { get; private set; }

    /// <summary>Every text part outside the returned message, in order.</summary>
    public List<TextPart> TextParts { get; } = [];

    public string Subject => Message.Subject ?? string.Empty;

    /// <summary>Subject in lower case (cached).</summary>
    public string LowerSubject => _lowerSubject ??= Subject.ToLowerInvariant();

    /// <summary>From address in lower case, or empty.</summary>
    public string FromAddress { get; private set; } = string.Empty;

    /// <summary>
    /// The notice as plain text (decoded once). HTML-only notices are reduced to text; the length is capped.
    /// </summary>
    public string NoticeText => _notice ??= BuildNotice();

    private int _partsSeen;

    /// <summary>Value of a top-level header, or null.</summary>
    public string? Header(string name) => Message.Headers[name];

    private void Walk(MimeEntity? entity, int depth)
    {
        if (entity is null || depth > MaxDepth || ++_partsSeen > MaxParts)
        {
            return;
        }

        if (depth == 0)
        {
            var from = Message.From.Mailboxes.FirstOrDefault();
            FromAddress = from?.Address?.ToLowerInvariant() ?? string.Empty;
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

                break;
            case MessageDeliveryStatus status:
                DeliveryStatus ??= status;
                break;
            case TextRfc822Headers headers:
                // MimeKit 4: text/rfc822-headers derives from MessagePart; the headers are in .Message.
                ReturnedHeaders ??= headers.Message?.Headers;
                ReturnedMessage ??= headers.Message;
                break;
            case MessagePart part:
                // RFC 3462/6522 third part: the returned message. Only its headers are used.
                ReturnedHeaders ??= part.Message?.Headers;
                ReturnedMessage ??= part.Message;
                break;
            case TextPart text:
                TextParts.Add(text);
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

    private string BuildNotice()
    {
        var part = NoticePart ?? TextParts.FirstOrDefault();
        if (part is null)
        {
            return string.Empty;
        }

        string text;
        try
        {
            text = part.Text ?? string.Empty;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or DecoderFallbackException)
        {
            return string.Empty;
        }

        if (text.Length > MaxNoticeLength)
        {
            text = text[..MaxNoticeLength];
        }

        return part.IsHtml ? HtmlText.Strip(text) : text;
    }
}
