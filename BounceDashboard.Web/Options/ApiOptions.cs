using System.ComponentModel.DataAnnotations;

namespace BounceDashboard.Web.Options;

/// <summary>The HTTP API's limits (section "Api", validated at start-up).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>The largest raw message <c>POST /api/v1/bounces/raw</c> accepts; a larger one answers 413.</summary>
    [Range(1024, 100L * 1024 * 1024)]
    public long MaxRawMessageBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Requests one key may make per <see cref="RateLimitWindow"/>; more answer 429 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int RateLimitPermits { get; set; } = 600;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}
