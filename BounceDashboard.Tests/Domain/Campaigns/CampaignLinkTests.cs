using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Tracking;
using Xunit;

namespace BounceDashboard.Tests.Domain.Campaigns;

public class CampaignLinkTests
{
    [Theory]
    [InlineData("https://example.org/offer?id=1")]
    [InlineData("http://example.org/")]
    public void Create_ShouldKeepTheLink_WhenTheUrlIsAnAbsoluteHttpUrl(string url)
    {
        var link = CampaignLink.Create(7, 1, url);

        Assert.Equal((7L, 1, url), (link.CampaignId, link.Number, link.Url));
    }

    [Theory]
    [InlineData("/relative")]
    [InlineData("//evil.example/path")]
    [InlineData("relative/path")]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("ftp://example.org/file")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://user:secret@example.org/")]
    [InlineData("https://example.org/a b")]
    [InlineData("https://example.org/\r\nSet-Cookie: a=b")]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_ShouldThrow_WhenTheUrlIsNotAnAbsoluteHttpUrl(string url)
    {
        Assert.Throws<DomainException>(() => CampaignLink.Create(7, 1, url));
    }

    [Fact]
    public void Create_ShouldThrow_WhenTheUrlIsLongerThanATrackedClickCanStore()
    {
        var url = "https://example.org/" + new string('a', TrackingEvent.UrlMaxLength);

        Assert.Throws<DomainException>(() => CampaignLink.Create(7, 1, url));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(CampaignLink.MaxNumber + 1)]
    public void Create_ShouldThrow_WhenTheNumberIsOutOfRange(int number)
    {
        Assert.Throws<DomainException>(() => CampaignLink.Create(7, number, "https://example.org/"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Create_ShouldThrow_WhenTheCampaignIsNotSaved(long campaignId)
    {
        Assert.Throws<DomainException>(() => CampaignLink.Create(campaignId, 1, "https://example.org/"));
    }

    [Fact]
    public void ForCampaign_ShouldNumberTheLinksFromOne_WhenGivenInOrder()
    {
        var links = CampaignLink.ForCampaign(7, ["https://example.org/a", "https://example.org/b"]);

        Assert.Equal([(1, "https://example.org/a"), (2, "https://example.org/b")], links.Select(l => (l.Number, l.Url)));
    }
}
