using System.Reflection;
using System.Runtime.InteropServices;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Options;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Queries;

/// <summary>Deliveries waiting in our own tables (what the dispatch job sends next) and the campaigns that send them.</summary>
/// <param name="Waiting">Deliveries with a next attempt: queued first attempts and retries.</param>
/// <param name="DueNow">Of those, the ones whose time has come.</param>
/// <param name="OldestDueAt">The earliest next attempt; far in the past means the dispatch job is not keeping up.</param>
/// <param name="Sending">Deliveries claimed by a sender right now (campaigns in progress or paused).</param>
public sealed record SendQueueHealth(
    long Waiting,
    long DueNow,
    DateTimeOffset? OldestDueAt,
    long Sending,
    int CampaignsInProgress,
    int CampaignsPaused,
    int CampaignsScheduled);

/// <summary>The database the app runs on.</summary>
/// <param name="SizeBytes">SQLite: page_count × page_size; SQL Server: the data and log files (sys.database_files).</param>
public sealed record DatabaseHealth(DatabaseProvider Provider, long? SizeBytes);

/// <summary>The builds running: the app, the bounce engine (stored on each message it reads), .NET and Hangfire.</summary>
public sealed record VersionInfo(string App, string Engine, string Runtime, string Hangfire);

/// <summary>Everything the admin health page and the admin's /health details show, read at <see cref="CheckedAt"/>.</summary>
/// <param name="Jobs">Null when the job storage could not be read (see <see cref="JobsError"/>).</param>
public sealed record HealthSnapshot(
    DateTimeOffset CheckedAt,
    IReadOnlyList<MailboxHealth> Mailboxes,
    JobsHealth? Jobs,
    string? JobsError,
    SendQueueHealth SendQueue,
    DatabaseHealth Database,
    VersionInfo Versions);

public interface IHealthQueries
{
    /// <summary>The poller, the jobs, the queues, the database and the versions, as of now.</summary>
    Task<HealthSnapshot> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The admin health page's read side: our tables (mailbox watermarks through <see cref="IMailboxHealthQueries"/>,
/// deliveries due by the filtered NextAttemptAt index, campaigns by state), Hangfire's storage (shared by every web and
/// worker instance) through <see cref="JobsHealthReader"/>, and the database's size by provider (<see cref="DatabaseSize"/>).
/// </summary>
public sealed class HealthQueries(
    IDbContextFactory<BounceDbContext> dbFactory,
    IMailboxHealthQueries mailboxes,
    JobStorage jobStorage,
    IOptions<DatabaseOptions> database,
    TimeProvider time,
    ILogger<HealthQueries> logger) : IHealthQueries
{
    public async Task<HealthSnapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var mailboxHealth = await mailboxes.ListAsync(cancellationToken);

        JobsHealth? jobs = null;
        string? jobsError = null;
        try
        {
            jobs = JobsHealthReader.Read(jobStorage);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // SQL Server storage unreachable, say: the rest of the page still answers.
            logger.LogWarning(ex, "Reading the job storage for the health page failed");
            jobsError = "The job storage could not be read: " + ex.Message;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sendQueue = await ReadSendQueueAsync(db, now, cancellationToken);
        var provider = database.Value.Provider;
        var size = await DatabaseSize.ReadAsync(db, provider, cancellationToken);
        return new HealthSnapshot(now, mailboxHealth, jobs, jobsError, sendQueue, new DatabaseHealth(provider, size), Versions);
    }

    public static VersionInfo Versions { get; } = new(
        typeof(HealthQueries).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(HealthQueries).Assembly.GetName().Version?.ToString() ?? "unknown",
        EngineVersion.Current,
        RuntimeInformation.FrameworkDescription,
        typeof(JobStorage).Assembly.GetName().Version?.ToString() ?? "unknown");

    private static async Task<SendQueueHealth> ReadSendQueueAsync(BounceDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Every count below reads IX_Deliveries_NextAttemptAt (filtered to NextAttemptAt IS NOT NULL: queued and waiting
        // rows only) or IX_Deliveries_CampaignId_State for the few live campaigns; never the whole table.
        var waiting = db.Deliveries.AsNoTracking().Where(d => d.NextAttemptAt != null);
        var waitingCount = await waiting.LongCountAsync(cancellationToken);
        var dueNow = await waiting.Where(d => d.NextAttemptAt <= now).LongCountAsync(cancellationToken);
        var oldest = await waiting.OrderBy(d => d.NextAttemptAt).Select(d => d.NextAttemptAt).FirstOrDefaultAsync(cancellationToken);

        var campaigns = await db.Campaigns.AsNoTracking()
            .Where(c => c.State == CampaignState.InProgress || c.State == CampaignState.Paused || c.State == CampaignState.Scheduled)
            .Select(c => new { c.Id, c.State })
            .ToListAsync(cancellationToken);
        var live = campaigns.Where(c => c.State is CampaignState.InProgress or CampaignState.Paused).Select(c => c.Id).ToList();
        var sending = live.Count == 0
            ? 0
            : await db.Deliveries.AsNoTracking()
                .Where(d => live.Contains(d.CampaignId) && d.State == DeliveryState.Sending)
                .LongCountAsync(cancellationToken);

        return new SendQueueHealth(
            waitingCount,
            dueNow,
            oldest,
            sending,
            campaigns.Count(c => c.State == CampaignState.InProgress),
            campaigns.Count(c => c.State == CampaignState.Paused),
            campaigns.Count(c => c.State == CampaignState.Scheduled));
    }
}

/// <summary>The database's size, by provider: the SQL is chosen here, once, by an exhaustive switch.</summary>
public static class DatabaseSize
{
    /// <summary>Pages in use times the page size (the file without its -wal journal).</summary>
    public const string SqliteSql = "SELECT page_count * page_size AS \"Value\" FROM pragma_page_count(), pragma_page_size()";

    /// <summary>Every data and log file of the database, in 8 KB pages (sys.database_files needs no extra permission).</summary>
    public const string SqlServerSql = "SELECT CAST(SUM(CAST(size AS bigint)) * 8192 AS bigint) AS [Value] FROM sys.database_files";

    public static string SqlFor(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => SqliteSql,
        DatabaseProvider.SqlServer => SqlServerSql,
        _ => throw new InvalidOperationException($"Unknown Database:Provider '{provider}'."),
    };

    /// <summary>The size in bytes; null when the database does not say.</summary>
    public static async Task<long?> ReadAsync(BounceDbContext db, DatabaseProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var values = await db.Database.SqlQueryRaw<long?>(SqlFor(provider)).ToListAsync(cancellationToken);
        return values.FirstOrDefault();
    }
}
