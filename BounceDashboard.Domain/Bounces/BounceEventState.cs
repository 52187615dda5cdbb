namespace BounceDashboard.Domain.Bounces;

/// <summary>Where a <see cref="BounceEvent"/> stands. Stored as a string.</summary>
public enum BounceEventState
{
    /// <summary>Matched to a delivery and not applied yet: the rules apply it in the transaction that stores or matches it.</summary>
    Pending = 0,
    /// <summary>Not matched to any delivery: it waits in the review queue and changes nothing until matched.</summary>
    AwaitingMatch = 1,
    /// <summary>The rules applied it (once); <see cref="BounceEvent.Effect"/> says what they did.</summary>
    Applied = 2,
    /// <summary>An admin decided the unmatched event needs nothing; it is never applied.</summary>
    Dismissed = 3,
}
