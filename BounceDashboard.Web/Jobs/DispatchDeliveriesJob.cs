using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Sending;
using Hangfire;

namespace BounceDashboard.Web.Jobs;

/// <summary>
/// Every minute: starts Scheduled campaigns whose time has come, releases claims of workers that died, sends every due delivery of every campaign in progress (first
/// attempts left over and retries whose time has come, by <c>Delivery.NextAttemptAt</c> in our own tables), and marks
/// finished campaigns Sent. Several instances may run it at once: deliveries are claimed in the database.
/// </summary>
public sealed class DispatchDeliveriesJob(CampaignCommands campaigns, DeliveryDispatcher dispatcher)
{
    /// <summary>Every minute.</summary>
    public const string Cron = "* * * * *";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<DispatchSummary> RunAsync(CancellationToken cancellationToken)
    {
        await campaigns.StartDueAsync(cancellationToken);
        return await dispatcher.DispatchAsync(null, cancellationToken);
    }
}
