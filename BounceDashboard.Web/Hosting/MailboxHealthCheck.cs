using BounceDashboard.Web.Queries;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BounceDashboard.Web.Hosting;

/// <summary>
/// Degraded (still 200 for a load balancer: pages and sending work) while a configured mailbox's last poll failed, so
/// bounces are not being read; the admin's details name the mailbox. Healthy with no mailbox configured.
/// </summary>
public sealed class MailboxHealthCheck(IMailboxHealthQueries mailboxes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var all = await mailboxes.ListAsync(cancellationToken);
        var failing = all.Where(m => m.State == MailboxHealthState.Failing).Select(m => m.Name).ToList();
        if (failing.Count > 0)
        {
            return HealthCheckResult.Degraded($"The last poll failed for {string.Join(", ", failing)}: bounces there are not being read.");
        }

        return HealthCheckResult.Healthy(all.Count == 0
            ? "No bounce mailbox is configured."
            : $"{all.Count} mailbox(es); no poll is failing.");
    }
}
