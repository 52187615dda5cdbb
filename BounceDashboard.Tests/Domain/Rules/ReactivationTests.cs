using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Rules;

public class ReactivationTests
{
    private static readonly Actor s_admin = new("admin@example.org", [Roles.Admin]);
    private static readonly Actor s_marketer = new("marketer@example.org", [Roles.Marketer]);

    [Theory]
    [InlineData("bad address", SuppressionReason.HardBounce, ContactStatus.Error)]
    [InlineData("confirmed bounce", SuppressionReason.ConfirmedBounce, ContactStatus.ConfirmedBounce)]
    [InlineData("complaint", SuppressionReason.Complaint, ContactStatus.OptedOut)]
    public void Reactivate_ShouldLiftSuppressionAndResetContact_WhenAnAdminGivesAReason(
        string situation, SuppressionReason expectedReason, ContactStatus expectedBefore)
    {
        var scenario = Arrange(situation);
        var reactivation = new Reactivation(scenario.Time);
        scenario.Time.Advance(TimeSpan.FromDays(1));

        var result = reactivation.Reactivate(scenario.Contact, scenario.Suppression, s_admin, "Confirmed by phone", complaintConfirmed: true);

        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
        Assert.Null(scenario.Contact.ErrorCause);
        Assert.Equal(0, scenario.Contact.ConsecutiveBounces);
        Assert.Equal(0, scenario.Contact.ConsecutiveHardBounces);
        Assert.Equal(0, scenario.Contact.ConsecutiveSoftBounces);
        Assert.Null(scenario.Contact.LastBounceCampaignId);
        Assert.False(scenario.Suppression!.IsActive);
        Assert.Equal(s_admin.Name, scenario.Suppression.LiftedBy);
        Assert.Equal("Confirmed by phone", scenario.Suppression.LiftReason);
        Assert.Equal(expectedReason, result.LiftedReason);
        Assert.Equal(expectedBefore, result.ContactStatusBefore);
        Assert.Equal(AuditAction.ReactivateAddress, result.Audit.Action);
        Assert.Equal(s_admin.Name, result.Audit.Actor);
        Assert.Equal(scenario.Contact.Email, result.Audit.Target);
        Assert.Equal("Confirmed by phone", result.Audit.Reason);
        Assert.Equal(scenario.Time.GetUtcNow(), result.Audit.At);
        Assert.Contains(expectedReason.ToString(), result.Audit.Details, StringComparison.Ordinal);
        Assert.True(Sendability.IsSendable(scenario.Contact, scenario.Suppression));
    }

    [Fact]
    public void Reactivate_ShouldThrowForbidden_WhenTheActorIsNotAnAdmin()
    {
        var scenario = Arrange("bad address");

        Assert.Throws<ForbiddenActionException>(() =>
            new Reactivation(scenario.Time).Reactivate(scenario.Contact, scenario.Suppression, s_marketer, "Please", complaintConfirmed: true));
        Assert.True(scenario.Suppression!.IsActive);
        Assert.Equal(ContactStatus.Error, scenario.Contact.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Reactivate_ShouldThrow_WhenNoReasonIsGiven(string? reason)
    {
        var scenario = Arrange("bad address");

        Assert.Throws<DomainException>(() =>
            new Reactivation(scenario.Time).Reactivate(scenario.Contact, scenario.Suppression, s_admin, reason!, complaintConfirmed: false));
        Assert.True(scenario.Suppression!.IsActive);
    }

    [Fact]
    public void Reactivate_ShouldThrow_WhenAComplaintIsNotConfirmed()
    {
        var scenario = Arrange("complaint");

        var error = Assert.Throws<DomainException>(() =>
            new Reactivation(scenario.Time).Reactivate(scenario.Contact, scenario.Suppression, s_admin, "Subscribed again", complaintConfirmed: false));
        Assert.Contains("confirmation", error.Message, StringComparison.Ordinal);
        Assert.True(scenario.Suppression!.IsActive);
        Assert.Equal(ContactStatus.OptedOut, scenario.Contact.Status);
    }

    [Fact]
    public void Reactivate_ShouldThrow_WhenTheEntryWasAlreadyLifted()
    {
        var scenario = Arrange("bad address");
        var reactivation = new Reactivation(scenario.Time);
        reactivation.Reactivate(scenario.Contact, scenario.Suppression, s_admin, "First", complaintConfirmed: false);

        Assert.Throws<DomainException>(() => reactivation.Reactivate(null, scenario.Suppression, s_admin, "Again", complaintConfirmed: false));
    }

    [Fact]
    public void Reactivate_ShouldReactivateAContactInErrorForSoftBounces_WhenItsAddressIsNotSuppressed()
    {
        var scenario = Arrange("soft bounces");

        var result = new Reactivation(scenario.Time).Reactivate(scenario.Contact, null, s_admin, "Mailbox fixed", complaintConfirmed: false);

        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
        Assert.Null(result.LiftedReason);
        Assert.Equal(ContactStatus.Error, result.ContactStatusBefore);
    }

    [Fact]
    public void Reactivate_ShouldThrow_WhenTheContactIsActiveAndNothingIsSuppressed()
    {
        var scenario = new RulesScenario();

        var error = Assert.Throws<DomainException>(() =>
            new Reactivation(scenario.Time).Reactivate(scenario.Contact, null, s_admin, "Why not", complaintConfirmed: false));
        Assert.Contains("from Active to Active", error.Message, StringComparison.Ordinal);
    }

    private static RulesScenario Arrange(string situation)
    {
        var scenario = new RulesScenario();
        switch (situation)
        {
            case "bad address":
                scenario.BadAddressCampaign();
                break;
            case "confirmed bounce":
                scenario.HardBouncedCampaign();
                scenario.HardBouncedCampaign();
                scenario.HardBouncedCampaign();
                break;
            case "complaint":
                var delivery = scenario.DeliveredCampaign();
                scenario.Apply(scenario.Event(delivery, false, BounceReason.Feedback, MessageKind.FeedbackReport, FeedbackTypes.Abuse), delivery);
                break;
            default:
                scenario.SoftBouncedCampaign();
                scenario.SoftBouncedCampaign();
                scenario.SoftBouncedCampaign();
                break;
        }

        return scenario;
    }
}
