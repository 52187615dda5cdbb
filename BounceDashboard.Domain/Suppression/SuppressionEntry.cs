using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Suppression;

/// <summary>
/// An address that must not be mailed, whatever list it is on. An entry is never deleted: reactivation lifts it
/// (<see cref="LiftedAt"/>, by whom, why), so the history stays. At most one entry per address is in force
/// (not lifted) at a time; the database enforces it with a filtered unique index.
/// </summary>
public sealed class SuppressionEntry
{
    public const int EmailMaxLength = EmailAddress.MaxLength;
    public const int ActorMaxLength = 256;
    public const int NoteMaxLength = 1000;
    public const int ReasonTextMaxLength = 1000;

    /// <summary>The actor name recorded for entries the rules engine creates.</summary>
    public const string SystemActor = "system";

    private SuppressionEntry()
    {
        Email = string.Empty;
        CreatedBy = string.Empty;
    }

    public long Id { get; private set; }

    /// <summary>Normalised address (<see cref="EmailAddress.Normalize"/>).</summary>
    public string Email { get; private set; }

    public SuppressionReason Reason { get; private set; }

    public SuppressionSource Source { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    public string? Note { get; private set; }

    /// <summary>The bounce event that caused it, when there is one.</summary>
    public long? BounceEventId { get; private set; }

    public DateTimeOffset? LiftedAt { get; private set; }

    public string? LiftedBy { get; private set; }

    public string? LiftReason { get; private set; }

    /// <summary>True while the entry is in force.</summary>
    public bool IsActive => LiftedAt is null;

    /// <summary>Complaint suppressions need an explicit confirmation to be lifted.</summary>
    public bool RequiresConfirmationToLift => Reason == SuppressionReason.Complaint;

    public static SuppressionEntry Create(
        string email,
        SuppressionReason reason,
        SuppressionSource source,
        DateTimeOffset createdAt,
        string createdBy,
        string? note = null,
        long? bounceEventId = null)
    {
        if (!Enum.IsDefined(reason) || !Enum.IsDefined(source))
        {
            throw new DomainException($"Unknown suppression reason or source ({reason}, {source}).");
        }

        return new SuppressionEntry
        {
            Email = EmailAddress.Normalize(email),
            Reason = reason,
            Source = source,
            CreatedAt = createdAt,
            CreatedBy = TextLimits.Required(createdBy, ActorMaxLength, "Suppressed by"),
            Note = TextLimits.Optional(note, NoteMaxLength, "Note"),
            BounceEventId = bounceEventId,
        };
    }

    /// <summary>
    /// Lifts the entry (reactivation). The reason is required; a complaint needs <paramref name="complaintConfirmed"/>.
    /// Who may do it is checked by <c>Rules.Reactivation</c> and, server-side, by the command service.
    /// </summary>
    public void Lift(DateTimeOffset at, string liftedBy, string reason, bool complaintConfirmed)
    {
        if (!IsActive)
        {
            throw new DomainException($"Suppression entry {Id} for {Email} was already lifted at {LiftedAt:O}.");
        }

        if (RequiresConfirmationToLift && !complaintConfirmed)
        {
            throw new DomainException($"Suppression entry {Id} for {Email} is a complaint: lifting it needs an explicit confirmation.");
        }

        LiftReason = TextLimits.Required(reason, ReasonTextMaxLength, "Reactivation reason");
        LiftedBy = TextLimits.Required(liftedBy, ActorMaxLength, "Reactivated by");
        LiftedAt = at;
    }
}
