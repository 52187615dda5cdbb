using BounceDashboard.Web.Options;
using Hangfire;

namespace BounceDashboard.Web.Jobs;

/// <summary>Registers every recurring job under its <see cref="JobIds"/> id; called once at start-up.</summary>
public static class RecurringJobs
{
    /// <summary>Daily at 03:17 UTC, away from the top of the hour when other schedules crowd in.</summary>
    public const string PurgeRawContentCron = "17 3 * * *";

    /// <summary>The fixed jobs, and one poll per configured mailbox on its interval (UTC).</summary>
    public static void Register(IRecurringJobManager jobs, IEnumerable<MailboxOptions>? mailboxes = null)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.AddOrUpdate<PurgeRawContentJob>(
            JobIds.PurgeRawContent,
            job => job.RunAsync(CancellationToken.None),
            PurgeRawContentCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

        jobs.AddOrUpdate<DispatchDeliveriesJob>(
            JobIds.DispatchDeliveries,
            job => job.RunAsync(CancellationToken.None),
            DispatchDeliveriesJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

        foreach (var mailbox in mailboxes ?? [])
        {
            var name = mailbox.Name;
            jobs.AddOrUpdate<PollMailboxJob>(
                JobIds.PollMailbox(name),
                job => job.RunAsync(name, CancellationToken.None),
                mailbox.Cron(),
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
    }
}
