namespace BounceDashboard.Domain.Campaigns;

/// <summary>
/// One audience a campaign goes to; the pair (campaign, audience) is the key. Created and removed only through
/// <see cref="Campaign.ChangeAudiences"/> (and <see cref="Campaign.Create"/>), which refuse duplicates.
/// </summary>
public sealed class CampaignAudience
{
    private CampaignAudience()
    {
    }

    internal CampaignAudience(long campaignId, long audienceId)
    {
        CampaignId = campaignId;
        AudienceId = audienceId;
    }

    /// <summary>The campaign; 0 until a new campaign is saved (the database fills it in).</summary>
    public long CampaignId { get; private set; }

    public long AudienceId { get; private set; }
}
