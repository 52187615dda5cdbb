using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Contacts;

/// <summary>
/// A person we mail, identified by one normalised address (see <see cref="EmailAddress.Normalize"/>), whatever
/// lists it is on. Holds the status that decides sending and the bounce streaks the rules count.
/// </summary>
/// <remarks>
/// <para>
/// "Consecutive campaigns": the campaigns of a contact are ordered by the time its delivery was first attempted
/// (<c>sentAt</c>). A streak counts campaigns whose delivery ended bounced, each campaign once. The streak is
/// broken by recorded activity (an open or a click that happened after the last counted bounce: a late or replayed
/// hit older than it resets nothing), by an admin's reactivation, and by a later campaign whose delivery was accepted
/// and has not bounced: a bounce for a delivery sent after the last delivered one, which itself was sent after the
/// last counted bounce, starts the streak again at one, and a late report for a campaign sent before the last
/// delivered one counts in no streak (that delivered campaign already broke it). A delivery that is accepted and
/// later bounces asynchronously (a DSN) withdraws its "delivered" mark, so it does not break its own streak.
/// Deliveries still awaiting a retry or never attempted neither count nor break.
/// </para>
/// <para>
/// Soft and hard streaks are strict: a hard-bounced campaign ends the soft streak and vice versa. The "any" streak
/// counts both and feeds the optional automatic unsubscribe. Only the latest delivered delivery is remembered, so
/// when two delivered campaigns sit between bounces and the later one then bounces, the earlier one no longer
/// breaks the streak: a deliberate simplification that errs towards counting.
/// </para>
/// </remarks>
public sealed class Contact
{
    public const int EmailMaxLength = EmailAddress.MaxLength;
    public const int DisplayNameMaxLength = 200;

    private Contact()
    {
        Email = string.Empty;
    }

    public long Id { get; private set; }

    /// <summary>Normalised address: trimmed and lower-cased (<see cref="EmailAddress.Normalize"/>).</summary>
    public string Email { get; private set; }

    public string? DisplayName { get; private set; }

    public ContactStatus Status { get; private set; }

