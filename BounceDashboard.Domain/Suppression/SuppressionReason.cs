namespace BounceDashboard.Domain.Suppression;

/// <summary>Why an address is on the suppression list. Stored as a string.</summary>
public enum SuppressionReason
{
    /// <summary>A permanent failure naming a bad address (or a transient one at the last attempt).</summary>
    HardBounce = 1,
    /// <summary>A spam complaint (feedback report). Lifting it needs an explicit confirmation.</summary>
    Complaint = 2,
    /// <summary>The recipient unsubscribed.</summary>
    Unsubscribe = 3,
    /// <summary>Hard bounces in consecutive campaigns made the contact a Confirmed Bounce.</summary>
    ConfirmedBounce = 4,
    /// <summary>Bounces of any kind in consecutive campaigns without activity (the optional automatic unsubscribe).</summary>
    AutoUnsubscribe = 5,
    /// <summary>Added by hand by an admin.</summary>
    Manual = 6,
    /// <summary>Imported from another system's list.</summary>
    Imported = 7,
}

/// <summary>Who put an address on the list. Stored as a string.</summary>
public enum SuppressionSource
{
    /// <summary>The rules engine, from a bounce, a complaint or the automatic limit.</summary>
    Rules = 1,
    /// <summary>An admin, in the dashboard.</summary>
    Admin = 2,
    /// <summary>A bulk import.</summary>
    Import = 3,
    /// <summary>The API.</summary>
    Api = 4,
}
