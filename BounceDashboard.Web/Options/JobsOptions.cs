using System.ComponentModel.DataAnnotations;

namespace BounceDashboard.Web.Options;

/// <summary>Hangfire server and dashboard settings. Storage follows <c>Database:Provider</c>.</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Hangfire";

    /// <summary>Where the job dashboard is served; only signed-in Admins may open it.</summary>
    [Required]
    [RegularExpression("^/[A-Za-z0-9/_-]+$", ErrorMessage = "DashboardPath must be a local path such as /hangfire.")]
    public string DashboardPath { get; set; } = "/hangfire";

    /// <summary>Number of Hangfire worker threads in this process.</summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;
}
