using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Suppression;

namespace BounceDashboard.Domain.Rules;

/// <summary>
/// An Admin puts an address on the suppression list by hand (reason <see cref="SuppressionReason.Manual"/>). A note
/// saying why is required and goes to the audit entry. The contact's status is left as it is: the suppression alone
/// stops sending (see <see cref="Sendability"/>), and lifting it is a reactivation like any other.
/// </summary>
public sealed class ManualSuppression(TimeProvider time)
{
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>The entry and audit entry to save together; <paramref name="existing"/> is the address's entry in force, if any.</summary>
    public (SuppressionEntry Entry, AuditLogEntry Audit) Suppress(string email, Actor actor, string note, SuppressionEntry? existing)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.EnsureAdmin("suppress an address");
        if (string.IsNullOrWhiteSpace(note))
        {
            throw new DomainException("A note saying why is required to suppress an address.");
        }

        var address = EmailAddress.Normalize(email);
        if (existing is { IsActive: true })
        {
            throw new DomainException($"{address} is already suppressed ({existing.Reason}).");
        }

        var now = _time.GetUtcNow();
        // An API key acts as "api:NAME" (Security.ApiKey): its entries say they came through the API.
        var source = actor.Name.StartsWith(Security.ApiKey.ActorPrefix, StringComparison.Ordinal) ? SuppressionSource.Api : SuppressionSource.Admin;
        var entry = SuppressionEntry.Create(address, SuppressionReason.Manual, source, now, actor.Name, note);
        var audit = AuditLogEntry.Record(now, actor.Name, AuditAction.SuppressAddress, address, note, nameof(SuppressionReason.Manual));
        return (entry, audit);
    }

    /// <summary>
    /// One address of an imported list (reason <see cref="SuppressionReason.Imported"/>, source
    /// <see cref="SuppressionSource.Import"/>), with the reason given for it (the file's column or the one typed for the
    /// file), audited as <see cref="AuditAction.ImportSuppressions"/> per address. <paramref name="details"/> says where it
    /// came from (the file and line).
    /// </summary>
    public (SuppressionEntry Entry, AuditLogEntry Audit) Import(string email, Actor actor, string reason, SuppressionEntry? existing, string? details = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.EnsureAdmin("import suppressions");
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("A reason is required to suppress an imported address.");
        }

        var address = EmailAddress.Normalize(email);
        if (existing is { IsActive: true })
        {
            throw new DomainException($"{address} is already suppressed ({existing.Reason}).");
        }

        var now = _time.GetUtcNow();
        var entry = SuppressionEntry.Create(address, SuppressionReason.Imported, SuppressionSource.Import, now, actor.Name, reason);
        var audit = AuditLogEntry.Record(now, actor.Name, AuditAction.ImportSuppressions, address, reason, details);
        return (entry, audit);
    }
}
