using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BounceDashboard.Web.Hosting;

/// <summary>
/// Healthy when the database answers and every migration of this build is applied. Connection first: for a SQLite
/// file, reading the migration history of a missing file would create an empty one.
/// </summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<BounceDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Database.CanConnectAsync(cancellationToken))
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The database cannot be reached.");
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy("The database answers and every migration is applied.")
            : new HealthCheckResult(
                context.Registration.FailureStatus,
                $"{pending.Count} migration(s) not applied: {string.Join(", ", pending)}.");
    }
}
