using System.Net;
using System.Text;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Tracking;
using MimeKit;
using MimeKit.Utils;

namespace BounceDashboard.Web.Mail;

/// <summary>What a campaign's message is made of, as the campaign stores it.</summary>
public sealed record CampaignContent(string FromAddress, string? FromName, string Subject, string? HtmlBody, string? TextBody);

/// <summary>
/// Who one rendered message goes to: the delivery's address, its signed token, and the Message-ID stored with the
/// delivery (with or without angle brackets).
/// </summary>
public sealed record MessageRecipient(string Address, string? DisplayName, string Token, string MessageId);

/// <summary>
/// A campaign's message, compiled once and rendered for each delivery. Compiling finds every <c>&lt;a href&gt;</c> of
/// the HTML (<see cref="HtmlLinkScanner"/>), keeps the absolute http(s) ones as <see cref="Links"/> (numbered 1..n,
/// one number per occurrence, so the logo and the footer link to one page count apart), and splits the HTML into
/// literal segments around those slots and the open pixel's; rendering only concatenates.
/// </summary>
/// <remarks>
/// <para>
/// Each tracked <c>href</c> becomes <c>{base}/t/c/{token}/{n}</c> and the pixel (<c>{base}/t/o/{token}</c>) goes just
/// before the last <c>&lt;/body&gt;</c>, or at the end of a fragment. Links are stored HTML-decoded (<c>&amp;amp;</c>
/// is <c>&amp;</c>), trimmed like a browser does; an http(s) link the click endpoint would not redirect to (user info,
/// whitespace, no host) refuses the whole template. <c>mailto:</c>, <c>tel:</c>, <c>#anchors</c>, relative and other
/// links, links in comments, scripts and styles are left as they are.
/// </para>
/// <para>
/// The text part is sent as written: its links are not rewritten (a reader copies them, and text clicks cannot be
/// told from opens anyway) and no unsubscribe line is added to either body; the <c>List-Unsubscribe</c> header
/// (RFC 2369) with <c>List-Unsubscribe-Post</c> (RFC 8058 one-click) points at <c>{base}/t/u/{token}</c>. No
/// <c>mailto:</c> unsubscribe is offered: the bounce mailbox does not read requests.
/// </para>
/// </remarks>
public sealed class CampaignMessageTemplate
{
    public const string ListUnsubscribeHeader = "List-Unsubscribe";
    public const string ListUnsubscribePostHeader = "List-Unsubscribe-Post";

    /// <summary>The one value RFC 8058 §3.1 allows in <c>List-Unsubscribe-Post</c>, also the POST body it asks for.</summary>
    public const string OneClick = $"{TrackingEndpoints.OneClickField}={TrackingEndpoints.OneClickValue}";

    private const int PixelSlot = 0;

    private readonly string _fromAddress;
    private readonly string? _fromName;
    private readonly string _subject;
    private readonly string? _text;
    private readonly TimeProvider _time;

    // The HTML as literal segments around its slots: _segments[0], slot 0, _segments[1], ..., _segments[^1].
    // A slot is a link number (1..n) or PixelSlot.
    private readonly string[] _segments;
    private readonly int[] _slots;
    private readonly int _literalLength;

    private CampaignMessageTemplate(CampaignContent content, TimeProvider time, IReadOnlyList<string> links, string[] segments, int[] slots)
    {
        _fromAddress = content.FromAddress.Trim();
        _fromName = string.IsNullOrWhiteSpace(content.FromName) ? null : content.FromName.Trim();
        _subject = content.Subject;
        _text = string.IsNullOrWhiteSpace(content.TextBody) ? null : content.TextBody;
        _time = time;
        Links = links;
        _segments = segments;
        _slots = slots;
        _literalLength = segments.Sum(s => s.Length);
    }

    /// <summary>The absolute http(s) URLs of the HTML's links, in order; link number n is <c>Links[n - 1]</c>.</summary>
    public IReadOnlyList<string> Links { get; }

    /// <summary>True when the message has an HTML part (and so tracked links and an open pixel).</summary>
    public bool HasHtml => _segments.Length > 0;

