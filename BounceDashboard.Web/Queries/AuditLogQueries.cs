using System.Runtime.CompilerServices;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>One audit log entry as the page and the CSV export show it.</summary>
public sealed record AuditLogRow(
    long Id,
    DateTimeOffset At,
    string Actor,
    AuditAction Action,
    string Target,
    string? Reason,
    string? Details);

/// <summary>
/// The audit log's filters: an exact actor, an action, the start of the target, and a period (<paramref name="From"/>
/// included, <paramref name="To"/> excluded). Every part is optional.
/// </summary>
public sealed record AuditLogFilter(
    string? Actor = null,
    AuditAction? Action = null,
    string? TargetPrefix = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null)
{
    public static AuditLogFilter None { get; } = new();

    /// <summary>True when any filter narrows the log (the empty state then says to clear them).</summary>
    public bool IsNarrowed =>
        !string.IsNullOrWhiteSpace(Actor) || Action is not null || !string.IsNullOrWhiteSpace(TargetPrefix) || From is not null || To is not null;
}

public interface IAuditLogQueries
{
    /// <summary>A page of the log, newest first, and how many entries match the filter.</summary>
    Task<PagedResult<AuditLogRow>> PageAsync(AuditLogFilter filter, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Everyone who ever acted, alphabetically (the actor filter's choices), at most <see cref="AuditLogQueries.MaxActors"/>.</summary>
    Task<IReadOnlyList<string>> ActorsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every matching entry, newest first, streamed from the database (the CSV export).</summary>
    IAsyncEnumerable<AuditLogRow> StreamAsync(AuditLogFilter filter, CancellationToken cancellationToken = default);
}

/// <summary>
/// The audit log's read side. Each filter has an index that answers it in the log's order (newest first):
/// <c>IX_AuditLogEntries_Actor_At</c>, <c>IX_AuditLogEntries_Action_At</c>, <c>IX_AuditLogEntries_At</c> for the period,
/// and <c>IX_AuditLogEntries_Target</c> for the target prefix, which is a range (prefix &lt;= Target &lt; next).
/// </summary>
public sealed class AuditLogQueries(IDbContextFactory<BounceDbContext> dbFactory) : IAuditLogQueries
{
    public const int MaxActors = 500;

    public async Task<PagedResult<AuditLogRow>> PageAsync(AuditLogFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = Filtered(db, filter);
        var total = await entries.CountAsync(cancellationToken);
        if (total == 0 || page.Skip >= total)
        {
            return new PagedResult<AuditLogRow>([], total);
        }

        var items = await Project(Newest(entries).Skip(page.Skip).Take(page.Take)).ToListAsync(cancellationToken);
        return new PagedResult<AuditLogRow>(items, total);
    }

    public async Task<IReadOnlyList<string>> ActorsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AuditLogEntries.AsNoTracking()
            .Select(a => a.Actor)
            .Distinct()
            .OrderBy(a => a)
            .Take(MaxActors)
            .ToListAsync(cancellationToken);
    }

    public async IAsyncEnumerable<AuditLogRow> StreamAsync(
        AuditLogFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await foreach (var row in Project(Newest(Filtered(db, filter))).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }

    private static IQueryable<AuditLogEntry> Filtered(BounceDbContext db, AuditLogFilter filter)
    {
        var entries = db.AuditLogEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim();
            entries = entries.Where(a => a.Actor == actor);
        }

        if (filter.Action is { } action)
        {
            entries = entries.Where(a => a.Action == action);
        }

        if (filter.From is { } from)
        {
            entries = entries.Where(a => a.At >= from);
        }

        if (filter.To is { } to)
        {
            entries = entries.Where(a => a.At < to);
        }

        if (!string.IsNullOrWhiteSpace(filter.TargetPrefix))
        {
            // Addresses are stored in lower case; other targets ("BounceEvent 42") as written. A prefix typed with capitals
            // matches either way, each as an index range.
            var prefix = filter.TargetPrefix.Trim();
            var upper = DeliveryQueries.NextPrefix(prefix);
            var lower = prefix.ToLowerInvariant();
#pragma warning disable CA1309 // Translated to SQL's own (binary) comparison; EF has no translation for the overload with a StringComparison.
            if (lower == prefix)
            {
                entries = entries.Where(a => string.Compare(a.Target, prefix) >= 0 && string.Compare(a.Target, upper) < 0);
            }
            else
            {
                var lowerUpper = DeliveryQueries.NextPrefix(lower);
                entries = entries.Where(a =>
                    (string.Compare(a.Target, prefix) >= 0 && string.Compare(a.Target, upper) < 0)
                    || (string.Compare(a.Target, lower) >= 0 && string.Compare(a.Target, lowerUpper) < 0));
            }
#pragma warning restore CA1309
        }

        return entries;
    }

    private static IQueryable<AuditLogEntry> Newest(IQueryable<AuditLogEntry> entries) =>
        entries.OrderByDescending(a => a.At).ThenByDescending(a => a.Id);

    private static IQueryable<AuditLogRow> Project(IQueryable<AuditLogEntry> entries) =>
        entries.Select(a => new AuditLogRow(a.Id, a.At, a.Actor, a.Action, a.Target, a.Reason, a.Details));
}
