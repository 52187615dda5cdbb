namespace BounceDashboard.Domain.Bounces;

/// <summary>How a failed delivery counts against a contact. Stored as a string.</summary>
public enum BounceKind
{
    /// <summary>A transient failure (class 4) that survived every retry.</summary>
    Soft = 1,
    /// <summary>A permanent failure (class 5), or a transient bad-address failure at the last attempt.</summary>
    Hard = 2,
}
