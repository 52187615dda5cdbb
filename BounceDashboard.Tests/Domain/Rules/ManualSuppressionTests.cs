using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Domain.Rules;

public class ManualSuppressionTests
{
    private static readonly Actor s_admin = new("admin@example.org", [Roles.Admin]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Suppress_ShouldCreateAManualEntryAndAnAuditEntry_WhenAnAdminGivesANote()
    {
        var (entry, audit) = new ManualSuppression(_time).Suppress(" Jane@Example.com ", s_admin, "Asked us by phone", existing: null);

        Assert.Equal(("jane@example.com", SuppressionReason.Manual, SuppressionSource.Admin, "admin@example.org", "Asked us by phone"),
            (entry.Email, entry.Reason, entry.Source, entry.CreatedBy, entry.Note));
        Assert.Equal((AuditAction.SuppressAddress, "jane@example.com", "Asked us by phone", _time.GetUtcNow()),
            (audit.Action, audit.Target, audit.Reason, audit.At));
    }

    [Fact]
    public void Suppress_ShouldThrowForbidden_WhenTheActorIsNotAnAdmin()
    {
        var marketer = new Actor("m@example.org", [Roles.Marketer]);

        Assert.Throws<ForbiddenActionException>(() => new ManualSuppression(_time).Suppress("jane@example.com", marketer, "note", null));
    }

    [Fact]
    public void Suppress_ShouldThrow_WhenTheAddressIsAlreadySuppressedOrTheNoteIsMissing()
    {
        var suppression = new ManualSuppression(_time);
        var existing = SuppressionEntry.Create("jane@example.com", SuppressionReason.Complaint, SuppressionSource.Rules, _time.GetUtcNow(), SuppressionEntry.SystemActor);

        Assert.Throws<DomainException>(() => suppression.Suppress("jane@example.com", s_admin, "again", existing));
        Assert.Throws<DomainException>(() => suppression.Suppress("jane@example.com", s_admin, " ", null));
    }
}
