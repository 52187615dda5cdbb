using System.Runtime.CompilerServices;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>What the suppression list can sort by.</summary>
public enum SuppressionSortField
{
    CreatedAt = 0,
    Email = 1,
    Reason = 2,
}

/// <summary>How the search text is read.</summary>
public enum SuppressionSearchKind
{
    None = 0,
    /// <summary>The start of an address ("ann", "ann.smith@gm"): a range on the Email index.</summary>
    AddressPrefix = 1,
    /// <summary>Every address at a domain ("@example.com").</summary>
    Domain = 2,
    /// <summary>Text without "@" that looks like a domain ("example.com"): addresses at that domain or starting with it.</summary>
    PrefixOrDomain = 3,
}

/// <summary>
/// The suppression list's filter. <paramref name="Search"/>: an address prefix, or a domain (<c>@example.com</c> or
/// <c>example.com</c>). <paramref name="From"/> (inclusive) and <paramref name="To"/> (exclusive) bound when the entry was
/// created. Without <paramref name="IncludeLifted"/> only entries in force are listed.
/// </summary>
public sealed record SuppressionFilter(
    string? Search = null,
    SuppressionReason? Reason = null,
    SuppressionSource? Source = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    bool IncludeLifted = false)
{
    public static SuppressionFilter None { get; } = new();

    /// <summary>The search as addresses are stored (trimmed, lower case), or null.</summary>
    public string? NormalizedSearch => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim().ToLowerInvariant();

    public SuppressionSearchKind SearchKind => NormalizedSearch switch
    {
        null => SuppressionSearchKind.None,
        ['@', ..] => SuppressionSearchKind.Domain,
        { } text when text.Contains('@', StringComparison.Ordinal) => SuppressionSearchKind.AddressPrefix,
        { } text when text.Contains('.', StringComparison.Ordinal) => SuppressionSearchKind.PrefixOrDomain,
        _ => SuppressionSearchKind.AddressPrefix,
    };

    /// <summary>The domain searched for, without "@", when the search names one.</summary>
    public string? Domain => SearchKind switch
    {
        SuppressionSearchKind.Domain => NormalizedSearch![1..],
        SuppressionSearchKind.PrefixOrDomain => NormalizedSearch,
        _ => null,
    };

    /// <summary>True when anything narrows the list of entries in force.</summary>
    public bool IsNarrowed => NormalizedSearch is not null || Reason is not null || Source is not null || From is not null || To is not null;
}

/// <summary>The bounce event that put an address on the list: what the receiving server said and which rule decided.</summary>
public sealed record SuppressionCause(
    long BounceEventId,
    DateTimeOffset ReceivedAt,
    MessageKind Kind,
    BounceReason Reason,
    bool Hard,
    string? EnhancedStatus,
    string? Diagnostic,
    string Rule,
    string? FeedbackType,
    long? DeliveryId);

/// <summary>One entry of the suppression list, with why (its cause, or the note of whoever added it), when and by whom.</summary>
public sealed record SuppressionRow(
    long Id,
    string Email,
    SuppressionReason Reason,
    SuppressionSource Source,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string? Note,
    DateTimeOffset? LiftedAt,
    string? LiftedBy,
    string? LiftReason,
    SuppressionCause? Cause)
{
    public bool IsActive => LiftedAt is null;
}

/// <summary>How many entries in force a filter selects, and how many of them are complaints (for bulk reactivation).</summary>
public sealed record SuppressionSelection(int Active, int Complaints);

public interface ISuppressionQueries
{
    /// <summary>One page of the list, sorted in the database (ties by id), with the total the filter matches.</summary>
    Task<PagedResult<SuppressionRow>> ListAsync(
        SuppressionFilter filter,
        SuppressionSortField sortBy,
        bool descending,
        PageRequest page,
        CancellationToken cancellationToken = default);

    /// <summary>The entries in force the filter selects (what a bulk reactivation would lift).</summary>
    Task<SuppressionSelection> SelectionAsync(SuppressionFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Every entry the filter matches, newest first, streamed (the downloads).</summary>
    IAsyncEnumerable<SuppressionRow> StreamAsync(SuppressionFilter filter, CancellationToken cancellationToken = default);
}

/// <summary>
/// The suppression list. Indexes: entries in force through the filtered unique index on Email (<c>LiftedAt IS NULL</c>),
/// newest first through <c>CreatedAt</c>, an address prefix as a range on Email (<c>(Email, CreatedAt)</c>). A domain
/// search is a suffix (<c>LIKE '%@domain'</c>), which no B-tree index answers: it reads the Email index or the table
/// (about 57,000 entries on the million-contact demo). A page's causes are read by primary key (at most one page of
/// bounce events).
/// </summary>
public sealed class SuppressionQueries(IDbContextFactory<BounceDbContext> dbFactory) : ISuppressionQueries
{
    private const string LikeEscape = "\\";

