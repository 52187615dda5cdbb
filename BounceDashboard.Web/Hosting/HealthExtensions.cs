using System.Net.Mime;
using System.Text.Json;
using System.Text.Json.Serialization;
using BounceDashboard.Domain.Security;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BounceDashboard.Web.Hosting;

public static class HealthExtensions
{
    public const string HealthPath = "/health";

    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// The checks behind <see cref="HealthPath"/>: the database answers and its migrations are applied (else Unhealthy);
    /// no mailbox's last poll failed (else Degraded, which still answers 200).
    /// </summary>
    public static void AddBounceDashboardHealthChecks(this IHostApplicationBuilder builder) =>
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, timeout: TimeSpan.FromSeconds(10))
            .AddCheck<MailboxHealthCheck>("mailboxes", HealthStatus.Degraded, timeout: TimeSpan.FromSeconds(10));

    /// <summary>
    /// <see cref="HealthPath"/> without sign-in: 200 or 503 and the bare status as text for anyone (a load balancer, a
    /// monitor); for a signed-in Admin only, JSON with each check's status and description and the health page's details
    /// (poller, jobs, queues, database provider and size, versions). Nothing in either is a secret.
    /// </summary>
    public static void MapBounceDashboardHealthChecks(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();

    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (!context.User.IsInRole(Roles.Admin))
        {
            context.Response.ContentType = MediaTypeNames.Text.Plain;
            await context.Response.WriteAsync(report.Status.ToString());
            return;
        }

        HealthSnapshot? details = null;
        string? detailsError = null;
        if (report.Entries.TryGetValue("database", out var database) && database.Status == HealthStatus.Healthy)
        {
            try
            {
                details = await context.RequestServices.GetRequiredService<IHealthQueries>().GetAsync(context.RequestAborted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HealthExtensions))
                    .LogWarning(ex, "Reading the health details failed");
                detailsError = $"The details could not be read: {ex.Message}";
            }
        }
        else
        {
            detailsError = "No details while the database check fails.";
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
            details,
            detailsError,
        };
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, DetailsJson));
    }
}
