using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Domain.Rules;

public sealed class ManualSuppressionImportTests
{
    private static readonly Actor s_admin = new("admin@example.org", [Roles.Admin]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Import_ShouldCreateAnImportedEntryAndAnImportAuditEntry_WhenAnAdminGivesAReason()
    {
        var (entry, audit) = new ManualSuppression(_time).Import(" Jane@Example.com ", s_admin, "Old ESP list", existing: null, "from old.csv, line 2");

        Assert.Equal(("jane@example.com", SuppressionReason.Imported, SuppressionSource.Import, "admin@example.org", "Old ESP list"),
            (entry.Email, entry.Reason, entry.Source, entry.CreatedBy, entry.Note));
        Assert.Equal((AuditAction.ImportSuppressions, "jane@example.com", "Old ESP list", "from old.csv, line 2", _time.GetUtcNow()),
            (audit.Action, audit.Target, audit.Reason, audit.Details, audit.At));
    }

    [Fact]
    public void Import_ShouldThrowForbidden_WhenTheActorIsNotAnAdmin()
    {
        var marketer = new Actor("m@example.org", [Roles.Marketer]);

        Assert.Throws<ForbiddenActionException>(() => new ManualSuppression(_time).Import("jane@example.com", marketer, "reason", null));
    }

    [Fact]
    public void Import_ShouldThrow_WhenTheAddressIsAlreadySuppressedOrTheReasonIsMissing()
    {
        var suppression = new ManualSuppression(_time);
        var existing = SuppressionEntry.Create("jane@example.com", SuppressionReason.HardBounce, SuppressionSource.Rules, _time.GetUtcNow(), SuppressionEntry.SystemActor);

        Assert.Throws<DomainException>(() => suppression.Import("jane@example.com", s_admin, "reason", existing));
        Assert.Throws<DomainException>(() => suppression.Import("jane@example.com", s_admin, " ", null));
    }
}
