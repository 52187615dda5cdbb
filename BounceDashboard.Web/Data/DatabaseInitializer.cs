using BounceDashboard.Web.Data.Reports;
using BounceDashboard.Web.Data.Seeding;
using BounceDashboard.Web.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Data;

/// <summary>
/// Brings the database up to date at start-up: applies the provider's migrations (never EnsureCreated), then fills an
/// empty database with the small demo data set when <see cref="DatabaseOptions.SeedDemoData"/> is on.
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<BounceDbContext> dbFactory,
    DemoDataGenerator demoData,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await MigrateAsync(cancellationToken);
        var settings = options.Value;
        if (!settings.SeedDemoData)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await DemoDataGenerator.HasDataAsync(db, cancellationToken))
        {
            return;
        }

        logger.LogInformation("Empty database: adding demo data ({Contacts} contacts, {Campaigns} campaigns)", settings.DemoContacts, settings.DemoCampaigns);
        await demoData.GenerateAsync(db, new DemoDataSize(settings.DemoContacts, settings.DemoCampaigns), cancellationToken);
    }

    /// <summary>
    /// Applies the migrations only. When none is pending (every start but the first after an upgrade) MigrateAsync is not
    /// called at all: it builds and compares the whole model each time, which cost a command-line run such as
    /// <c>ingest</c> or <c>send</c> more than a second of CPU before it did any work.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets pages read while a job writes; the setting is stored in the database file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        // Events stored before the bounce report's patterns existed get them once (a no-op lookup on later starts).
        if (await BouncePatternBackfill.RunAsync(db, cancellationToken) is > 0 and var filled)
        {
            logger.LogInformation("Filled the report pattern of {Events} older bounce events and rebuilt the report's cells", filled);
        }

        logger.LogInformation("Database {Provider} is migrated", db.Database.ProviderName);
    }
}
