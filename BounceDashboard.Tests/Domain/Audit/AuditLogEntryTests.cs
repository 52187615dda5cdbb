using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Common;
using Xunit;

namespace BounceDashboard.Tests.Domain.Audit;

public class AuditLogEntryTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_ShouldKeepWhoWhenWhatAndWhy_WhenValid()
    {
        var entry = AuditLogEntry.Record(s_now, "admin@example.org", AuditAction.SuppressAddress, "jane@example.com", "Asked by phone", "manual");

        Assert.Equal((s_now, "admin@example.org", AuditAction.SuppressAddress, "jane@example.com", "Asked by phone", "manual"),
            (entry.At, entry.Actor, entry.Action, entry.Target, entry.Reason, entry.Details));
    }

    [Theory]
    [InlineData("", "jane@example.com")]
    [InlineData("admin@example.org", " ")]
    public void Record_ShouldThrow_WhenActorOrTargetIsMissing(string actor, string target)
    {
        Assert.Throws<DomainException>(() => AuditLogEntry.Record(s_now, actor, AuditAction.ReactivateAddress, target));
    }
}
