using Hangfire;

namespace BounceDashboard.Web.Jobs;

/// <summary>Registers every recurring job under its <see cref="JobIds"/> id; called once at start-up.</summary>
public static class RecurringJobs
{
    /// <summary>Daily at 03:17 UTC, away from the top of the hour when other schedules crowd in.</summary>
    public const string PurgeRawContentCron = "17 3 * * *";

    public static void Register(IRecurringJobManager jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.AddOrUpdate<PurgeRawContentJob>(
            JobIds.PurgeRawContent,
            job => job.RunAsync(CancellationToken.None),
            PurgeRawContentCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }
}
