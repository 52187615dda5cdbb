using BounceDashboard.Domain.Bounces;
using Xunit;

namespace BounceDashboard.Tests.Domain.Bounces;

public sealed class ProviderHelpTests
{
    [Theory]
    [InlineData("gmail.com", "Gmail")]
    [InlineData("googlemail.com", "Gmail")]
    [InlineData("outlook.com", "Outlook/Microsoft 365")]
    [InlineData("hotmail.com", "Outlook/Microsoft 365")]
    [InlineData("hotmail.co.uk", "Outlook/Microsoft 365")]
    [InlineData("hotmail.fr", "Outlook/Microsoft 365")]
    [InlineData("live.com.au", "Outlook/Microsoft 365")]
    [InlineData("msn.com", "Outlook/Microsoft 365")]
    [InlineData("yahoo.com", "Yahoo/AOL")]
    [InlineData("yahoo.co.jp", "Yahoo/AOL")]
    [InlineData("yahoo.com.br", "Yahoo/AOL")]
    [InlineData("ymail.com", "Yahoo/AOL")]
    [InlineData("aol.com", "Yahoo/AOL")]
    [InlineData("aol.de", "Yahoo/AOL")]
    [InlineData("icloud.com", "iCloud")]
    [InlineData("me.com", "iCloud")]
    [InlineData("mac.com", "iCloud")]
    [InlineData("gmx.de", "GMX")]
    [InlineData("gmx.net", "GMX")]
    [InlineData("gmx.at", "GMX")]
    [InlineData("web.de", "WEB.DE")]
    [InlineData("orange.fr", "Orange")]
    [InlineData("wanadoo.fr", "Orange")]
    [InlineData("comcast.net", "Comcast")]
    [InlineData("t-online.de", "T-Online")]
    [InlineData("yandex.ru", "Yandex")]
    [InlineData("ya.ru", "Yandex")]
    public void ForDomain_ShouldNameTheProvider_WhenTheDomainIsOneItHosts(string domain, string provider)
    {
        var help = ProviderHelp.ForDomain(domain);

        Assert.NotNull(help);
        Assert.Equal(provider, help.Provider);
        Assert.Equal(Uri.UriSchemeHttps, help.Url.Scheme);
    }

    [Theory]
    [InlineData("GMAIL.COM")]
    [InlineData(" gmail.com ")]
    [InlineData("gmail.com.")]
    public void ForDomain_ShouldMatch_WhenTheDomainDiffersOnlyInCaseSpacesOrTheRootDot(string domain) =>
        Assert.Equal("Gmail", ProviderHelp.ForDomain(domain)?.Provider);

    [Theory]
    [InlineData("example.com")]
    [InlineData("gmail.co")]
    [InlineData("mygmail.com")]
    [InlineData("gmail.com.evil.org")]
    [InlineData("yahoo.example.com")]
    [InlineData("mail.yahoo.com")]
    [InlineData("hotmail")]
    [InlineData("hotmail.")]
    [InlineData("")]
    [InlineData(null)]
    public void ForDomain_ShouldReturnNull_WhenNoProviderInTheTableHostsTheDomain(string? domain) =>
        Assert.Null(ProviderHelp.ForDomain(domain));

    [Theory]
    [InlineData("ann.smith@gmail.com", "Gmail")]
    [InlineData("\"odd@name\"@yahoo.fr", "Yahoo/AOL")]
    public void ForAddress_ShouldLookUpTheDomainAfterTheLastAt_WhenGivenAnAddress(string address, string provider) =>
        Assert.Equal(provider, ProviderHelp.ForAddress(address)?.Provider);

    [Theory]
    [InlineData("not an address")]
    [InlineData("ann@example.org")]
    [InlineData(null)]
    public void ForAddress_ShouldReturnNull_WhenTheAddressHasNoKnownDomain(string? address) =>
        Assert.Null(ProviderHelp.ForAddress(address));

    [Theory]
    [InlineData("gmail-smtp-in.l.google.com", "Gmail")]
    [InlineData("contoso-com.mail.protection.outlook.com", "Outlook/Microsoft 365")]
    [InlineData("mta7.am0.yahoodns.net", "Yahoo/AOL")]
    [InlineData("mx01.mail.icloud.com", "iCloud")]
    public void ForMailHost_ShouldNameTheProvider_WhenTheHostIsUnderItsMailDomains(string host, string provider) =>
        Assert.Equal(provider, ProviderHelp.ForMailHost(host)?.Provider);

    [Theory]
    [InlineData("mx.example.com")]
    [InlineData("notgoogle.com")]
    [InlineData(null)]
    public void ForMailHost_ShouldReturnNull_WhenTheHostIsNotAProvidersServer(string? host) =>
        Assert.Null(ProviderHelp.ForMailHost(host));

    [Fact]
    public void For_ShouldPreferTheRecipientsDomain_WhenBothTheDomainAndTheMailHostAreKnown()
    {
        Assert.Equal("iCloud", ProviderHelp.For("ann@icloud.com", "gmail-smtp-in.l.google.com")?.Provider);
        Assert.Equal("Gmail", ProviderHelp.For("ann@company.example", "aspmx.l.google.com")?.Provider);
        Assert.Null(ProviderHelp.For("ann@company.example", "mx.company.example"));
    }

    [Fact]
    public void Table_ShouldListEachDomainPatternOnce_WhenReadAsAWhole()
    {
        var patterns = ProviderHelp.Table.SelectMany(e => e.Domains).ToList();

        Assert.Equal(patterns.Count, patterns.Distinct(StringComparer.Ordinal).Count());
        Assert.All(patterns, p => Assert.Equal(p.ToLowerInvariant(), p));
        Assert.All(ProviderHelp.Table, e => Assert.Equal(Uri.UriSchemeHttps, e.Link.Url.Scheme));
    }
}