    public async Task<PagedResult<SuppressionRow>> ListAsync(
        SuppressionFilter filter,
        SuppressionSortField sortBy,
        bool descending,
        PageRequest page,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = Filtered(db.SuppressionEntries.AsNoTracking(), filter);
        var total = await entries.CountAsync(cancellationToken);
        if (total == 0 || page.Skip >= total)
        {
            return new PagedResult<SuppressionRow>([], total);
        }

        var sorted = (sortBy, descending) switch
        {
            (SuppressionSortField.CreatedAt, false) => entries.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id),
            (SuppressionSortField.CreatedAt, true) => entries.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id),
            (SuppressionSortField.Email, false) => entries.OrderBy(s => s.Email).ThenBy(s => s.Id),
            (SuppressionSortField.Email, true) => entries.OrderByDescending(s => s.Email).ThenByDescending(s => s.Id),
            (SuppressionSortField.Reason, false) => entries.OrderBy(s => s.Reason).ThenByDescending(s => s.CreatedAt).ThenBy(s => s.Id),
            (SuppressionSortField.Reason, true) => entries.OrderByDescending(s => s.Reason).ThenByDescending(s => s.CreatedAt).ThenBy(s => s.Id),
            _ => throw new ArgumentOutOfRangeException(nameof(sortBy), sortBy, "Unknown suppression sort."),
        };

        var rows = await Project(db, sorted.Skip(page.Skip).Take(page.Take)).ToListAsync(cancellationToken);
        return new PagedResult<SuppressionRow>(rows, total);
    }

    public async Task<SuppressionSelection> SelectionAsync(SuppressionFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = Filtered(db.SuppressionEntries.AsNoTracking(), filter with { IncludeLifted = false });
        var counts = await active
            .GroupBy(s => 1)
            .Select(g => new { Active = g.Count(), Complaints = g.Count(s => s.Reason == SuppressionReason.Complaint) })
            .SingleOrDefaultAsync(cancellationToken);
        return new SuppressionSelection(counts?.Active ?? 0, counts?.Complaints ?? 0);
    }

    public async IAsyncEnumerable<SuppressionRow> StreamAsync(
        SuppressionFilter filter,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sorted = Filtered(db.SuppressionEntries.AsNoTracking(), filter).OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id);
        await foreach (var row in Project(db, sorted).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>
    /// The entries the filter selects (not sorted). Shared with the bulk reactivation, so it lifts exactly what the page
    /// lists.
    /// </summary>
    internal static IQueryable<SuppressionEntry> Filtered(IQueryable<SuppressionEntry> entries, SuppressionFilter filter)
    {
        if (!filter.IncludeLifted)
        {
            entries = entries.Where(s => s.LiftedAt == null);
        }

        var search = filter.NormalizedSearch;
        switch (filter.SearchKind)
        {
            case SuppressionSearchKind.AddressPrefix:
            {
                var upper = DeliveryQueries.NextPrefix(search!);
#pragma warning disable CA1309 // Translated to SQL's own (binary) comparison, which the Email index answers as a range.
                entries = entries.Where(s => string.Compare(s.Email, search) >= 0 && string.Compare(s.Email, upper) < 0);
#pragma warning restore CA1309
                break;
            }

            case SuppressionSearchKind.Domain:
            {
                var pattern = "%@" + EscapeLike(filter.Domain!);
                entries = entries.Where(s => EF.Functions.Like(s.Email, pattern, LikeEscape));
                break;
            }

            case SuppressionSearchKind.PrefixOrDomain:
            {
                var pattern = "%@" + EscapeLike(filter.Domain!);
                var upper = DeliveryQueries.NextPrefix(search!);
#pragma warning disable CA1309 // As above.
                entries = entries.Where(s =>
                    (string.Compare(s.Email, search) >= 0 && string.Compare(s.Email, upper) < 0)
                    || EF.Functions.Like(s.Email, pattern, LikeEscape));
#pragma warning restore CA1309
                break;
            }

            case SuppressionSearchKind.None:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter.SearchKind, "Unknown search kind.");
        }

        if (filter.Reason is { } reason)
        {
            entries = entries.Where(s => s.Reason == reason);
        }

        if (filter.Source is { } source)
        {
            entries = entries.Where(s => s.Source == source);
        }

        if (filter.From is { } from)
        {
            entries = entries.Where(s => s.CreatedAt >= from);
        }

        if (filter.To is { } to)
        {
            entries = entries.Where(s => s.CreatedAt < to);
        }

        return entries;
    }

    /// <summary>The rows with their causes: a left join to BounceEvents by primary key.</summary>
    private static IQueryable<SuppressionRow> Project(BounceDbContext db, IQueryable<SuppressionEntry> entries) =>
        from s in entries
        join e in db.BounceEvents.AsNoTracking() on s.BounceEventId equals e.Id into causes
        from e in causes.DefaultIfEmpty()
        select new SuppressionRow(
            s.Id,
            s.Email,
            s.Reason,
            s.Source,
            s.CreatedAt,
            s.CreatedBy,
            s.Note,
            s.LiftedAt,
            s.LiftedBy,
            s.LiftReason,
            e == null
                ? null
                : new SuppressionCause(e.Id, e.ReceivedAt, e.Kind, e.Reason, e.Hard, e.EnhancedStatus, e.Diagnostic, e.Rule, e.FeedbackType, e.DeliveryId));

    private static string EscapeLike(string text) =>
        text.Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
            .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
            .Replace("_", LikeEscape + "_", StringComparison.Ordinal);
}
