namespace BounceDashboard.Domain.Bounces;

/// <summary>A mailbox provider's published page explaining the SMTP errors its servers give.</summary>
/// <param name="Provider">The name a marketer knows the provider by ("Gmail", "Yahoo/AOL").</param>
/// <param name="Url">The provider's own page (never a third party's summary).</param>
public sealed record ProviderHelpLink(string Provider, Uri Url);

/// <summary>
/// One row of <see cref="ProviderHelp.Table"/>: a provider, its error-code page, the recipient domains it hosts and the
/// mail hosts its receiving servers are named under.
/// </summary>
/// <param name="Link">The provider and its page.</param>
/// <param name="Domains">
/// Recipient domains, lower case. A pattern ending in <c>.*</c> ("hotmail.*") matches the name under any top-level
/// domain and under the usual country second-level forms: hotmail.com, hotmail.fr, hotmail.co.uk, hotmail.com.br.
/// </param>
/// <param name="MailHosts">
/// Domains of the provider's receiving servers (a remote MTA named <c>mx.google.com</c> or
/// <c>x.mail.protection.outlook.com</c> is under one of them), for addresses at a company domain the provider hosts.
/// </param>
public sealed record ProviderHelpEntry(ProviderHelpLink Link, IReadOnlyList<string> Domains, IReadOnlyList<string> MailHosts);

/// <summary>
/// Where a mailbox provider publishes help on its error codes, looked up by the recipient's domain (or the remote MTA
/// that answered). Kept in one table, <see cref="Table"/>: add a provider there and nowhere else. Only the providers'
/// own pages are listed.
/// </summary>
public static class ProviderHelp
{
    /// <summary>Second-level labels used under a country code (co.uk, com.br, ne.jp), for the <c>name.*</c> patterns.</summary>
    private static readonly HashSet<string> s_countrySecondLevels = new(StringComparer.Ordinal) { "co", "com", "net", "org", "ne", "or", "ac" };

    /// <summary>The providers with a published error-code page, one row each.</summary>
    public static IReadOnlyList<ProviderHelpEntry> Table { get; } =
    [
        Entry("Gmail", "https://support.google.com/a/answer/3726730",
            ["gmail.com", "googlemail.com"],
            ["google.com", "googlemail.com"]),
        Entry("Outlook/Microsoft 365",
            "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online",
            ["outlook.*", "hotmail.*", "live.*", "msn.com", "windowslive.com", "passport.com"],
            ["outlook.com", "hotmail.com"]),
        Entry("Yahoo/AOL", "https://senders.yahooinc.com/smtp-error-codes/",
            ["yahoo.*", "ymail.com", "rocketmail.com", "aol.*", "aim.com"],
            ["yahoodns.net"]),
        Entry("iCloud", "https://support.apple.com/en-us/102322",
            ["icloud.com", "me.com", "mac.com"],
            ["icloud.com"]),
        Entry("GMX", "https://postmaster.gmx.com/en/error-messages",
            ["gmx.*"],
            ["gmx.net"]),
        Entry("WEB.DE", "https://postmaster.web.de/de/fehlermeldungen",
            ["web.de"],
            ["web.de"]),
        Entry("Orange", "https://postmaster.orange.fr/",
            ["orange.fr", "wanadoo.fr"],
            ["orange.fr"]),
        Entry("Comcast", "https://postmaster.comcast.net/smtp-error-codes.php",
            ["comcast.net"],
            ["comcast.net"]),
        Entry("T-Online", "https://postmaster.t-online.de/index.en.html",
            ["t-online.de", "magenta.de"],
            ["t-online.de"]),
        Entry("Yandex", "https://yandex.com/support/mail/bounces/yandex.html",
            ["yandex.*", "ya.ru"],
            ["yandex.net"]),
    ];

    /// <summary>The help for a recipient address (its domain), or null when no provider in the table hosts it.</summary>
    public static ProviderHelpLink? ForAddress(string? address)
    {
        var at = address?.LastIndexOf('@') ?? -1;
        return at < 0 ? null : ForDomain(address![(at + 1)..]);
    }

    /// <summary>The help for a recipient domain ("gmail.com", "Hotmail.co.uk."), or null when the table has none.</summary>
    public static ProviderHelpLink? ForDomain(string? domain)
    {
        var name = Clean(domain);
        if (name is null)
        {
            return null;
        }

        foreach (var entry in Table)
        {
            foreach (var pattern in entry.Domains)
            {
                if (Matches(pattern, name))
                {
                    return entry.Link;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The help for the server that answered ("gmail-smtp-in.l.google.com", "x.mail.protection.outlook.com"): the host
    /// itself or any parent domain in a row's mail hosts. Null when the table has none.
    /// </summary>
    public static ProviderHelpLink? ForMailHost(string? host)
    {
        var name = Clean(host);
        if (name is null)
        {
            return null;
        }

        foreach (var entry in Table)
        {
            foreach (var mailHost in entry.MailHosts)
            {
                if (name == mailHost || name.EndsWith("." + mailHost, StringComparison.Ordinal))
                {
                    return entry.Link;
                }
            }
        }

        return null;
    }

    /// <summary>The help for a recipient, by its domain first and then by the remote MTA that answered.</summary>
    public static ProviderHelpLink? For(string? recipient, string? remoteMta) =>
        ForAddress(recipient) ?? ForMailHost(remoteMta);

    private static ProviderHelpEntry Entry(string provider, string url, string[] domains, string[] mailHosts) =>
        new(new ProviderHelpLink(provider, new Uri(url, UriKind.Absolute)), domains, mailHosts);

    /// <summary>Lower case, no surrounding spaces or trailing dot; null when nothing that could be a domain is left.</summary>
    private static string? Clean(string? domain)
    {
        var name = domain?.Trim().TrimEnd('.').ToLowerInvariant();
        return string.IsNullOrEmpty(name) || name.Contains(' ', StringComparison.Ordinal) ? null : name;
    }

    private static bool Matches(string pattern, string domain)
    {
        if (!pattern.EndsWith(".*", StringComparison.Ordinal))
        {
            return pattern == domain;
        }

        var stem = pattern[..^1];
        if (!domain.StartsWith(stem, StringComparison.Ordinal))
        {
            return false;
        }

        // What follows the name is a public suffix: one label (com, fr, de), or a country's second level (co.uk,
        // com.br). "yahoo.example.com" is somebody else's domain, not Yahoo's.
        var labels = domain[stem.Length..].Split('.');
        return labels switch
        {
            [var tld] => IsLabel(tld),
            [var second, var country] => s_countrySecondLevels.Contains(second) && country.Length == 2 && IsLabel(country),
            _ => false,
        };
    }

    private static bool IsLabel(string label) => label.Length > 0 && label.All(char.IsAsciiLetter);
}
