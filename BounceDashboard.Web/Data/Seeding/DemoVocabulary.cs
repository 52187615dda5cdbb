using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>The mailbox provider family behind a recipient domain: it decides how replies and diagnostics read.</summary>
internal enum MailboxFamily
{
    Google,
    Yahoo,
    Microsoft,
    Apple,
    Postfix,
    Exchange,
}

/// <summary>A sending brand: its From address (hence the sending domain) and the IPs it sends from.</summary>
internal sealed record Brand(string Name, string FromAddress, string WebSite, IReadOnlyList<string> SendingIps);

/// <summary>A recipient domain, how common it is among contacts, and the MX that answers for it.</summary>
internal sealed record RecipientDomain(string Name, int Weight, MailboxFamily Family, string Mx);

/// <summary>What a remote server (or our own MTA) says about one failure.</summary>
internal sealed record FailureText(EnhancedStatusCode? Status, string? ReplyCode, string Diagnostic, string? RemoteMta);

/// <summary>Names, domains, themes and SMTP texts the demo data is drawn from. Addresses of our own are in reserved ranges.</summary>
internal static class DemoVocabulary
{
    public const string AdminActor = "admin@bouncedashboard.local";

    public const string SmtpRule = "smtp-reply";

    public const string DsnRule = "rfc3464";

    public const string ArfRule = "arf";

    public const string AutoReplyRule = "rfc3834";

    /// <summary>Sending IPs are documentation addresses (RFC 5737); the last one has a poor reputation.</summary>
    public const string PoorReputationIp = "203.0.113.47";

    public static readonly Brand[] Brands =
    [
        new("Northwind Outfitters", "news@mail.northwind-outfitters.com", "https://www.northwind-outfitters.com", ["192.0.2.10", "192.0.2.11"]),
        new("Contoso Travel", "hello@e.contoso-travel.com", "https://www.contoso-travel.com", ["198.51.100.20", "198.51.100.21"]),
        new("Fabrikam Home", "offers@send.fabrikam-home.com", "https://shop.fabrikam-home.com", ["198.51.100.30", PoorReputationIp]),
        new("Adventure Works", "updates@notify.adventure-works.net", "https://adventure-works.net", ["192.0.2.40"]),
    ];

    public static readonly string[] Relays = ["mta1.out.bouncedashboard.local", "mta2.out.bouncedashboard.local"];

    public static readonly RecipientDomain[] RecipientDomains =
    [
        new("gmail.com", 300, MailboxFamily.Google, "gmail-smtp-in.l.google.com"),
        new("googlemail.com", 10, MailboxFamily.Google, "gmail-smtp-in.l.google.com"),
        new("yahoo.com", 90, MailboxFamily.Yahoo, "mta6.am0.yahoodns.net"),
        new("yahoo.co.uk", 15, MailboxFamily.Yahoo, "mx-eu.mail.am0.yahoodns.net"),
        new("aol.com", 20, MailboxFamily.Yahoo, "mx-aol.mail.gm0.yahoodns.net"),
        new("outlook.com", 80, MailboxFamily.Microsoft, "outlook-com.olc.protection.outlook.com"),
        new("hotmail.com", 70, MailboxFamily.Microsoft, "hotmail-com.olc.protection.outlook.com"),
        new("live.com", 15, MailboxFamily.Microsoft, "live-com.olc.protection.outlook.com"),
        new("icloud.com", 45, MailboxFamily.Apple, "mx01.mail.icloud.com"),
        new("me.com", 8, MailboxFamily.Apple, "mx02.mail.icloud.com"),
        new("gmx.de", 30, MailboxFamily.Postfix, "mx00.emig.gmx.net"),
        new("web.de", 25, MailboxFamily.Postfix, "mx-ha03.web.de"),
        new("orange.fr", 20, MailboxFamily.Postfix, "smtp-in.orange.fr"),
        new("free.fr", 10, MailboxFamily.Postfix, "mx1.free.fr"),
        new("comcast.net", 20, MailboxFamily.Postfix, "mx1a1.comcast.net"),
        new("proton.me", 8, MailboxFamily.Postfix, "mail.protonmail.ch"),
        new("libero.it", 10, MailboxFamily.Postfix, "smtp-in.libero.it"),
        new("acme-corp.com", 25, MailboxFamily.Exchange, "acmecorp-com.mail.protection.outlook.com"),
        new("globex.com", 20, MailboxFamily.Exchange, "mail.globex.com"),
        new("initech.com", 15, MailboxFamily.Postfix, "mx1.initech.com"),
        new("umbrella-group.com", 15, MailboxFamily.Exchange, "umbrellagroup-com.mail.protection.outlook.com"),
        new("hooli.io", 10, MailboxFamily.Google, "aspmx.l.google.com"),
        new("stark-industries.com", 10, MailboxFamily.Exchange, "mail.stark-industries.com"),
    ];

