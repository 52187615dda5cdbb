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
        EntityIds.Set(Campaign.Create("Spring", CampaignKind.Regular, "news@mail.example.org", "Spring is here", s_now, audienceIds: [1]), 7);

    [Fact]
    public void Edit_ShouldChangeEveryField_WhenTheCampaignIsADraft()
    {
        var campaign = Draft();

        campaign.Rename("  Summer  ");
        campaign.ChangeSubject(" Summer is here ");
        campaign.ChangeSender("Offers@Shop.Example.COM");
        campaign.ChangeAudiences([3, 5]);

        Assert.Equal(("Summer", "Summer is here", "offers@shop.example.com", "shop.example.com"),
            (campaign.Name, campaign.Subject, campaign.FromAddress, campaign.FromDomain));
        Assert.Equal([3, 5], campaign.AudienceIds);
    }

    [Fact]
    public void Edit_ShouldBeAllowed_WhenTheCampaignIsScheduled()
    {
        var campaign = Draft();
        campaign.SetContent(null, "<p>Hi</p>", null);
        campaign.Schedule(s_now.AddDays(1), s_now);

        campaign.Rename("Later");
        campaign.ChangeAudiences([]);

        Assert.Equal(("Later", 0, CampaignState.Scheduled), (campaign.Name, campaign.AudienceIds.Count, campaign.State));
        Assert.True(campaign.IsEditable);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("subject")]
    [InlineData("sender")]
    [InlineData("audiences")]
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
            "audiences" => () => campaign.ChangeAudiences([2]),
            _ => () => campaign.SetContent(null, "<p>Other</p>", null),
        };

        var error = Assert.Throws<DomainException>(edit);

        Assert.Equal($"Campaign 7 is InProgress: its {what} can no longer change (only a Draft or Scheduled campaign can be edited).", error.Message);
        Assert.Equal(("Spring", "news@mail.example.org", 1L), (campaign.Name, campaign.FromAddress, campaign.AudienceIds.Single()));
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

    [Theory]
    [InlineData(0L)]
    [InlineData(-3L)]
    public void ChangeAudiences_ShouldThrowAndKeepTheAudiences_WhenAnIdIsNotASavedAudience(long id)
    {
        var campaign = Draft();

        var error = Assert.Throws<DomainException>(() => campaign.ChangeAudiences([2, id]));

        Assert.Equal($"Audience {id} is not a saved audience.", error.Message);
        Assert.Equal([1], campaign.AudienceIds);
    }

    [Fact]
    public void ChangeAudiences_ShouldThrowAndKeepTheAudiences_WhenAnAudienceIsNamedTwice()
    {
        var campaign = Draft();

        var error = Assert.Throws<DomainException>(() => campaign.ChangeAudiences([2, 3, 2]));

        Assert.Equal("Audience 2 is chosen more than once.", error.Message);
        Assert.Equal([1], campaign.AudienceIds);
    }

    [Fact]
    public void Create_ShouldThrow_WhenAnAudienceIsNamedTwice()
    {
        Assert.Throws<DomainException>(() =>
            Campaign.Create("Spring", CampaignKind.Regular, "news@mail.example.org", "Spring", s_now, audienceIds: [4, 4]));
    }

    [Fact]
    public void ChangeAudiences_ShouldKeepTheRowsOfAudiencesStillChosen_WhenTheChoiceChanges()
    {
        var campaign = Draft();
        campaign.ChangeAudiences([1, 2]);
        var kept = campaign.Audiences.Single(a => a.AudienceId == 1);

        campaign.ChangeAudiences([3, 1]);

        Assert.Equal([1, 3], campaign.AudienceIds);
        Assert.Same(kept, campaign.Audiences.Single(a => a.AudienceId == 1));
    }

    [Fact]
    public void EnsureReadyToSend_ShouldRefuse_WhenARegularCampaignHasNoAudience()
    {
        var campaign = Draft();
        campaign.SetContent(null, "<p>Hi</p>", null);
        campaign.ChangeAudiences([]);

        var error = Assert.Throws<DomainException>(campaign.EnsureReadyToSend);

        Assert.Equal("Choose at least one audience before sending.", error.Message);
        Assert.False(campaign.HasRecipients);
    }

    [Fact]
    public void EnsureReadyToSend_ShouldPass_WhenARegularCampaignHasAnAudienceAndABody()
    {
        var campaign = Draft();
        campaign.SetContent(null, "<p>Hi</p>", null);

        campaign.EnsureReadyToSend();

        Assert.True(campaign.HasRecipients);
    }

    [Fact]
    public void EnsureReadyToSend_ShouldRefuse_WhenThereIsNoBody()
    {
        var error = Assert.Throws<DomainException>(Draft().EnsureReadyToSend);

        Assert.Contains("has no HTML or text body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureReadyToSend_ShouldRefuse_WhenSendingHasStarted()
    {
        var campaign = Draft();
        campaign.SetContent(null, "<p>Hi</p>", null);
        campaign.StartSending(s_now);

        var error = Assert.Throws<DomainException>(campaign.EnsureReadyToSend);

        Assert.Equal("Campaign 7 is InProgress: it has already been sent or is being sent.", error.Message);
    }

    [Fact]
    public void HasRecipients_ShouldBeTrueWithoutAudiences_WhenTheCampaignIsATest()
    {
        var campaign = Campaign.Create("Test of Spring", CampaignKind.Test, "news@mail.example.org", "Spring", s_now);

        Assert.True(campaign.HasRecipients);
        Assert.Empty(campaign.AudienceIds);
    }
}
