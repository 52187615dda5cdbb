using System.Text.RegularExpressions;
using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Reasons read from the private error codes of large receiving providers, recognised by the remote MTA's host
/// name (or the host named in the reply). These codes say more than the SMTP status: Orange/Wanadoo/La Poste's
/// "OFR_416"/"LPN007_416", Yahoo's "[TSS04]", Cox's and GoDaddy's refusal texts.
/// </summary>
public sealed partial class ProviderRules
{
    /// <summary>The reason a provider's own code gives, with its rule id; null when no provider rule applies.</summary>
    /// <param name="remoteMta">The remote MTA's host name, when known.</param>
    /// <param name="diagnostic">The reply text.</param>
    /// <param name="status">The status code chosen for the recipient, when any.</param>
    /// <param name="command">The SMTP command the reply answered, when known (asked only by the rules that need it).</param>
    /// <param name="recipient">The failed recipient's address, when known (some providers are known by it).</param>
    public (BounceReason Reason, string Rule)? Decide(string? remoteMta, string? diagnostic, string? status = null, Func<string?>? command = null, string? recipient = null)
    {
        if (string.IsNullOrEmpty(diagnostic))
        {
            return null;
        }

        var host = remoteMta ?? string.Empty;
        if (IsHost(host, diagnostic, "orange.fr") || IsHost(host, diagnostic, "wanadoo.fr") || IsHost(host, diagnostic, "laposte.net"))
        {
            // Orange / La Poste: the last three digits of OFR_nnn, LPNnnn_nnn or [nnn] are the error number.
            var m = FrancePttCode().Match(diagnostic);
            if (m.Success)
            {
                BounceReason? reason = m.Groups[1].Value switch
                {
                    "416" or "418" => BounceReason.UserUnknown,
                    "417" => BounceReason.MailboxFull,
                    "420" => BounceReason.Suspend,
                    "505" => BounceReason.SystemError,
                    "506" => BounceReason.SpamDetected,
                    "510" => BounceReason.Blocked,
                    "514" => BounceReason.MesgTooBig,
                    ['1', _, _] => BounceReason.Undefined,
                    _ => null,
                };
                if (reason is { } r)
                {
                    return (r, "provider:franceptt:" + m.Groups[1].Value);
                }
            }
        }

        if (IsHost(host, diagnostic, "yahoodns.net") || IsHost(host, diagnostic, "yahoo.com"))
        {
            // Yahoo: TSS04 is a temporary refusal of the sender's traffic.
            if (diagnostic.Contains("[TSS04]", StringComparison.Ordinal))
            {
                return (BounceReason.Rejected, "provider:yahoo:TSS04");
            }

            if (diagnostic.Contains("user doesn't have a", StringComparison.OrdinalIgnoreCase))
            {
                return (BounceReason.UserUnknown, "provider:yahoo:no-such-account");
            }
        }

        if ((IsHost(host, diagnostic, "cox.net") || IsHost(host, diagnostic, "cloudfilter.net") || diagnostic.Contains("cox.com", StringComparison.OrdinalIgnoreCase))
            && diagnostic.Contains("sender rejected", StringComparison.OrdinalIgnoreCase))
        {
            // Cox refuses the sending IP with "sender rejected" and an IP block code.
            return (BounceReason.Blocked, "provider:cox:sender-rejected");
        }

        if (IsHost(host, diagnostic, "secureserver.net") && diagnostic.Contains("spamhaus", StringComparison.OrdinalIgnoreCase))
        {
            return (BounceReason.Blocked, "provider:godaddy:spamhaus");
        }

        if (host.EndsWith("docomo.ne.jp", StringComparison.OrdinalIgnoreCase) && diagnostic.Contains("unknown user", StringComparison.OrdinalIgnoreCase))
        {
            // NTT docomo says "550 Unknown user" both for a missing mailbox (at RCPT, 5.1.1) and when the recipient's
            // settings refuse the sender: its filter (5.2.0) or a refusal after DATA.
            return status is "5.1.1" || command?.Invoke() == "RCPT" ? (BounceReason.UserUnknown, "provider:nttdocomo:unknown-user-at-rcpt")
                : status is "5.2.0" ? (BounceReason.Filtered, "provider:nttdocomo:filter")
                : (BounceReason.Rejected, "provider:nttdocomo:sender-refused");
        }

        if (status is not ['5', '.', '1', '.', '1'] && IsAu(host, recipient)
            && diagnostic.Contains("User unknown", StringComparison.OrdinalIgnoreCase) && EmptyAddressUserUnknown().IsMatch(diagnostic))
        {
            // au (KDDI, ezweb.ne.jp) answers "550 : User unknown", with the address left out, when the recipient's
            // reception settings refuse the sender; a mailbox that does not exist is "550 <address>: User unknown".
            return (BounceReason.Filtered, "provider:au:user-unknown-without-address");
        }

        if (IsHost(host, diagnostic, "mimecast.com") && diagnostic.Contains("MCSpamSignature", StringComparison.OrdinalIgnoreCase))
        {
            // Mimecast's "rejected due to security policies - MCSpamSignature": its signature (malware) scan.
            return (BounceReason.VirusDetected, "provider:mimecast:signature");
        }

        return null;
    }

    private static bool IsHost(string host, string diagnostic, string domain) =>
        host.EndsWith(domain, StringComparison.OrdinalIgnoreCase) || diagnostic.Contains(domain, StringComparison.OrdinalIgnoreCase);

    /// <summary>au's mail servers, or a recipient at one of its domains.</summary>
    private static bool IsAu(string host, string? recipient) =>
        host.EndsWith("ezweb.ne.jp", StringComparison.OrdinalIgnoreCase) || host.EndsWith("au.com", StringComparison.OrdinalIgnoreCase)
        || (recipient is not null && (recipient.EndsWith("@ezweb.ne.jp", StringComparison.OrdinalIgnoreCase)
            || recipient.EndsWith("@au.com", StringComparison.OrdinalIgnoreCase)));

    // "550 : User unknown" or "550: : User unknown": the place of the address between the code and the colon is empty.
    [GeneratedRegex(@"(?:^|\s)[45]\d\d(?: :|: :) *User unknown", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EmptyAddressUserUnknown();

    [GeneratedRegex(@"(?:OFR|LPN)\d*_(\d{3})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FrancePttCode();
}