    /// <summary>Misspelt domains that do not resolve: contacts on them bounce with "host unknown".</summary>
    public static readonly string[] TypoDomains = ["gmial.com", "gmai.com", "yaho.com", "hotmial.com", "outlok.com", "icloud.co"];

    public static readonly string[] FirstNames =
    [
        "anna", "ben", "carla", "david", "elena", "farid", "grace", "hiro", "ines", "jonas", "karin", "liam", "maria",
        "noah", "olga", "pablo", "quinn", "rosa", "sven", "tara", "ugo", "vera", "wei", "xena", "yusuf", "zoe", "amelie",
        "bruno", "chloe", "dmitri", "emma", "felix", "giulia", "hugo", "isla", "jamal", "kenji", "lucia", "mateo",
        "nina", "oscar", "priya", "rafael", "sofia", "tomas", "ulla", "victor", "wanda", "yara", "zain",
    ];

    public static readonly string[] LastNames =
    [
        "smith", "mueller", "garcia", "rossi", "dubois", "kowalski", "nguyen", "johansson", "silva", "novak", "tanaka",
        "jensen", "murphy", "papadopoulos", "yilmaz", "kim", "schmidt", "martin", "bianchi", "fernandez", "olsen",
        "wagner", "lopez", "moreau", "horvat", "sato", "brown", "costa", "van-dijk", "lindqvist", "okafor", "haddad",
        "ivanova", "popescu", "nielsen", "weber", "ricci", "santos", "berg", "fischer",
    ];

    public static readonly string[] AudienceNames =
    [
        "Newsletter subscribers", "Customers EU", "Customers North America", "Loyalty members", "Trial users",
        "Webinar attendees", "Spring sale leads", "Product updates", "Partners and resellers", "Customers APAC",
        "Mobile app users", "Event registrants", "Lapsed customers", "VIP customers", "Blog subscribers",
    ];

    public static readonly string[] Themes =
    [
        "Spring sale", "New arrivals", "Weekly digest", "Summer collection", "Member exclusive", "Product update",
        "Back in stock", "Autumn preview", "Black Friday early access", "Holiday gift guide", "Year in review",
        "Winter clearance", "Customer survey", "Webinar invitation", "Price drop alert", "Travel deals",
    ];

    public static readonly string[] LinkPaths = ["/sale", "/new", "/account/preferences", "/blog/latest", "/events", "/offers/members"];

