using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Common;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Campaigns;

/// <summary>The sending side of <see cref="Campaign"/>: content, start, pause and resume, and the queued mark.</summary>
public class CampaignSendingTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SetContent_ShouldStoreTrimmedValuesAndEmptyAsNull_WhenDraft()
    {
        var campaign = NewCampaign();

        campaign.SetContent("  News team ", " <p>Hello</p> ", "   ");

        Assert.Equal(("News team", "<p>Hello</p>", (string?)null), (campaign.FromName, campaign.HtmlBody, campaign.TextBody));
        Assert.True(campaign.HasBody);
    }

    [Fact]
    public void SetContent_ShouldReplaceTheContent_WhenScheduled()
    {
        var campaign = NewCampaign();
        campaign.SetContent(null, "<p>First</p>", null);
        campaign.Schedule(s_now.AddDays(1), s_now);

        campaign.SetContent("News", null, "Second");

        Assert.Equal(("News", (string?)null, "Second"), (campaign.FromName, campaign.HtmlBody, campaign.TextBody));
    }

    [Theory]
    [InlineData(CampaignState.InProgress)]
    [InlineData(CampaignState.Paused)]
    [InlineData(CampaignState.Sent)]
    public void SetContent_ShouldThrowAndKeepTheBodies_WhenSendingHasStarted(CampaignState state)
    {
        var campaign = InState(state);

        var error = Assert.Throws<DomainException>(() => campaign.SetContent("Other", "<p>Changed</p>", "Changed"));

        Assert.Contains(state.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(((string?)null, "<p>Hello</p>", "Hello"), (campaign.FromName, campaign.HtmlBody, campaign.TextBody));
    }

    [Fact]
    public void SetContent_ShouldThrow_WhenABodyIsTooLong()
    {
        var campaign = NewCampaign();
        var tooLong = new string('x', Campaign.BodyMaxLength + 1);

        Assert.Throws<DomainException>(() => campaign.SetContent(null, tooLong, null));
        Assert.Throws<DomainException>(() => campaign.SetContent(null, null, tooLong));
        Assert.Throws<DomainException>(() => campaign.SetContent(new string('n', Campaign.FromNameMaxLength + 1), "<p>Hi</p>", null));
        Assert.False(campaign.HasBody);
    }

    [Fact]
    public void SetContent_ShouldAcceptTheLongestBody_WhenExactlyAtTheLimit()
    {
        var campaign = NewCampaign();
        var longest = new string('x', Campaign.BodyMaxLength);

        campaign.SetContent(null, longest, longest);

        Assert.Equal(Campaign.BodyMaxLength, campaign.HtmlBody!.Length);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", " ")]
    [InlineData(" \r\n ", null)]
    public void StartSending_ShouldThrowAndStayDraft_WhenThereIsNoBody(string? html, string? text)
    {
        var campaign = NewCampaign();
        campaign.SetContent("News", html, text);

        var error = Assert.Throws<DomainException>(() => campaign.StartSending(s_now));

        Assert.Contains("no HTML or text body", error.Message, StringComparison.Ordinal);
        Assert.Equal(CampaignState.Draft, campaign.State);
        Assert.Null(campaign.StartedAt);
    }

    [Theory]
    [InlineData("<p>Hi</p>", null)]
    [InlineData(null, "Hi")]
    public void StartSending_ShouldStart_WhenEitherBodyIsPresent(string? html, string? text)
    {
        var campaign = NewCampaign();
        campaign.SetContent(null, html, text);

        campaign.StartSending(s_now);

        Assert.Equal((CampaignState.InProgress, (DateTimeOffset?)s_now), (campaign.State, campaign.StartedAt));
    }

    [Fact]
    public void StartSending_ShouldThrow_WhenScheduledWithoutABody()
    {
        var campaign = NewCampaign();
        campaign.Schedule(s_now.AddHours(1), s_now);

        Assert.Throws<DomainException>(() => campaign.StartSending(s_now.AddHours(1)));
        Assert.Equal(CampaignState.Scheduled, campaign.State);
    }

    [Fact]
    public void Pause_ShouldRecordTheTrimmedReasonAndTime_WhenInProgress()
    {
        var campaign = InState(CampaignState.InProgress);

        campaign.Pause("  Wrong subject line ", s_now.AddMinutes(5));

        Assert.Equal(CampaignState.Paused, campaign.State);
        Assert.Equal("Wrong subject line", campaign.PauseReason);
        Assert.Equal(s_now.AddMinutes(5), campaign.PausedAt);
        Assert.False(campaign.PausedAutomatically);
    }

    [Fact]
    public void Pause_ShouldMarkItAutomatic_WhenTheGuardPauses()
    {
        var campaign = InState(CampaignState.InProgress);

        campaign.Pause("Too many hard bounces", s_now, automatic: true);

        Assert.True(campaign.PausedAutomatically);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Pause_ShouldThrowAndStayInProgress_WhenNoReasonIsGiven(string reason)
    {
        var campaign = InState(CampaignState.InProgress);

        Assert.Throws<DomainException>(() => campaign.Pause(reason, s_now));

        Assert.Equal(CampaignState.InProgress, campaign.State);
        Assert.Null(campaign.PausedAt);
    }

    [Fact]
    public void Pause_ShouldThrow_WhenTheReasonIsTooLong()
    {
        var campaign = InState(CampaignState.InProgress);

        Assert.Throws<DomainException>(() => campaign.Pause(new string('r', Campaign.PauseReasonMaxLength + 1), s_now));
        Assert.Equal(CampaignState.InProgress, campaign.State);
    }

    [Theory]
    [InlineData(CampaignState.Draft)]
    [InlineData(CampaignState.Scheduled)]
    [InlineData(CampaignState.Paused)]
    [InlineData(CampaignState.Sent)]
    public void Pause_ShouldThrowNamingBothStates_WhenNotInProgress(CampaignState from)
    {
        var campaign = InState(from);

        var error = Assert.Throws<DomainException>(() => campaign.Pause("Stop", s_now.AddHours(1)));

        Assert.Contains($"Campaign 21 from {from} to {CampaignState.Paused}", error.Message, StringComparison.Ordinal);
        Assert.Equal(from, campaign.State);
    }

    [Fact]
    public void Resume_ShouldGoBackInProgressAndKeepTheLastReason_WhenPaused()
    {
        var campaign = InState(CampaignState.InProgress);
        campaign.Pause("Checking the list", s_now, automatic: true);

        campaign.Resume();

        Assert.Equal(CampaignState.InProgress, campaign.State);
        Assert.Null(campaign.PausedAt);
        Assert.Equal("Checking the list", campaign.PauseReason);
    }

    [Fact]
    public void Pause_ShouldReplaceTheReasonAndTheAutomaticFlag_WhenPausedAgainAfterAResume()
    {
        var campaign = InState(CampaignState.InProgress);
        campaign.Pause("Guard tripped", s_now, automatic: true);
        campaign.Resume();

        campaign.Pause("Marketing asked", s_now.AddHours(2));

        Assert.Equal(("Marketing asked", false, (DateTimeOffset?)s_now.AddHours(2)), (campaign.PauseReason, campaign.PausedAutomatically, campaign.PausedAt));
    }

    [Theory]
    [InlineData(CampaignState.Draft)]
    [InlineData(CampaignState.Scheduled)]
    [InlineData(CampaignState.InProgress)]
    [InlineData(CampaignState.Sent)]
    public void Resume_ShouldThrowNamingBothStates_WhenNotPaused(CampaignState from)
    {
        var campaign = InState(from);

        var error = Assert.Throws<DomainException>(campaign.Resume);

        Assert.Contains($"Campaign 21 from {from} to {CampaignState.InProgress}", error.Message, StringComparison.Ordinal);
        Assert.Equal(from, campaign.State);
    }

    [Fact]
    public void MarkSent_ShouldThrow_WhenPaused()
    {
        var campaign = InState(CampaignState.Paused);

        Assert.Throws<DomainException>(() => campaign.MarkSent(s_now));
        Assert.Equal(CampaignState.Paused, campaign.State);
    }

    [Theory]
    [InlineData(CampaignState.InProgress)]
    [InlineData(CampaignState.Paused)]
    public void MarkDeliveriesQueued_ShouldRecordTheTime_WhenSendingOrPaused(CampaignState state)
    {
        var campaign = InState(state);

        campaign.MarkDeliveriesQueued(s_now.AddMinutes(1));

        Assert.Equal(s_now.AddMinutes(1), campaign.DeliveriesQueuedAt);
        Assert.Equal(state, campaign.State);
    }

    [Fact]
    public void MarkDeliveriesQueued_ShouldKeepTheFirstTime_WhenCalledAgain()
    {
        var campaign = InState(CampaignState.InProgress);
        campaign.MarkDeliveriesQueued(s_now.AddMinutes(1));

        campaign.MarkDeliveriesQueued(s_now.AddMinutes(9));

        Assert.Equal(s_now.AddMinutes(1), campaign.DeliveriesQueuedAt);
    }

    [Theory]
    [InlineData(CampaignState.Draft)]
    [InlineData(CampaignState.Scheduled)]
    [InlineData(CampaignState.Sent)]
    public void MarkDeliveriesQueued_ShouldThrow_WhenNotBeingSent(CampaignState state)
    {
        var campaign = InState(state);

        Assert.Throws<DomainException>(() => campaign.MarkDeliveriesQueued(s_now));
        Assert.Null(campaign.DeliveriesQueuedAt);
    }

    private static Campaign NewCampaign() =>
        EntityIds.Set(Campaign.Create("Weekly", CampaignKind.Regular, "news@example.org", "Weekly news", s_now), 21);

    /// <summary>A campaign with an HTML and a text body, moved to <paramref name="state"/> by legal transitions.</summary>
    private static Campaign InState(CampaignState state)
    {
        var campaign = NewCampaign();
        campaign.SetContent(null, "<p>Hello</p>", "Hello");
        switch (state)
        {
            case CampaignState.Draft:
                break;
            case CampaignState.Scheduled:
                campaign.Schedule(s_now.AddDays(1), s_now);
                break;
            case CampaignState.InProgress:
                campaign.StartSending(s_now);
                break;
            case CampaignState.Paused:
                campaign.StartSending(s_now);
                campaign.Pause("Hold on", s_now);
                break;
            case CampaignState.Sent:
                campaign.StartSending(s_now);
                campaign.MarkSent(s_now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }

        return campaign;
    }
}
