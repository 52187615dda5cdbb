using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Tracking;

namespace BounceDashboard.Domain.Campaigns;

/// <summary>
/// One tracked link of a campaign, numbered 1..n within it. The click endpoint (<c>/t/c/{token}/{number}</c>)
/// redirects only to a stored link of the delivery's own campaign, so the URL is checked here, once, when the
/// link is stored: absolute http or https, with a host, no user info, no whitespace or control characters.
/// </summary>
public sealed class CampaignLink
{
    /// <summary>Same limit as the URL a click records (<see cref="TrackingEvent.UrlMaxLength"/>).</summary>
    public const int UrlMaxLength = TrackingEvent.UrlMaxLength;

    /// <summary>Highest link number: far more links than any mail carries.</summary>
    public const int MaxNumber = 1000;

    private CampaignLink()
    {
        Url = string.Empty;
    }

    public long Id { get; private set; }

    public long CampaignId { get; private set; }

    /// <summary>1..<see cref="MaxNumber"/>, unique within the campaign.</summary>
    public int Number { get; private set; }

    /// <summary>Absolute http(s) URL the click redirects to.</summary>
    public string Url { get; private set; }

    public static CampaignLink Create(long campaignId, int number, string url)
    {
        if (campaignId <= 0)
        {
            throw new DomainException($"A link cannot belong to campaign {campaignId}.");
        }

        if (number is < 1 or > MaxNumber)
        {
            throw new DomainException($"A link number is 1 to {MaxNumber}, not {number}.");
        }

        return new CampaignLink
        {
            CampaignId = campaignId,
            Number = number,
            Url = ValidUrl(url),
        };
    }

    /// <summary>The links of one campaign, numbered 1..n in the order given.</summary>
    public static IReadOnlyList<CampaignLink> ForCampaign(long campaignId, IEnumerable<string> urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        return urls.Select((url, index) => Create(campaignId, index + 1, url)).ToList();
    }

    private static string ValidUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new DomainException("A link needs a URL.");
        }

        if (url.Length > UrlMaxLength)
        {
            throw new DomainException($"A link's URL is longer than {UrlMaxLength} characters.");
        }

        // Whitespace and control characters (a header split, a hidden scheme) are refused rather than cleaned.
        if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new DomainException("A link's URL cannot contain whitespace or control characters.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || !url.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException($"A link needs an absolute http(s) URL, not '{url}'.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new DomainException("A link's URL cannot carry a user name or password.");
        }

        return url;
    }
}