    /// <summary>The text for one failure, in the style of the provider family that produced it.</summary>
    public static FailureText FailureFor(BounceReason reason, bool permanent, RecipientDomain domain, string address, string sendingIp) =>
        (reason, domain.Family) switch
        {
            (BounceReason.UserUnknown, MailboxFamily.Google) => Reply("5.1.1", "550", "The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser", domain),
            (BounceReason.UserUnknown, MailboxFamily.Yahoo) => Reply("5.1.1", "554", $"delivery error: dd This user doesn't have a {domain.Name} account ({address}) [0] - mta4014.mail.gq1.yahoo.com", domain),
            (BounceReason.UserUnknown, MailboxFamily.Microsoft) => Reply("5.5.0", "550", "Requested action not taken: mailbox unavailable (S2017062302)", domain),
            (BounceReason.UserUnknown, MailboxFamily.Exchange) => Reply("5.1.10", "550", $"RESOLVER.ADR.RecipientNotFound; Recipient {address} not found by SMTP address lookup", domain),
            (BounceReason.UserUnknown, MailboxFamily.Apple) => Reply("5.1.1", "550", $"<{address}>: user does not exist", domain),
            (BounceReason.UserUnknown, _) => Reply("5.1.1", "550", $"<{address}>: Recipient address rejected: User unknown in virtual mailbox table", domain),
            (BounceReason.HostUnknown, _) => Local("5.1.2", $"Host or domain name not found. Name service error for name={domain.Name} type=MX: Host not found"),
            (BounceReason.HasMoved, _) => Reply("5.1.6", "550", $"<{address}>: Recipient has moved; the mailbox is no longer in use", domain),
            (BounceReason.NotAccept, _) => Reply("5.1.10", "556", $"{domain.Name} does not accept mail (null MX)", domain),
            (BounceReason.MailboxFull, MailboxFamily.Google) => permanent
                ? Reply("5.2.2", "552", "The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm", domain)
                : Reply("4.2.2", "452", "The recipient's inbox is out of storage space and inactive. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp", domain),
            (BounceReason.MailboxFull, MailboxFamily.Yahoo) => Reply(permanent ? "5.2.2" : "4.2.2", permanent ? "552" : "452", "1 Requested mail action aborted, mailbox not found or over quota", domain),
            (BounceReason.MailboxFull, _) => Reply(permanent ? "5.2.2" : "4.2.2", permanent ? "552" : "452", $"<{address}>: mailbox full, quota exceeded", domain),
            (BounceReason.Expired, _) => Local("4.4.7", $"delivery temporarily suspended: connect to {domain.Mx}[25]: Connection timed out; message expired after 30 hours in queue"),
            (BounceReason.NetworkError, _) => Local("4.4.1", $"connect to {domain.Mx}[25]: Connection timed out"),
            (BounceReason.SystemError, _) => Reply("4.3.0", "451", "Temporary local problem - please try later", domain),
            (BounceReason.TooManyConn, MailboxFamily.Microsoft) => Reply("4.7.0", "421", $"Temporary server error. Please try again later. PRX5 [{sendingIp}] too many connections", domain),
            (BounceReason.TooManyConn, _) => Reply("4.7.0", "421", $"Too many concurrent SMTP connections from {sendingIp}; please try again later", domain),
            (BounceReason.Speeding, MailboxFamily.Google) => Reply("4.7.28", "421", $"Gmail has detected an unusual rate of unsolicited mail originating from your IP address [{sendingIp}]. To protect our users from spam, mail sent from your IP address has been temporarily rate limited.", domain),
            (BounceReason.Speeding, MailboxFamily.Yahoo) => Reply("4.7.0", "421", $"[TSS04] Messages from {sendingIp} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1", domain),
            (BounceReason.Speeding, _) => Reply("4.7.0", "450", $"Rate limit exceeded for {sendingIp}, try again later", domain),
            (BounceReason.Blocked, MailboxFamily.Microsoft) => Reply("5.7.1", "550", $"Unfortunately, messages from [{sendingIp}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).", domain),
            (BounceReason.Blocked, MailboxFamily.Yahoo) => Reply("5.7.9", "553", $"5.7.9 [BL21] Connections will not be accepted from {sendingIp}, because the ip is in Spamhaus's list", domain),
            (BounceReason.Blocked, _) => Reply("5.7.1", "554", $"Service unavailable; Client host [{sendingIp}] blocked using zen.spamhaus.org", domain),
            (BounceReason.BadReputation, MailboxFamily.Google) => Reply("5.7.1", "550", "Our system has detected that this message is likely suspicious due to the very low reputation of the sending domain. To best protect our users from spam, the message has been blocked.", domain),
            (BounceReason.BadReputation, _) => Reply("5.7.1", "550", $"Message rejected because of the poor reputation of {sendingIp}", domain),
            (BounceReason.SpamDetected, MailboxFamily.Yahoo) => Reply("5.7.9", "554", "Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes", domain),
            (BounceReason.SpamDetected, _) => Reply("5.7.1", "550", "Message rejected as spam by Content Filtering", domain),
            (BounceReason.PolicyViolation, _) => Reply("5.7.1", "550", "Message rejected due to local policy", domain),
            (BounceReason.AuthFailure, MailboxFamily.Google) => Reply("5.7.26", "550", "This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.", domain),
            (BounceReason.AuthFailure, _) => Reply("5.7.509", "550", "Access denied, sending domain does not pass DMARC verification and has a DMARC policy of reject", domain),
            (BounceReason.Filtered, _) => Reply("5.2.0", "550", $"<{address}>: Recipient address rejected: message refused by the recipient's filter settings", domain),
            (BounceReason.MesgTooBig, _) => Reply("5.3.4", "552", "Message size exceeds fixed maximum message size", domain),
            (BounceReason.Suspend, MailboxFamily.Google) => Reply("5.2.1", "550", "The email account that you tried to reach is disabled. For more information, go to https://support.google.com/mail/?p=DisabledUser", domain),
            (BounceReason.Suspend, _) => Reply("5.2.1", "550", $"<{address}>: account disabled", domain),
            _ => Reply(permanent ? "5.0.0" : "4.0.0", permanent ? "550" : "450", "Requested action not taken", domain),
        };

    private static FailureText Reply(string status, string reply, string text, RecipientDomain domain) =>
        new(EnhancedStatusCode.Parse(status), reply, text, domain.Mx);

    /// <summary>Failures our own MTA reports (no remote server answered).</summary>
    private static FailureText Local(string status, string text) =>
        new(EnhancedStatusCode.Parse(status), null, text, null);

    /// <summary>The relay's answer to an accepted message.</summary>
    public static string AcceptedReply(MailboxFamily family, long deliveryId) => family switch
    {
        MailboxFamily.Google => $"250 2.0.0 OK  {1700000000 + (deliveryId % 99_999_999)} a{deliveryId % 997}si{deliveryId}.42 - gsmtp",
        MailboxFamily.Microsoft or MailboxFamily.Exchange => $"250 2.6.0 <{deliveryId}@bouncedashboard.local> Queued mail for delivery",
        MailboxFamily.Yahoo => "250 ok dirdel",
        _ => $"250 2.0.0 Ok: queued as {deliveryId:X10}",
    };
}
