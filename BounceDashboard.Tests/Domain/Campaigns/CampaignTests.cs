using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Common;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Campaigns;

public class CampaignTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_ShouldNormaliseTheSenderAndDeriveTheDomain_WhenValid()
    {
        var campaign = Campaign.Create(" Spring sale ", CampaignKind.Regular, "News@Mail.Example.ORG", "Spring is here", s_now, audienceIds: [4, 2]);

        Assert.Equal("Spring sale", campaign.Name);
        Assert.Equal("news@mail.example.org", campaign.FromAddress);
        Assert.Equal("mail.example.org", campaign.FromDomain);
        Assert.Equal(CampaignState.Draft, campaign.State);
        Assert.Equal([2, 4], campaign.AudienceIds);
    }

    [Fact]
    public void Lifecycle_ShouldMoveThroughEveryState_WhenTransitionsAreLegal()
    {
        var campaign = Campaign.Create("Weekly", CampaignKind.Automated, "news@example.org", "Weekly news", s_now);
        campaign.SetContent(null, "<p>Hello</p>", "Hello");

        campaign.Schedule(s_now.AddDays(1), s_now);
        campaign.Unschedule();
        campaign.Schedule(s_now.AddDays(2), s_now);
        campaign.StartSending(s_now.AddDays(2));
        campaign.MarkSent(s_now.AddDays(2).AddHours(1));

        Assert.Equal(CampaignState.Sent, campaign.State);
        Assert.Equal(s_now.AddDays(2), campaign.StartedAt);
        Assert.Equal(s_now.AddDays(2).AddHours(1), campaign.SentAt);
    }

    [Theory]
    [InlineData(CampaignState.Draft, "Unschedule", CampaignState.Draft)]
    [InlineData(CampaignState.Draft, "MarkSent", CampaignState.Sent)]
    [InlineData(CampaignState.InProgress, "Schedule", CampaignState.Scheduled)]
    [InlineData(CampaignState.InProgress, "StartSending", CampaignState.InProgress)]
    [InlineData(CampaignState.Sent, "StartSending", CampaignState.InProgress)]
    [InlineData(CampaignState.Sent, "Schedule", CampaignState.Scheduled)]
    [InlineData(CampaignState.Scheduled, "MarkSent", CampaignState.Sent)]
    public void Transition_ShouldThrowNamingBothStates_WhenIllegal(CampaignState from, string action, CampaignState to)
    {
        var campaign = EntityIds.Set(Campaign.Create("Weekly", CampaignKind.Regular, "news@example.org", "Weekly news", s_now), 21);
        campaign.SetContent(null, null, "Hello");
        if (from is CampaignState.Scheduled)
        {
            campaign.Schedule(s_now.AddDays(1), s_now);
        }

        if (from is CampaignState.InProgress or CampaignState.Sent)
        {
            campaign.StartSending(s_now);
        }

        if (from is CampaignState.Sent)
        {
            campaign.MarkSent(s_now);
        }

        Action act = action switch
        {
            "Schedule" => () => campaign.Schedule(s_now.AddDays(1), s_now),
            "Unschedule" => campaign.Unschedule,
            "StartSending" => () => campaign.StartSending(s_now),
            _ => () => campaign.MarkSent(s_now),
        };

        var error = Assert.Throws<DomainException>(act);
        Assert.Contains($"Campaign 21 from {from} to {to}", error.Message, StringComparison.Ordinal);
        Assert.Equal(from, campaign.State);
    }

    [Fact]
    public void Schedule_ShouldThrow_WhenTheTimeIsInThePast()
    {
        var campaign = Campaign.Create("Weekly", CampaignKind.Regular, "news@example.org", "Weekly news", s_now);

        Assert.Throws<DomainException>(() => campaign.Schedule(s_now.AddMinutes(-1), s_now));
        Assert.Equal(CampaignState.Draft, campaign.State);
    }

    [Theory]
    [InlineData("", "Subject", "news@example.org")]
    [InlineData("Name", " ", "news@example.org")]
    [InlineData("Name", "Subject", "not-an-address")]
    public void Create_ShouldThrow_WhenARequiredValueIsInvalid(string name, string subject, string from)
    {
        Assert.Throws<DomainException>(() => Campaign.Create(name, CampaignKind.Test, from, subject, s_now));
    }
}
