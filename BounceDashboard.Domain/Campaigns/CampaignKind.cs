namespace BounceDashboard.Domain.Campaigns;

/// <summary>What sort of campaign it is. Stored as a string.</summary>
public enum CampaignKind
{
    /// <summary>A one-off send to an audience.</summary>
    Regular = 0,
    /// <summary>Sent by a trigger (welcome series, reminders).</summary>
    Automated = 1,
    /// <summary>A test send to a few internal addresses.</summary>
    Test = 2,
}

/// <summary>Where a campaign is in its life. Stored as a string.</summary>
public enum CampaignState
{
    Draft = 0,
    Scheduled = 1,
    InProgress = 2,
    Sent = 3,
    /// <summary>Sending stopped by hand or by the hard-bounce guard; resumes to InProgress.</summary>
    Paused = 4,
}
