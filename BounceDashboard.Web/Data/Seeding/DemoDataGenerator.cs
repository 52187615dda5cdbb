using System.Diagnostics;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Web.Data.Reports;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>How much demo data to make. The same values give the same database.</summary>
public sealed record DemoDataSize(int Contacts, int Campaigns, int Months = 12, int Seed = 1)
{
    /// <summary>The internal team that receives test campaigns comes first among the contacts.</summary>
    public const int MinimumContacts = DemoSimulation.TeamSize + 1;

    public const int MaximumContacts = 50_000_000;

    public const int MaximumCampaigns = 100_000;

    public const int MaximumMonths = 120;

    /// <summary>Null when the size is usable, else what is wrong with it.</summary>
    public string? Problem() => this switch
    {
        { Contacts: < MinimumContacts or > MaximumContacts } => $"contacts must be {MinimumContacts}..{MaximumContacts}",
        { Campaigns: < 1 or > MaximumCampaigns } => $"campaigns must be 1..{MaximumCampaigns}",
        { Months: < 1 or > MaximumMonths } => $"months must be 1..{MaximumMonths}",
        _ => null,
    };
}

/// <summary>Rows written per table, and how long it took.</summary>
public sealed record DemoDataSummary(IReadOnlyDictionary<string, long> RowsByTable, TimeSpan Elapsed)
{
    public long RowsIn(string table) => RowsByTable.GetValueOrDefault(table);
}

/// <summary>
/// Fills an empty database with realistic demo data: contacts on many mailbox providers, audiences, campaigns over
/// months, deliveries with their attempts, bounces, opens, clicks, complaints, suppressions and admin actions.
/// Every state change goes through the domain's own rules (<see cref="BounceRules"/>, <see cref="Reactivation"/>) on
/// a simulated clock, so the data obeys the product's policy; rows are written in bulk (SQLite: prepared multi-row
/// inserts in large transactions; SQL Server: SqlBulkCopy), never one SaveChanges per row.
/// </summary>
public sealed class DemoDataGenerator(IOptions<RulesOptions> rulesOptions, TimeProvider timeProvider, ILogger<DemoDataGenerator> logger)
{
    /// <summary>True when the database already holds contacts or campaigns (the generator refuses to mix data).</summary>
    public static async Task<bool> HasDataAsync(BounceDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Contacts.AnyAsync(cancellationToken) || await db.Campaigns.AnyAsync(cancellationToken);
    }

    public async Task<DemoDataSummary> GenerateAsync(BounceDbContext db, DemoDataSize size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(size);
        if (size.Problem() is { } problem)
        {
            throw new ArgumentException($"Demo data size: {problem}.", nameof(size));
        }

        if (await HasDataAsync(db, cancellationToken))
        {
            throw new InvalidOperationException("The database already holds contacts or campaigns; demo data is generated into an empty database only.");
        }

        var stopwatch = Stopwatch.StartNew();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var inserter = await OpenInserterAsync(db, cancellationToken);
            var writer = new BulkWriter(inserter, cancellationToken);
            var simulation = new DemoSimulation(size, timeProvider.GetUtcNow(), rulesOptions.Value, new DemoTables(db.Model), writer, logger);
            await simulation.RunAsync(cancellationToken);
            await writer.CompleteAsync(cancellationToken);
            await inserter.CompleteAsync(cancellationToken);
            // The bulk path bypasses SaveChanges and its interceptor: the report's cells are built from the events in one statement.
            await BounceReportCellSql.RebuildAsync(db, cancellationToken);

            // A few stored messages with real raw bytes for the review queue, through the change tracker (a handful of rows).
            var (messages, events) = await DemoReviewMessages.AddAsync(db, timeProvider.GetUtcNow(), cancellationToken);
            var rows = writer.Counts.ToDictionary(c => c.Key.Name, c => c.Value, StringComparer.Ordinal);
            rows["InboundMessages"] = messages;
            rows["BounceEvents"] = rows.GetValueOrDefault("BounceEvents") + events;
            logger.LogInformation("Demo data generated in {Elapsed}: {Rows}", stopwatch.Elapsed, string.Join(", ", rows.Select(r => $"{r.Key} {r.Value}")));
            return new DemoDataSummary(rows, stopwatch.Elapsed);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Deletes every contact, list, campaign, delivery, event, inbound message, mailbox watermark, suppression and audit
    /// entry (Identity's users stay). Inbound messages go too: kept, a later <c>reclassify</c> would match their old
    /// tokens and Message-IDs to the new data's deliveries, whose ids start again at 1.
    /// </summary>
    public static async Task DeleteAllAsync(BounceDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.SuppressionEntries.ExecuteDeleteAsync(cancellationToken);
        await db.TrackingEvents.ExecuteDeleteAsync(cancellationToken);
        await db.BounceReportCells.ExecuteDeleteAsync(cancellationToken);
        await db.BounceEvents.ExecuteDeleteAsync(cancellationToken);
        await db.InboundMessages.ExecuteDeleteAsync(cancellationToken);
        await db.MailboxWatermarks.ExecuteDeleteAsync(cancellationToken);
        await db.DeliveryAttempts.ExecuteDeleteAsync(cancellationToken);
        await db.Deliveries.ExecuteDeleteAsync(cancellationToken);
        await db.AudienceMembers.ExecuteDeleteAsync(cancellationToken);
        await db.CampaignAudiences.ExecuteDeleteAsync(cancellationToken);
        await db.Campaigns.ExecuteDeleteAsync(cancellationToken);
        await db.Audiences.ExecuteDeleteAsync(cancellationToken);
        await db.Contacts.ExecuteDeleteAsync(cancellationToken);
        await db.AuditLogEntries.ExecuteDeleteAsync(cancellationToken);
    }

    private static async Task<IBulkInserter> OpenInserterAsync(BounceDbContext db, CancellationToken cancellationToken) =>
        db.Database.GetDbConnection() switch
        {
            SqliteConnection sqlite => await SqliteBulkInserter.OpenAsync(sqlite, cancellationToken),
            SqlConnection sqlServer => new SqlServerBulkInserter(sqlServer),
            var other => throw new NotSupportedException($"No bulk writer for {other.GetType().Name}."),
        };
}
