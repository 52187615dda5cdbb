using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Audit;

/// <summary>What an audited admin action did. Stored as a string.</summary>
public enum AuditAction
{
    /// <summary>An address was lifted from the suppression list and its contact set back to Active.</summary>
    ReactivateAddress = 1,
    /// <summary>An address was put on the suppression list by hand.</summary>
    SuppressAddress = 2,
    /// <summary>An unmatched or unparseable bounce event was resolved in the review queue.</summary>
    ResolveBounceEvent = 3,
    /// <summary>An API key was created or revoked.</summary>
    ManageApiKey = 4,
    /// <summary>A campaign's sending was paused, by a person or by the hard-bounce guard (actor "system").</summary>
    PauseCampaign = 5,
    /// <summary>A paused campaign's sending was resumed.</summary>
    ResumeCampaign = 6,
    /// <summary>Contacts were imported into an audience from a CSV file (who, which audience, how many).</summary>
    ImportAudienceContacts = 7,
    /// <summary>Addresses were put on the suppression list from a CSV file (one entry per address added).</summary>
    ImportSuppressions = 8,
    /// <summary>A review-queue item was matched by hand to a delivery or a contact; the rules then ran as for an automatic match.</summary>
    MatchReviewItem = 9,
    /// <summary>A review-queue item's reading (kind, reason) was corrected by hand and the rules ran on the correction.</summary>
    ReclassifyReviewItem = 10,
    /// <summary>A review-queue item was dismissed: kept, counted nowhere.</summary>
    DismissReviewItem = 11,
    /// <summary>A user account was created (its role in the details).</summary>
    CreateUser = 12,
    /// <summary>A user's role was changed (before and after in the details).</summary>
    ChangeUserRole = 13,
    /// <summary>A user account was disabled: it can no longer sign in.</summary>
    DisableUser = 14,
    /// <summary>A user account was enabled again after being disabled.</summary>
    EnableUser = 15,
    /// <summary>An admin issued a one-time password-reset link for a user.</summary>
    ResetUserPassword = 16,
    /// <summary>A user changed their own password.</summary>
    ChangeOwnPassword = 17,
}

/// <summary>One admin action: who, when, what, on what, and why. Append-only.</summary>
public sealed class AuditLogEntry
{
    public const int ActorMaxLength = 256;
    public const int TargetMaxLength = 320;
    public const int ReasonMaxLength = 1000;
    public const int DetailsMaxLength = 4000;

    private AuditLogEntry()
    {
        Actor = string.Empty;
        Target = string.Empty;
    }

    public long Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>The user name of whoever acted.</summary>
    public string Actor { get; private set; }

    public AuditAction Action { get; private set; }

    /// <summary>What it was done to: an address, "BounceEvent 42".</summary>
    public string Target { get; private set; }

    /// <summary>The reason the actor gave.</summary>
    public string? Reason { get; private set; }

    /// <summary>Anything else worth keeping (the previous status, the suppression reason lifted).</summary>
    public string? Details { get; private set; }

    public static AuditLogEntry Record(
        DateTimeOffset at,
        string actor,
        AuditAction action,
        string target,
        string? reason = null,
        string? details = null)
    {
        if (!Enum.IsDefined(action))
        {
            throw new DomainException($"Unknown audit action {action}.");
        }

        return new AuditLogEntry
        {
            At = at,
            Actor = TextLimits.Required(actor, ActorMaxLength, "Actor"),
            Action = action,
            Target = TextLimits.Required(target, TargetMaxLength, "Target"),
            Reason = TextLimits.Optional(reason, ReasonMaxLength, "Reason"),
            Details = TextLimits.Truncate(details, DetailsMaxLength),
        };
    }
}
