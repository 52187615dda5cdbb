using System.Net.Mime;
using System.Text.Json;
using BounceDashboard.Domain.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BounceDashboard.Web.Hosting;

public static class HealthExtensions
{
    public const string HealthPath = "/health";

    /// <summary>The checks behind <see cref="HealthPath"/>: the database answers and its migrations are applied.</summary>
    public static void AddBounceDashboardHealthChecks(this IHostApplicationBuilder builder) =>
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, timeout: TimeSpan.FromSeconds(10));

    /// <summary>
    /// <see cref="HealthPath"/> without sign-in: 200 or 503 and the bare status as text for anyone (a load balancer, a
    /// monitor), each check's status and description as JSON for a signed-in Admin only.
    /// </summary>
    public static void MapBounceDashboardHealthChecks(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (!context.User.IsInRole(Roles.Admin))
        {
            context.Response.ContentType = MediaTypeNames.Text.Plain;
            return context.Response.WriteAsync(report.Status.ToString());
        }

        context.Response.ContentType = MediaTypeNames.Application.Json;
        var body = new
        {
            status = report.Status.ToString(),
            totalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description ?? e.Value.Exception?.Message,
                    durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
