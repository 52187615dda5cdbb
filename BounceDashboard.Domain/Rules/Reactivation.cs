using System.Globalization;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Suppression;

namespace BounceDashboard.Domain.Rules;

/// <summary>
/// Reactivation: an Admin lifts an address from the suppression list and sets its contact back to Active with every
/// counter reset. A reason is required and is written to the audit entry this returns; a complaint suppression needs
/// an explicit confirmation. The web command checks the role from the ClaimsPrincipal; this class checks it again
/// from the <see cref="Actor"/> it is given, so no caller can skip it.
/// </summary>
public sealed class Reactivation(TimeProvider time)
{
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>
    /// Lifts <paramref name="suppression"/> (the address's entry in force, if any) and reactivates
    /// <paramref name="contact"/> (if the address belongs to one). At least one of them must be given, for the same
    /// address. Returns the audit entry to save in the same transaction.
    /// </summary>
    public ReactivationResult Reactivate(
        Contact? contact,
        SuppressionEntry? suppression,
        Actor actor,
        string reason,
        bool complaintConfirmed)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.EnsureAdmin("reactivate an address");
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("A reason is required to reactivate an address.");
        }

        if (contact is null && suppression is null)
        {
            throw new DomainException("Nothing to reactivate: neither a contact nor a suppression entry was given.");
        }

        if (contact is not null && suppression is not null && !string.Equals(contact.Email, suppression.Email, StringComparison.Ordinal))
        {
            throw new DomainException($"The suppression entry is for {suppression.Email}, not {contact.Email}.");
        }

        if (suppression is { IsActive: false })
        {
            throw new DomainException($"Suppression entry {suppression.Id} for {suppression.Email} was already lifted.");
        }

        if (suppression is null && contact!.Status == ContactStatus.Active)
        {
            throw DomainException.IllegalTransition(nameof(Contact), contact.Id, contact.Status, ContactStatus.Active);
        }

        var now = _time.GetUtcNow();
        var address = contact?.Email ?? suppression!.Email;
        var statusBefore = contact?.Status;
        suppression?.Lift(now, actor.Name, reason, complaintConfirmed);
        contact?.Reactivate(now);

        var details = string.Format(
            CultureInfo.InvariantCulture,
            "suppression: {0}; contact: {1} -> {2}",
            suppression is null ? "none" : suppression.Reason.ToString(),
            statusBefore?.ToString() ?? "none",
            contact?.Status.ToString() ?? "none");
        var audit = AuditLogEntry.Record(now, actor.Name, AuditAction.ReactivateAddress, address, reason, details);
        return new ReactivationResult(audit, suppression?.Reason, statusBefore);
    }
}
