using System.Runtime.CompilerServices;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Web.Data.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BounceDashboard.Web.Data.Reports;

/// <summary>
/// Keeps <see cref="BounceReportCell"/>s in step with bounce events. Before a save it notes, for every added, changed or
/// deleted event, the cell it leaves and the cell it enters (campaign, sending domain and IP, normalised reply, hard,
/// reason, day, and whether it counts at all); after the save, once new events have ids, it adds to and takes from those
/// cells with one atomic upsert each, in the caller's transaction (every command runs in one, see DbCommandRunner), so
/// the events and the cells commit or roll back together. A save outside a transaction gets its own for the cells.
/// </summary>
/// <remarks>Registered after <see cref="BounceEventOriginInterceptor"/>, which fills the campaign, domain and IP first.</remarks>
public sealed class BounceReportCellsInterceptor : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<Change>> _pending = new();

    public static BounceReportCellsInterceptor Instance { get; } = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData,
        InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        ApplyAsync(eventData.Context, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        await ApplyAsync(eventData.Context, cancellationToken);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context)
        {
            _pending.Remove(context);
        }
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        _pending.Remove(context);
        var changes = new List<Change>();
        foreach (var entry in context.ChangeTracker.Entries<BounceEvent>())
        {
            var before = entry.State is EntityState.Modified or EntityState.Deleted ? KeyOf(entry, original: true) : null;
            var after = entry.State is EntityState.Added or EntityState.Modified ? KeyOf(entry, original: false) : null;
            if (before == after)
            {
                continue;
            }

            if (before is not null)
            {
                changes.Add(new Change(before, -1, entry.Entity));
            }

            if (after is not null)
            {
                changes.Add(new Change(after, 1, entry.Entity));
            }
        }

        if (changes.Count > 0)
        {
            _pending.Add(context, changes);
        }
    }

    private async Task ApplyAsync(DbContext? context, CancellationToken cancellationToken)
    {
        if (context is not BounceDbContext db || !_pending.TryGetValue(context, out var changes))
        {
            return;
        }

        _pending.Remove(context);
        var cells = changes
            .GroupBy(c => c.Key)
            .Select(g => (Key: g.Key, Amount: g.Sum(c => c.Amount), Example: g.Where(c => c.Amount > 0).Select(c => c.Event.Id).DefaultIfEmpty(0).Max()))
            .Where(c => c.Amount != 0)
            .ToList();
        if (cells.Count == 0)
        {
            return;
        }

        if (db.Database.CurrentTransaction is not null)
        {
            await AddAllAsync(db, cells, cancellationToken);
            return;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(
            async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await AddAllAsync(db, cells, ct);
                await transaction.CommitAsync(ct);
            },
            cancellationToken);
    }

    private static async Task AddAllAsync(BounceDbContext db, List<(BounceReportCellKey Key, int Amount, long Example)> cells, CancellationToken cancellationToken)
    {
        foreach (var (key, amount, example) in cells)
        {
            await BounceReportCellSql.AddAsync(db, key, amount, example, cancellationToken);
        }
    }

    /// <summary>The cell an event is counted in (before or after the save), or null when it does not count.</summary>
    private static BounceReportCellKey? KeyOf(EntityEntry<BounceEvent> entry, bool original)
    {
        T Value<T>(string property) =>
            (T)(original ? entry.Property(property).OriginalValue : entry.Property(property).CurrentValue)!;

        if (!BounceReportCellSql.Counts(Value<MessageKind>(nameof(BounceEvent.Kind))))
        {
            return null;
        }

        return new BounceReportCellKey(
            BounceReportCell.DayOf(Value<DateTimeOffset>(nameof(BounceEvent.ReceivedAt))),
            Value<long?>(BounceEventColumns.CampaignId) ?? 0,
            Value<string?>(BounceEventColumns.SendingDomain) ?? BounceReportCell.None,
            Value<string?>(BounceEventColumns.SendingIp) ?? BounceReportCell.None,
            Value<long>(nameof(BounceEvent.PatternHash)),
            Value<bool>(nameof(BounceEvent.Hard)),
            Value<BounceReason>(nameof(BounceEvent.Reason)));
    }

    private sealed record Change(BounceReportCellKey Key, int Amount, BounceEvent Event);
}
