using BounceDashboard.Domain.Bounces;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Data.Reports;

/// <summary>
/// Fills <see cref="BounceEvent.Pattern"/> and <see cref="BounceEvent.PatternHash"/> on events stored before those columns
/// existed (the migration adds them empty: the normaliser is C#, not SQL), then builds the report's cells from them.
/// </summary>
/// <remarks>
/// Runs at start-up right after the migrations (<see cref="DatabaseInitializer.MigrateAsync"/>), before the app or a
/// command writes. Events are filled newest first in batches, each batch in its own transaction, so an interrupted fill
/// resumes where it stopped; the batch that fills the oldest event also rebuilds the cells. Whether there is anything to
/// do is one primary-key lookup: new events always carry their pattern, so an empty pattern on the oldest event means an
/// unfinished fill.
/// </remarks>
public static class BouncePatternBackfill
{
    public const int BatchSize = 5000;

    /// <summary>Fills what is missing; returns how many events were filled (0 on every start but the first after the upgrade).</summary>
    public static async Task<int> RunAsync(BounceDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var oldest = await db.BounceEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => e.Pattern).FirstOrDefaultAsync(cancellationToken);
        if (oldest is null || oldest.Length > 0)
        {
            return 0;
        }

        var filled = 0;
        var strategy = db.Database.CreateExecutionStrategy();
        while (true)
        {
            var done = await strategy.ExecuteAsync(
                async ct =>
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    var batch = await db.BounceEvents.AsNoTracking()
                        .Where(e => e.Pattern == string.Empty)
                        .OrderByDescending(e => e.Id)
                        .Take(BatchSize)
                        .Select(e => new { e.Id, e.ReplyCode, e.EnhancedStatus, e.Diagnostic })
                        .ToListAsync(ct);
                    // One UPDATE per distinct pattern in the batch: far fewer statements than one per event.
                    foreach (var group in batch.GroupBy(e => DiagnosticPattern.For(e.ReplyCode, e.EnhancedStatus, e.Diagnostic), StringComparer.Ordinal))
                    {
                        var ids = group.Select(e => e.Id).ToList();
                        var pattern = group.Key;
                        var hash = DiagnosticPattern.Hash(pattern);
                        await db.BounceEvents.Where(e => ids.Contains(e.Id))
                            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Pattern, pattern).SetProperty(e => e.PatternHash, hash), ct);
                    }

                    var last = batch.Count < BatchSize;
                    if (last)
                    {
                        await BounceReportCellSql.RebuildAsync(db, ct);
                    }

                    await transaction.CommitAsync(ct);
                    filled += batch.Count;
                    return last;
                },
                cancellationToken);
            if (done)
            {
                return filled;
            }
        }
    }
}