    /// <summary>Set exactly when <see cref="Status"/> is <see cref="ContactStatus.Error"/>.</summary>
    public ContactErrorCause? ErrorCause { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset StatusChangedAt { get; private set; }

    /// <summary>Consecutive campaigns whose delivery ended soft bounced.</summary>
    public int ConsecutiveSoftBounces { get; private set; }

    /// <summary>Consecutive campaigns whose delivery ended hard bounced.</summary>
    public int ConsecutiveHardBounces { get; private set; }

    /// <summary>Consecutive campaigns whose delivery ended bounced, soft or hard.</summary>
    public int ConsecutiveBounces { get; private set; }

    /// <summary>The campaign of the last counted bounce.</summary>
    public long? LastBounceCampaignId { get; private set; }

    /// <summary>When the last counted bounce was recorded.</summary>
    public DateTimeOffset? LastBounceAt { get; private set; }

    /// <summary>First-attempt time of the latest delivery whose bounce was counted (orders the streak).</summary>
    public DateTimeOffset? LastBouncedSentAt { get; private set; }

    /// <summary>The campaign of the latest delivery that was accepted and has not bounced since.</summary>
    public long? LastDeliveredCampaignId { get; private set; }

    /// <summary>First-attempt time of that delivery.</summary>
    public DateTimeOffset? LastDeliveredSentAt { get; private set; }

    /// <summary>Latest open or click.</summary>
    public DateTimeOffset? LastActivityAt { get; private set; }

    /// <summary>True when the contact may be mailed as far as its own status goes (suppression is checked apart).</summary>
    public bool IsActive => Status == ContactStatus.Active;

    /// <summary>True when recorded activity must not reset the counters: Error for a permanent cause, or Confirmed Bounce.</summary>
    public bool IsPermanentlyFailed =>
        Status == ContactStatus.ConfirmedBounce
        || (Status == ContactStatus.Error && ErrorCause is { } cause && cause.IsPermanent());

    /// <summary>
    /// True when a failure may still move the contact to Error or Confirmed Bounce: it is Active, or in Error for a
    /// non-permanent cause (which a bad address or a Confirmed Bounce supersedes).
    /// </summary>
    public bool CanTakeFailureStatus =>
        Status == ContactStatus.Active
        || (Status == ContactStatus.Error && ErrorCause is { } cause && !cause.IsPermanent());

    public static Contact Create(string email, DateTimeOffset createdAt, string? displayName = null) =>
        new()
        {
            Email = EmailAddress.Normalize(email),
            DisplayName = TextLimits.Optional(displayName, DisplayNameMaxLength, "Display name"),
            Status = ContactStatus.Active,
            CreatedAt = createdAt,
            StatusChangedAt = createdAt,
        };

    /// <summary>Remembers that a delivery of <paramref name="campaignId"/>, first attempted at <paramref name="sentAt"/>, was accepted.</summary>
    public void RecordDelivered(long campaignId, DateTimeOffset sentAt)
    {
        if (LastDeliveredSentAt is null || sentAt >= LastDeliveredSentAt)
        {
            LastDeliveredCampaignId = campaignId;
            LastDeliveredSentAt = sentAt;
        }
    }

    /// <summary>
    /// Counts a final bounce of the delivery of <paramref name="campaignId"/> first attempted at
    /// <paramref name="sentAt"/>. Returns false when nothing is counted: that campaign was already counted, or a
    /// campaign sent after it was delivered (a late report for an old campaign cannot complete a streak the newer
    /// delivery broke).
    /// </summary>
    public bool RecordBounce(long campaignId, DateTimeOffset sentAt, BounceKind kind, DateTimeOffset at)
    {
        if (LastBounceCampaignId == campaignId && ConsecutiveBounces > 0)
        {
            return false;
        }

        if (LastDeliveredCampaignId == campaignId)
        {
            // Accepted by the relay, then bounced after all (an asynchronous DSN): it breaks nothing.
            LastDeliveredCampaignId = null;
            LastDeliveredSentAt = null;
        }

        if (LastDeliveredSentAt is { } newerDelivered && newerDelivered > sentAt)
        {
            return false;
        }

        var brokenByDelivery = LastDeliveredSentAt is { } delivered
            && delivered < sentAt
            && (LastBouncedSentAt is null || delivered > LastBouncedSentAt);
        if (brokenByDelivery)
        {
            ResetStreaks();
        }

        ConsecutiveBounces++;
        if (kind == BounceKind.Soft)
        {
            ConsecutiveSoftBounces++;
            ConsecutiveHardBounces = 0;
        }
        else
        {
            ConsecutiveHardBounces++;
            ConsecutiveSoftBounces = 0;
        }

        LastBounceCampaignId = campaignId;
        LastBounceAt = at;
        if (LastBouncedSentAt is null || sentAt > LastBouncedSentAt)
        {
            LastBouncedSentAt = sentAt;
        }

        return true;
    }

    /// <summary>
    /// Records an open or a click that happened at <paramref name="at"/>. Resets the bounce streaks unless the contact
    /// is permanently failed (<see cref="IsPermanentlyFailed"/>) or the activity is not newer than the last counted
    /// bounce (a late or replayed tracking hit resets only what came before it). Returns true when the streaks were
    /// reset. The status is not changed: a contact leaves Error, Opted Out or Confirmed Bounce only through an admin's
    /// reactivation.
    /// </summary>
    public bool RecordActivity(DateTimeOffset at)
    {
        if (LastActivityAt is null || at > LastActivityAt)
        {
            LastActivityAt = at;
        }

        if (IsPermanentlyFailed || (LastBounceAt is { } lastBounce && at <= lastBounce))
        {
            return false;
        }

        ResetStreaks();
        return true;
    }

    /// <summary>Active, or Error for a non-permanent cause, to Error with <paramref name="cause"/>.</summary>
    public void MarkError(ContactErrorCause cause, DateTimeOffset at)
    {
        if (!CanTakeFailureStatus)
        {
            throw DomainException.IllegalTransition(nameof(Contact), Id, Status, ContactStatus.Error);
        }

        ChangeStatus(ContactStatus.Error, cause, at);
    }

    /// <summary>Active, or Error for a non-permanent cause, to Confirmed Bounce.</summary>
    public void MarkConfirmedBounce(DateTimeOffset at)
    {
        if (!CanTakeFailureStatus)
        {
            throw DomainException.IllegalTransition(nameof(Contact), Id, Status, ContactStatus.ConfirmedBounce);
        }

        ChangeStatus(ContactStatus.ConfirmedBounce, null, at);
    }

    /// <summary>Active or Error to Opted Out (an unsubscribe, a complaint, or the automatic limit).</summary>
    public void OptOut(DateTimeOffset at)
    {
        if (Status is not (ContactStatus.Active or ContactStatus.Error))
        {
            throw DomainException.IllegalTransition(nameof(Contact), Id, Status, ContactStatus.OptedOut);
        }

        ChangeStatus(ContactStatus.OptedOut, null, at);
    }

    /// <summary>
    /// Back to Active with every counter reset: the contact side of an admin's reactivation
    /// (see <c>Rules.Reactivation</c>, which checks the actor and the reason and writes the audit entry).
    /// </summary>
    public void Reactivate(DateTimeOffset at)
    {
        ResetStreaks();
        LastBounceCampaignId = null;
        LastBounceAt = null;
        LastBouncedSentAt = null;
        LastDeliveredCampaignId = null;
        LastDeliveredSentAt = null;
        if (Status != ContactStatus.Active)
        {
            ChangeStatus(ContactStatus.Active, null, at);
        }
    }

    private void ResetStreaks()
    {
        ConsecutiveSoftBounces = 0;
        ConsecutiveHardBounces = 0;
        ConsecutiveBounces = 0;
    }

    private void ChangeStatus(ContactStatus status, ContactErrorCause? cause, DateTimeOffset at)
    {
        Status = status;
        ErrorCause = cause;
        StatusChangedAt = at;
    }
}
