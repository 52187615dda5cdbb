using System.ComponentModel.DataAnnotations;

namespace BounceDashboard.Web.Options;

/// <summary>What an instance does with background jobs (see the README's "Scaling out").</summary>
public enum JobsRole
{
    /// <summary>Serves the pages and runs a Hangfire server: one instance does everything (the default).</summary>
    All = 0,

    /// <summary>Serves the pages and only enqueues jobs; worker instances run them (SQL Server storage only).</summary>
    Web = 1,

    /// <summary>Runs a Hangfire server for sending, retries and polling; kept out of the load balancer's page pool.</summary>
    Worker = 2,
}

/// <summary>Hangfire server and dashboard settings. Storage follows <c>Database:Provider</c>.</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Hangfire";

    /// <summary>Where the job dashboard is served; only signed-in Admins may open it.</summary>
    [Required]
    [RegularExpression("^/[A-Za-z0-9/_-]+$", ErrorMessage = "DashboardPath must be a local path such as /hangfire.")]
    public string DashboardPath { get; set; } = "/hangfire";

    /// <summary>
    /// Whether this instance runs a Hangfire server (All, Worker) or not (Web). Web and Worker need
    /// <c>Database:Provider</c> SqlServer: the SQLite setup keeps jobs in memory, per process.
    /// </summary>
    [EnumDataType(typeof(JobsRole))]
    public JobsRole Role { get; set; } = JobsRole.All;

    /// <summary>Whether this instance runs a Hangfire server.</summary>
    public bool RunsServer => Role != JobsRole.Web;

    /// <summary>Number of Hangfire worker threads in this process.</summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;
}
