using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Common;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Campaigns;

/// <summary>The campaign's edit methods: allowed while nothing has been sent (Draft, Scheduled), refused after.</summary>
public class CampaignEditingTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static Campaign Draft() =>
        EntityIds.Set(Campaign.Create("Spring", CampaignKind.Regular, "news@mail.example.org", "Spring is here", s_now, audienceId: 1), 7);

    [Fact]
    public void Edit_ShouldChangeEveryField_WhenTheCampaignIsADraft()
    {
        var campaign = Draft();

        campaign.Rename("  Summer  ");
        campaign.ChangeSubject(" Summer is here ");
        campaign.ChangeSender("Offers@Shop.Example.COM");
        campaign.ChangeAudience(3);

        Assert.Equal(("Summer", "Summer is here", "offers@shop.example.com", "shop.example.com", (long?)3),
            (campaign.Name, campaign.Subject, campaign.FromAddress, campaign.FromDomain, campaign.AudienceId));
    }

    [Fact]
    public void Edit_ShouldBeAllowed_WhenTheCampaignIsScheduled()
    {
        var campaign = Draft();
        campaign.SetContent(null, "<p>Hi</p>", null);
        campaign.Schedule(s_now.AddDays(1), s_now);

        campaign.Rename("Later");
        campaign.ChangeAudience(null);

        Assert.Equal(("Later", (long?)null, CampaignState.Scheduled), (campaign.Name, campaign.AudienceId, campaign.State));
        Assert.True(campaign.IsEditable);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("subject")]
    [InlineData("sender")]
    [InlineData("audience")]
    [InlineData("content")]
    public void Edit_ShouldThrowNamingTheState_WhenTheCampaignIsInProgress(string what)
    {
        var campaign = Draft();
        campaign.SetContent(null, "<p>Hi</p>", null);
        campaign.StartSending(s_now);
        Action edit = what switch
        {
            "name" => () => campaign.Rename("Other"),
            "subject" => () => campaign.ChangeSubject("Other"),
            "sender" => () => campaign.ChangeSender("other@example.org"),
            "audience" => () => campaign.ChangeAudience(2),
            _ => () => campaign.SetContent(null, "<p>Other</p>", null),
        };

        var error = Assert.Throws<DomainException>(edit);

        Assert.Equal($"Campaign 7 is InProgress: its {what} can no longer change (only a Draft or Scheduled campaign can be edited).", error.Message);
        Assert.Equal(("Spring", "news@mail.example.org", (long?)1), (campaign.Name, campaign.FromAddress, campaign.AudienceId));
    }

    [Fact]
    public void Rename_ShouldThrowNamingTheState_WhenTheCampaignIsSent()
    {
        var campaign = Draft();
        campaign.SetContent(null, "<p>Hi</p>", null);
        campaign.StartSending(s_now);
        campaign.MarkSent(s_now.AddHours(1));

        var error = Assert.Throws<DomainException>(() => campaign.Rename("Other"));

        Assert.Contains("is Sent", error.Message, StringComparison.Ordinal);
        Assert.False(campaign.IsEditable);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("")]
    public void ChangeSender_ShouldThrowAndKeepTheSender_WhenTheAddressIsInvalid(string address)
    {
        var campaign = Draft();

        Assert.Throws<DomainException>(() => campaign.ChangeSender(address));

        Assert.Equal(("news@mail.example.org", "mail.example.org"), (campaign.FromAddress, campaign.FromDomain));
    }

    [Fact]
    public void Rename_ShouldThrow_WhenTheNameIsBlankOrTooLong()
    {
        var campaign = Draft();

        Assert.Throws<DomainException>(() => campaign.Rename("  "));
        Assert.Throws<DomainException>(() => campaign.Rename(new string('x', Campaign.NameMaxLength + 1)));
        Assert.Equal("Spring", campaign.Name);
    }

    [Fact]
    public void ChangeAudience_ShouldThrow_WhenTheIdIsNotASavedAudience()
    {
        var campaign = Draft();

        Assert.Throws<DomainException>(() => campaign.ChangeAudience(0));
        Assert.Equal(1, campaign.AudienceId);
    }
}
