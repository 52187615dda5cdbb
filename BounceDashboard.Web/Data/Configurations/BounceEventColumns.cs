namespace BounceDashboard.Web.Data.Configurations;

/// <summary>
/// Columns of BounceEvents that the domain entity does not carry: copied from the matched delivery and its campaign
/// so that reports group bounces by campaign, sending domain and sending IP from one indexed table. Read them in
/// queries with <c>EF.Property&lt;string?&gt;(e, BounceEventColumns.SendingDomain)</c>; they are written by
/// <see cref="BounceEventOriginInterceptor"/> on save, so nobody sets them by hand.
/// </summary>
public static class BounceEventColumns
{
    /// <summary>The matched delivery's campaign (long?).</summary>
    public const string CampaignId = nameof(CampaignId);

    /// <summary>The campaign's FromDomain (string?).</summary>
    public const string SendingDomain = nameof(SendingDomain);

    /// <summary>The delivery's SendingIp (string?).</summary>
    public const string SendingIp = nameof(SendingIp);
}
