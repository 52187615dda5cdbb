using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Sending;
using Hangfire;

namespace BounceDashboard.Web.Jobs;

/// <summary>
/// Starts one campaign (its deliveries created and queued) and sends what is due of it at once. Takes the campaign id
/// only; safe to run twice: starting creates only missing deliveries, and each delivery is claimed in the database
/// before it is sent. What this run does not finish (retries, a relay that was down) the recurring
/// <see cref="DispatchDeliveriesJob"/> picks up from our tables.
/// </summary>
public sealed class SendCampaignJob(CampaignCommands campaigns, DeliveryDispatcher dispatcher, ILogger<SendCampaignJob> logger)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task<DispatchSummary> RunAsync(long campaignId, CancellationToken cancellationToken)
    {
        var started = await campaigns.StartAsync(campaignId, cancellationToken);
        logger.LogInformation("Campaign {CampaignId} is {State}; sending what is due", campaignId, started.State);
        return await dispatcher.DispatchAsync(campaignId, cancellationToken);
    }
}
