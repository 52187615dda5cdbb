namespace BounceDashboard.Domain.Contacts;

/// <summary>Where a contact stands for sending. Stored as a string; values are explicit and stable.</summary>
public enum ContactStatus
{
    /// <summary>May receive mail (unless its address is on the suppression list).</summary>
    Active = 0,
    /// <summary>Mail failed in a way that stops sending; <see cref="Contact.ErrorCause"/> says why.</summary>
    Error = 1,
    /// <summary>Unsubscribed: by the contact, through a complaint, or automatically after repeated bounces.</summary>
    OptedOut = 2,
    /// <summary>Hard bounces in consecutive campaigns: excluded from the active count and every send, listed apart.</summary>
    ConfirmedBounce = 3,
}

/// <summary>Why a contact is in <see cref="ContactStatus.Error"/>. Stored as a string.</summary>
public enum ContactErrorCause
{
    /// <summary>The address itself is bad (user unknown, host unknown, has moved, not accept with a 5xx): permanent.</summary>
    BadAddress = 1,
    /// <summary>Soft bounces in the configured number of consecutive campaigns: not permanent.</summary>
    RepeatedSoftBounces = 2,
}

/// <summary>Facts about <see cref="ContactErrorCause"/>, each defined once.</summary>
public static class ContactErrorCauses
{
    /// <summary>True when the cause is permanent, so recorded activity no longer resets the contact's counters.</summary>
    public static bool IsPermanent(this ContactErrorCause cause) => cause == ContactErrorCause.BadAddress;
}
