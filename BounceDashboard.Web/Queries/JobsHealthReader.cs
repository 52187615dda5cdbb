using System.Globalization;
using System.Text.Json;
using BounceDashboard.Web.Jobs;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;

namespace BounceDashboard.Web.Queries;

/// <summary>How a job's latest run ended, as far as Hangfire's storage remembers.</summary>
public enum JobRunState
{
    /// <summary>No run recorded yet (new job, or the storage forgot: in-memory storage after a restart).</summary>
    NotRunYet = 0,
    Succeeded = 1,
    Failed = 2,
    /// <summary>Enqueued, scheduled or processing right now.</summary>
    Running = 3,
}

/// <summary>One background job as the health page shows it: a recurring job, or the on-demand campaign send.</summary>
/// <param name="Id">The recurring-job id (<see cref="JobIds"/>), or <see cref="JobsHealthReader.SendCampaignId"/>.</param>
/// <param name="Cron">The schedule (UTC); null for the on-demand send.</param>
/// <param name="Processed">What the last successful run handled: attempts made, messages read, raw contents purged.</param>
/// <param name="LastResult">That run's result in words, e.g. "12 accepted, 1 refused".</param>
public sealed record JobHealth(
    string Id,
    string? Cron,
    JobRunState State,
    DateTimeOffset? LastRunAt,
    DateTimeOffset? NextRunAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastErrorAt,
    string? LastError,
    long? Processed,
    string? LastResult);

/// <summary>One Hangfire queue and the jobs waiting in it.</summary>
public sealed record JobQueueHealth(string Name, long Length, long? Fetched);

/// <summary>Hangfire's storage: its servers (web and worker instances alike), job counts, queues and jobs.</summary>
public sealed record JobsHealth(
    long Servers,
    long Enqueued,
    long Scheduled,
    long Processing,
    long Failed,
    long Succeeded,
    IReadOnlyList<JobQueueHealth> Queues,
    IReadOnlyList<JobHealth> Jobs);

/// <summary>
/// Reads the job side of health from Hangfire's storage through its monitoring API and the recurring-job records: the
/// same storage every instance shares (SQL Server), or this process's own (in-memory, with SQLite).
/// </summary>
public static class JobsHealthReader
{
    /// <summary>The row for <see cref="SendCampaignJob"/>, which is enqueued per campaign, not recurring.</summary>
    public const string SendCampaignId = "send-campaign";

    /// <summary>How far back the succeeded and failed lists are read to find each job's latest success and error.</summary>
    public const int HistoryDepth = 200;

    public static JobsHealth Read(JobStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var monitoring = storage.GetMonitoringApi();
        var statistics = monitoring.GetStatistics();
        var queues = monitoring.Queues().Select(q => new JobQueueHealth(q.Name, q.Length, q.Fetched)).ToList();

        // Newest first in both lists: the first match per job is its latest.
        var succeeded = monitoring.SucceededJobs(0, HistoryDepth)
            .Where(s => s.Value?.Job is not null)
            .Select(s => (Key: KeyOf(s.Value.Job), s.Value))
            .ToList();
        var failed = monitoring.FailedJobs(0, HistoryDepth)
            .Where(f => f.Value?.Job is not null)
            .Select(f => (Key: KeyOf(f.Value.Job), f.Value))
            .ToList();

        List<RecurringJobDto> recurring;
        using (var connection = storage.GetConnection())
        {
            recurring = connection.GetRecurringJobs();
        }

        var jobs = new List<JobHealth>();
        foreach (var job in recurring.OrderBy(r => Order(r.Id)).ThenBy(r => r.Id, StringComparer.Ordinal))
        {
            var key = job.Job is null ? null : KeyOf(job.Job);
            var success = key is null ? null : succeeded.FirstOrDefault(s => s.Key == key).Value;
            var failure = key is null ? null : failed.FirstOrDefault(f => f.Key == key).Value;
            var (processed, result) = Summarise(success?.Result);
            var error = job.Error ?? job.LoadException?.Message;
            var lastErrorAt = Utc(failure?.FailedAt);
            var lastError = failure is null ? error : ErrorOf(failure);
            jobs.Add(new JobHealth(
                job.Id,
                job.Cron,
                StateOf(job.LastJobState),
                Utc(job.LastExecution),
                Utc(job.NextExecution),
                Utc(success?.SucceededAt),
                lastErrorAt,
                lastError,
                processed,
                result));
        }

        jobs.Add(SendCampaign(succeeded, failed));
        return new JobsHealth(
            statistics.Servers,
            statistics.Enqueued,
            statistics.Scheduled,
            statistics.Processing,
            statistics.Failed,
            statistics.Succeeded,
            queues,
            jobs);
    }

