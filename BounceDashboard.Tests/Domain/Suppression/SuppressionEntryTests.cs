using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Suppression;
using Xunit;

namespace BounceDashboard.Tests.Domain.Suppression;

public class SuppressionEntryTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_ShouldNormaliseTheAddress_WhenValid()
    {
        var entry = SuppressionEntry.Create(" Jane@Example.COM ", SuppressionReason.Manual, SuppressionSource.Admin, s_now, "admin@example.org", "asked by phone");

        Assert.Equal("jane@example.com", entry.Email);
        Assert.True(entry.IsActive);
        Assert.False(entry.RequiresConfirmationToLift);
    }

    [Theory]
    [InlineData(SuppressionReason.HardBounce, false, true)]
    [InlineData(SuppressionReason.Complaint, false, false)]
    [InlineData(SuppressionReason.Complaint, true, true)]
    [InlineData(SuppressionReason.Unsubscribe, false, true)]
    public void Lift_ShouldRequireConfirmationOnlyForComplaints_WhenLifting(SuppressionReason reason, bool confirmed, bool lifted)
    {
        var entry = SuppressionEntry.Create("jane@example.com", reason, SuppressionSource.Rules, s_now, SuppressionEntry.SystemActor);

        var act = () => entry.Lift(s_now.AddDays(1), "admin@example.org", "Verified", confirmed);

        if (lifted)
        {
            act();
            Assert.Equal((false, "admin@example.org", "Verified", s_now.AddDays(1)), (entry.IsActive, entry.LiftedBy, entry.LiftReason, entry.LiftedAt!.Value));
        }
        else
        {
            Assert.Throws<DomainException>(act);
            Assert.True(entry.IsActive);
        }
    }

    [Fact]
    public void Lift_ShouldThrow_WhenNoReasonOrAlreadyLifted()
    {
        var entry = SuppressionEntry.Create("jane@example.com", SuppressionReason.HardBounce, SuppressionSource.Rules, s_now, SuppressionEntry.SystemActor);

        Assert.Throws<DomainException>(() => entry.Lift(s_now, "admin@example.org", " ", complaintConfirmed: false));
        entry.Lift(s_now, "admin@example.org", "Fixed", complaintConfirmed: false);
        Assert.Throws<DomainException>(() => entry.Lift(s_now, "admin@example.org", "Again", complaintConfirmed: false));
    }
}
