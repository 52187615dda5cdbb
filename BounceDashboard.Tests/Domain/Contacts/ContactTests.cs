using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Contacts;

public class ContactTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_ShouldNormaliseTheAddressAndStartActive_WhenValid()
    {
        var contact = Contact.Create("  Jane.Doe@Example.COM ", s_now, "  Jane Doe ");

        Assert.Equal("jane.doe@example.com", contact.Email);
        Assert.Equal("Jane Doe", contact.DisplayName);
        Assert.Equal(ContactStatus.Active, contact.Status);
        Assert.Null(contact.ErrorCause);
        Assert.Equal(s_now, contact.StatusChangedAt);
        Assert.Equal(0, contact.ConsecutiveBounces);
    }

    [Fact]
    public void Create_ShouldThrow_WhenTheDisplayNameIsTooLong()
    {
        Assert.Throws<DomainException>(() => Contact.Create("a@example.com", s_now, new string('x', Contact.DisplayNameMaxLength + 1)));
    }

    [Theory]
    [InlineData("OptedOut", "Error")]
    [InlineData("ConfirmedBounce", "Error")]
    [InlineData("ErrorBadAddress", "Error")]
    [InlineData("OptedOut", "ConfirmedBounce")]
    [InlineData("ErrorBadAddress", "ConfirmedBounce")]
    [InlineData("ConfirmedBounce", "OptedOut")]
    [InlineData("OptedOut", "OptedOut")]
    public void Transition_ShouldThrowNamingBothStates_WhenIllegal(string from, string to)
    {
        var contact = EntityIds.Set(Contact.Create("pat@example.com", s_now), 11);
        switch (from)
        {
            case "OptedOut":
                contact.OptOut(s_now);
                break;
            case "ConfirmedBounce":
                contact.MarkConfirmedBounce(s_now);
                break;
            default:
                contact.MarkError(ContactErrorCause.BadAddress, s_now);
                break;
        }

        var before = contact.Status;
        Action act = to switch
        {
            "Error" => () => contact.MarkError(ContactErrorCause.RepeatedSoftBounces, s_now),
            "ConfirmedBounce" => () => contact.MarkConfirmedBounce(s_now),
            _ => () => contact.OptOut(s_now),
        };

        var error = Assert.Throws<DomainException>(act);
        Assert.Contains($"Contact 11 from {before} to {to}", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, contact.Status);
    }

    [Fact]
    public void RecordBounce_ShouldCountACampaignOnce_WhenTheSameCampaignBouncesAgain()
    {
        var contact = Contact.Create("pat@example.com", s_now);

        Assert.True(contact.RecordBounce(5, s_now, BounceKind.Soft, s_now));
        Assert.False(contact.RecordBounce(5, s_now, BounceKind.Soft, s_now.AddHours(1)));

        Assert.Equal(1, contact.ConsecutiveSoftBounces);
        Assert.Equal(1, contact.ConsecutiveBounces);
    }

    [Fact]
    public void RecordBounce_ShouldNotBreakTheStreak_WhenTheDeliveredCampaignBouncesLater()
    {
        var contact = Contact.Create("pat@example.com", s_now);
        contact.RecordBounce(1, s_now, BounceKind.Hard, s_now);
        contact.RecordDelivered(2, s_now.AddDays(7));

        contact.RecordBounce(2, s_now.AddDays(7), BounceKind.Hard, s_now.AddDays(8));

        Assert.Equal(2, contact.ConsecutiveHardBounces);
        Assert.Null(contact.LastDeliveredCampaignId);
    }

    [Fact]
    public void RecordBounce_ShouldStartAgainAtOne_WhenADeliveredCampaignSitsBetweenBounces()
    {
        var contact = Contact.Create("pat@example.com", s_now);
        contact.RecordBounce(1, s_now, BounceKind.Hard, s_now);
        contact.RecordBounce(2, s_now.AddDays(7), BounceKind.Hard, s_now.AddDays(7));
        contact.RecordDelivered(3, s_now.AddDays(14));

        contact.RecordBounce(4, s_now.AddDays(21), BounceKind.Hard, s_now.AddDays(21));

        Assert.Equal(1, contact.ConsecutiveHardBounces);
        Assert.Equal(4, contact.LastBounceCampaignId);
    }

    [Fact]
    public void RecordBounce_ShouldNotBreakTheStreak_WhenTheDeliveredCampaignWasSentBeforeTheLastBounce()
    {
        var contact = Contact.Create("pat@example.com", s_now);
        contact.RecordDelivered(1, s_now);
        contact.RecordBounce(2, s_now.AddDays(7), BounceKind.Soft, s_now.AddDays(7));

        contact.RecordBounce(3, s_now.AddDays(14), BounceKind.Soft, s_now.AddDays(14));

        Assert.Equal(2, contact.ConsecutiveSoftBounces);
    }

    [Fact]
    public void RecordBounce_ShouldCountNothing_WhenALaterCampaignWasDeliveredBeforeTheLateReportArrived()
    {
        // Issue 9: streaks follow the campaigns' first attempts; the delivered campaign 3 already broke the streak.
        var contact = Contact.Create("pat@example.com", s_now);
        contact.RecordBounce(1, s_now, BounceKind.Soft, s_now);
        contact.RecordDelivered(3, s_now.AddDays(14));

        var counted = contact.RecordBounce(2, s_now.AddDays(7), BounceKind.Soft, s_now.AddDays(15));

        Assert.False(counted);
        Assert.Equal(1, contact.ConsecutiveSoftBounces);
        Assert.Equal(1, contact.LastBounceCampaignId);
    }

    [Fact]
    public void RecordActivity_ShouldKeepTheStreak_WhenTheOpenIsOlderThanTheLastCountedBounce()
    {
        // Issue 9: a late or replayed tracking hit resets only what came before it.
        var contact = Contact.Create("pat@example.com", s_now);
        contact.RecordBounce(1, s_now, BounceKind.Soft, s_now.AddDays(1));
        contact.RecordBounce(2, s_now.AddDays(7), BounceKind.Soft, s_now.AddDays(8));

        var reset = contact.RecordActivity(s_now.AddDays(3));

        Assert.False(reset);
        Assert.Equal(2, contact.ConsecutiveSoftBounces);
        Assert.Equal(s_now.AddDays(3), contact.LastActivityAt);
    }

    [Fact]
    public void RecordActivity_ShouldResetTheStreak_WhenTheOpenIsNewerThanTheLastCountedBounce()
    {
        var contact = Contact.Create("pat@example.com", s_now);
        contact.RecordBounce(1, s_now, BounceKind.Soft, s_now.AddDays(1));

        Assert.True(contact.RecordActivity(s_now.AddDays(1).AddMinutes(1)));
        Assert.Equal(0, contact.ConsecutiveBounces);
    }

    [Fact]
    public void Reactivate_ShouldResetEveryCounterAndReturnToActive_WhenInError()
    {
        var contact = Contact.Create("pat@example.com", s_now);
        contact.RecordBounce(1, s_now, BounceKind.Hard, s_now);
        contact.MarkError(ContactErrorCause.BadAddress, s_now);

        contact.Reactivate(s_now.AddDays(1));

        Assert.Equal(ContactStatus.Active, contact.Status);
        Assert.Null(contact.ErrorCause);
        Assert.Equal((0, 0, 0), (contact.ConsecutiveSoftBounces, contact.ConsecutiveHardBounces, contact.ConsecutiveBounces));
        Assert.Null(contact.LastBounceCampaignId);
        Assert.Equal(s_now.AddDays(1), contact.StatusChangedAt);
    }

    [Theory]
    [InlineData(ContactErrorCause.BadAddress, true)]
    [InlineData(ContactErrorCause.RepeatedSoftBounces, false)]
    public void IsPermanent_ShouldTellPermanentCauses_WhenAsked(ContactErrorCause cause, bool expected)
    {
        Assert.Equal(expected, cause.IsPermanent());
    }
}