    private static JobHealth SendCampaign(
        List<(string Key, Hangfire.Storage.Monitoring.SucceededJobDto Value)> succeeded,
        List<(string Key, Hangfire.Storage.Monitoring.FailedJobDto Value)> failed)
    {
        var type = typeof(SendCampaignJob).FullName;
        var success = succeeded.FirstOrDefault(s => s.Value.Job.Type.FullName == type).Value;
        var failure = failed.FirstOrDefault(f => f.Value.Job.Type.FullName == type).Value;
        var successAt = Utc(success?.SucceededAt);
        var failureAt = Utc(failure?.FailedAt);
        var state = (successAt, failureAt) switch
        {
            (null, null) => JobRunState.NotRunYet,
            (not null, null) => JobRunState.Succeeded,
            (null, not null) => JobRunState.Failed,
            var (s, f) => s >= f ? JobRunState.Succeeded : JobRunState.Failed,
        };
        var (processed, result) = Summarise(success?.Result);
        return new JobHealth(
            SendCampaignId,
            null,
            state,
            state == JobRunState.Succeeded ? successAt : failureAt,
            null,
            successAt,
            failureAt,
            failure is null ? null : ErrorOf(failure),
            processed,
            result);
    }

    /// <summary>The dispatch job first, then the polls, the purge; other ids (left by an older build) last.</summary>
    private static int Order(string id) =>
        id == JobIds.DispatchDeliveries ? 0
        : id.StartsWith(JobIds.PollMailbox(string.Empty), StringComparison.Ordinal) ? 1
        : id == JobIds.PurgeRawContent ? 2
        : 3;

    /// <summary>Type, method and the string arguments (a mailbox name): what tells two recurring jobs apart.</summary>
    private static string KeyOf(Job job) =>
        $"{job.Type.FullName}.{job.Method.Name}({string.Join(",", job.Args.OfType<string>())})";

    private static JobRunState StateOf(string? state) => state switch
    {
        null or "" => JobRunState.NotRunYet,
        "Succeeded" => JobRunState.Succeeded,
        "Failed" => JobRunState.Failed,
        "Deleted" => JobRunState.Failed,
        _ => JobRunState.Running,
    };

    /// <summary>The exception's short type name and message, as the poll job records its own failures.</summary>
    private static string ErrorOf(Hangfire.Storage.Monitoring.FailedJobDto failure)
    {
        var type = failure.ExceptionType ?? "Error";
        return $"{type[(type.LastIndexOf('.') + 1)..]}: {failure.ExceptionMessage}";
    }

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    /// <summary>The job's return value (stored as JSON by Hangfire) in a number and in words.</summary>
    internal static (long? Processed, string? Text) Summarise(object? result)
    {
        if (result is not string json || string.IsNullOrWhiteSpace(json))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Number && root.TryGetInt64(out var count))
            {
                return (count, $"{count.ToString("N0", CultureInfo.CurrentCulture)} purged");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            if (Number(root, "Accepted") is { } accepted)
            {
                var refused = Number(root, "Refused") ?? 0;
                var notSent = Number(root, "NotSent") ?? 0;
                return (accepted + refused, $"{Format(accepted)} accepted, {Format(refused)} refused, {Format(notSent)} not sent");
            }

            if (Number(root, "Read") is { } read)
            {
                var stored = Number(root, "Stored") ?? 0;
                return (read, $"{Format(read)} read, {Format(stored)} stored");
            }
        }
        catch (JsonException)
        {
            // A result from an older build in another shape: shown as nothing rather than guessed.
        }

        return (null, null);
    }

    private static string Format(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    private static long? Number(JsonElement root, string name)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.TryGetInt64(out var value))
            {
                return value;
            }
        }

        return null;
    }
}