    /// <summary>Checks and prepares <paramref name="content"/>; throws <see cref="DomainException"/> when it cannot be sent.</summary>
    public static CampaignMessageTemplate Compile(CampaignContent content, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(time);
        var html = string.IsNullOrWhiteSpace(content.HtmlBody) ? null : content.HtmlBody;
        if (html is null && string.IsNullOrWhiteSpace(content.TextBody))
        {
            throw new DomainException("A campaign message needs an HTML or a text body.");
        }

        if (!EmailAddress.TryNormalize(content.FromAddress, out _))
        {
            throw new DomainException($"'{content.FromAddress}' is not a sender address.");
        }

        // A line break in a header value would start another header (a Bcc: of the attacker's choosing).
        RefuseControlCharacters(content.FromName, "sender name");
        RefuseControlCharacters(content.Subject, "subject");

        if (html is null)
        {
            return new CampaignMessageTemplate(content, time, [], [], []);
        }

        var scan = HtmlLinkScanner.Scan(html);
        var links = new List<string>();
        var cuts = new List<(int Start, int Length, int Slot)>();
        foreach (var href in scan.Hrefs)
        {
            if (TrackedUrl(href.RawValue) is not { } url)
            {
                continue;
            }

            var number = links.Count + 1;
            if (number > CampaignLink.MaxNumber)
            {
                throw new DomainException($"The HTML has more than {CampaignLink.MaxNumber} links; a campaign tracks at most {CampaignLink.MaxNumber}.");
            }

            try
            {
                // The same check the stored link gets (CampaignLink.ForCampaign), made now so a bad link stops the
                // campaign before anything is sent rather than when its links are saved.
                CampaignLink.Create(1, number, url);
            }
            catch (DomainException ex)
            {
                throw new DomainException($"HTML link {number} ('{url}') cannot be tracked: {ex.Message}", ex);
            }

            links.Add(url);
            cuts.Add((href.Start, href.Length, number));
        }

        cuts.Add((scan.PixelAt, 0, PixelSlot));
        cuts.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Length.CompareTo(b.Length));
        var segments = new string[cuts.Count + 1];
        var at = 0;
        for (var k = 0; k < cuts.Count; k++)
        {
            segments[k] = html[at..cuts[k].Start];
            at = cuts[k].Start + cuts[k].Length;
        }

        segments[^1] = html[at..];
        return new CampaignMessageTemplate(content, time, links, segments, cuts.Select(c => c.Slot).ToArray());
    }

    /// <summary>The message for one delivery, its links and pixel pointing at <paramref name="publicBaseUrl"/>.</summary>
    /// <param name="recipient">The delivery's address, token and Message-ID.</param>
    /// <param name="publicBaseUrl">Where the app's tracking routes are reached from the internet (a path is kept).</param>
    /// <param name="bounceDomain">The VERP domain; names the Message-ID only when the recipient has none.</param>
    public MimeMessage Render(MessageRecipient recipient, Uri publicBaseUrl, string bounceDomain)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient.Token);
        if (!publicBaseUrl.IsAbsoluteUri || (publicBaseUrl.Scheme != Uri.UriSchemeHttps && publicBaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The public base URL must be an absolute http(s) URL, not '{publicBaseUrl}'.", nameof(publicBaseUrl));
        }

        var root = publicBaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var messageId = recipient.MessageId?.Trim().TrimStart('<').TrimEnd('>');
        var message = new MimeMessage
        {
            Subject = _subject,
            Date = _time.GetUtcNow(),
            MessageId = string.IsNullOrEmpty(messageId) ? MimeUtils.GenerateMessageId(bounceDomain) : messageId,
        };
        message.From.Add(new MailboxAddress(_fromName, _fromAddress));
        message.To.Add(new MailboxAddress(recipient.DisplayName, recipient.Address));
        message.Headers.Add(TrackingHeaders.Token, recipient.Token);
        message.Headers.Add(ListUnsubscribeHeader, $"<{root}{TrackingEndpoints.UnsubscribePath(recipient.Token)}>");
        message.Headers.Add(ListUnsubscribePostHeader, OneClick);

        var text = _text is null ? null : Part("plain", _text);
        var html = HasHtml ? Part("html", RenderHtml(WebUtility.HtmlEncode(root), recipient.Token)) : null;
        message.Body = (text, html) switch
        {
            ({ } t, { } h) => new MultipartAlternative { t, h },
            ({ } t, null) => t,
            (null, { } h) => h,
            _ => throw new InvalidOperationException("A compiled template has a body."),
        };
        return message;
    }

    private string RenderHtml(string encodedRoot, string token)
    {
        var open = TrackingEndpoints.OpenPath(token);
        var html = new StringBuilder(_literalLength + (_slots.Length * (encodedRoot.Length + token.Length + 16)) + 80);
        html.Append(_segments[0]);
        for (var k = 0; k < _slots.Length; k++)
        {
            if (_slots[k] == PixelSlot)
            {
                html.Append("<img src=\"").Append(encodedRoot).Append(open).Append("\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">");
            }
            else
            {
                html.Append('"').Append(encodedRoot).Append(TrackingEndpoints.ClickPath(token, _slots[k])).Append('"');
            }

            html.Append(_segments[k + 1]);
        }

        return html.ToString();
    }

    private static TextPart Part(string subtype, string text)
    {
        var part = new TextPart(subtype);
        part.SetText(Encoding.UTF8, text);
        return part;
    }

    /// <summary>The URL an href names when it is one we track (absolute http or https), else null.</summary>
    private static string? TrackedUrl(string rawValue)
    {
        // HTML decodes character references in attribute values and trims ASCII whitespace off a URL.
        var url = WebUtility.HtmlDecode(rawValue).Trim(' ', '\t', '\n', '\r', '\f');
        return url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? url
            : null;
    }

    private static void RefuseControlCharacters(string? value, string what)
    {
        if (value is not null && value.Any(char.IsControl))
        {
            throw new DomainException($"The {what} cannot contain line breaks or control characters.");
        }
    }
}
