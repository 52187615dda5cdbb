using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Suppression;

namespace BounceDashboard.Domain.Rules;

/// <summary>What applying one bounce event did; the caller saves the changed entities and any new suppression entry.</summary>
/// <param name="Effect">What happened to the delivery.</param>
/// <param name="AlreadyApplied">The event (or one with the same idempotency key) had been applied before: nothing changed.</param>
/// <param name="NewSuppression">A suppression entry to add, when the address was not suppressed yet.</param>
/// <param name="ContactStatusBefore">The contact's status before, when a contact was involved.</param>
/// <param name="ContactStatusAfter">The contact's status after, when a contact was involved.</param>
/// <param name="AwaitingMatch">The event is unmatched: nothing changed, it waits in the review queue.</param>
public sealed record BounceApplication(
    BounceEffect Effect,
    bool AlreadyApplied,
    SuppressionEntry? NewSuppression,
    ContactStatus? ContactStatusBefore,
    ContactStatus? ContactStatusAfter,
    bool AwaitingMatch = false)
{
    public bool ContactStatusChanged => ContactStatusBefore != ContactStatusAfter;
}

/// <summary>What recording an open or a click did.</summary>
/// <param name="FirstOfKind">The first open (or click) of the delivery: unique counts move.</param>
/// <param name="CountersReset">The contact's bounce streaks were reset.</param>
public sealed record TrackingApplication(bool FirstOfKind, bool CountersReset);

/// <summary>What a reactivation did: the audit entry to save, and what was lifted.</summary>
public sealed record ReactivationResult(AuditLogEntry Audit, SuppressionReason? LiftedReason, ContactStatus? ContactStatusBefore);
