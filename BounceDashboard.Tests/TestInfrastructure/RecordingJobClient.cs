using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>An <see cref="IBackgroundJobClient"/> that records what was enqueued instead of running it (Hangfire "Writing Unit Tests").</summary>
public sealed class RecordingJobClient : IBackgroundJobClient
{
    private readonly List<Job> _jobs = [];

    public IReadOnlyList<Job> Jobs
    {
        get
        {
            lock (_jobs)
            {
                return [.. _jobs];
            }
        }
    }

    /// <summary>The job type, method and arguments of each enqueued job, as text: "SendCampaignJob.RunAsync(12)".</summary>
    public IReadOnlyList<string> Calls =>
        Jobs.Select(j => $"{j.Type.Name}.{j.Method.Name}({string.Join(", ", j.Args.Where(a => a is not CancellationToken))})").ToList();

    public string Create(Job job, IState state)
    {
        lock (_jobs)
        {
            _jobs.Add(job);
            return _jobs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}
