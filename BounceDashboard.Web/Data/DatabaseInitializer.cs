using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Data;

/// <summary>Brings the database up to date at start-up: applies the provider's migrations (never EnsureCreated).</summary>
public sealed class DatabaseInitializer(IDbContextFactory<BounceDbContext> dbFactory, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets pages read while a job writes; the setting is stored in the database file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        logger.LogInformation("Database {Provider} is migrated", db.Database.ProviderName);
    }
}
