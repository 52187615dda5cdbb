using System.ComponentModel.DataAnnotations;
using System.Net;

namespace BounceDashboard.Web.Options;

/// <summary>
/// The "ForwardedHeaders" section: which reverse proxies are believed when they say, in X-Forwarded-For and
/// X-Forwarded-Proto, who the client is and that it came over HTTPS. Loopback (127.0.0.0/8 and ::1) is always
/// known; these lists add to it. A request from any other address keeps its own scheme and address.
/// </summary>
public sealed class ReverseProxyOptions : IValidatableObject
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Addresses of the proxies in front of the app, e.g. <c>10.0.0.5</c> or <c>fd00::5</c>.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks the proxies live in, in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>How many proxies in a chain are unwound from X-Forwarded-For (1: a single proxy in front).</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(KnownProxies)} holds '{proxy}', which is not an IP address.", [nameof(KnownProxies)]);
            }
        }

        foreach (var network in KnownNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(KnownNetworks)} holds '{network}', which is not a network in CIDR notation (such as 10.0.0.0/24).",
                    [nameof(KnownNetworks)]);
            }
        }
    }
}
