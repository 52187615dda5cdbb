using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>What the recipients grid can sort by.</summary>
public enum RecipientSortField
{
    Address = 0,
    State = 1,
    LastAttempt = 2,
    Attempts = 3,
}

/// <summary>
/// The recipients of one campaign the grid asks for. <paramref name="AddressPrefix"/> matches the start of the address
/// (a prefix, so the unique index on Contacts.Email answers it as a range); <paramref name="State"/> and
/// <paramref name="Reason"/> narrow to one delivery state or one bounce reason.
/// </summary>
public sealed record RecipientFilter(long CampaignId, string? AddressPrefix = null, DeliveryState? State = null, BounceReason? Reason = null)
{
    /// <summary>The prefix as addresses are stored (trimmed, lower case), or null when there is none.</summary>
    public string? NormalizedPrefix =>
        string.IsNullOrWhiteSpace(AddressPrefix) ? null : AddressPrefix.Trim().ToLowerInvariant();

    /// <summary>True when anything narrows the campaign's recipients.</summary>
    public bool IsNarrowed => NormalizedPrefix is not null || State is not null || Reason is not null;
}

/// <summary>One row of the recipients grid: a delivery and its contact's address.</summary>
public sealed record RecipientRow(
    long DeliveryId,
    string Address,
    DeliveryState State,
    int Attempts,
    DateTimeOffset? LastAttemptAt,
    string? LastSmtpReply,
    BounceReason? BounceReason,
    bool Opened,
    bool Clicked);

/// <summary>The top of the delivery page.</summary>
public sealed record DeliveryHeader(
    long DeliveryId,
    string Address,
    ContactStatus ContactStatus,
    long CampaignId,
    string CampaignName,
    DeliveryState State,
    BounceReason? BounceReason,
    int Attempts,
    DateTimeOffset CreatedAt);

/// <summary>One point of a delivery's timeline; the page shows them in <see cref="At"/> order.</summary>
public abstract record TimelineEntry(DateTimeOffset At);

/// <summary>One SMTP attempt.</summary>
public sealed record AttemptEntry(
    DateTimeOffset At,
    int Number,
    DateTimeOffset? CompletedAt,
    DeliveryAttemptOutcome Outcome,
    string? Relay,
    string? SendingIp,
    string? SmtpReply) : TimelineEntry(At);

/// <summary>One bounce event of the delivery, with the provider's error-code page when one is known.</summary>
public sealed record BounceEntry(
    DateTimeOffset At,
    long EventId,
    BounceSource Source,
    MessageKind Kind,
    BounceReason Reason,
    bool Hard,
    bool Permanent,
    string? EnhancedStatus,
    string? ReplyCode,
    string? RemoteMta,
    string? Diagnostic,
    string Rule,
    BounceEffect? Effect,
    ProviderHelpLink? ProviderHelp) : TimelineEntry(At);

/// <summary>One open or click; <see cref="Url"/> is set for clicks.</summary>
public sealed record TrackingEntry(DateTimeOffset At, TrackingEventKind Kind, string? Url) : TimelineEntry(At);

/// <summary>
/// A delivery and everything that happened to it, oldest first. <see cref="TrackingTruncated"/> is true when more opens
/// and clicks exist than the page shows (<see cref="DeliveryQueries.MaxTrackingEvents"/>).
/// </summary>
public sealed record DeliveryTimeline(DeliveryHeader Header, IReadOnlyList<TimelineEntry> Entries, bool TrackingTruncated);

/// <summary>The read side of the recipients grid and the delivery page.</summary>
public interface IDeliveryQueries
{
    /// <summary>One page of a campaign's recipients, sorted in the database (ties broken by delivery id).</summary>
    Task<IReadOnlyList<RecipientRow>> RecipientsAsync(
        RecipientFilter filter,
        RecipientSortField sortBy,
        bool descending,
        PageRequest page,
        CancellationToken cancellationToken = default);

    /// <summary>How many recipients the filter matches (the grid caches it per filter).</summary>
    Task<int> CountRecipientsAsync(RecipientFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The delivery's header and timeline, or null when there is no such delivery.</summary>
    Task<DeliveryTimeline?> TimelineAsync(long deliveryId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Recipients: deliveries of one campaign joined to their contacts, filtered, sorted and paged in SQL (OFFSET paging
/// over an indexed ORDER BY). The timeline: four small indexed reads by delivery id.
/// </summary>
public sealed class DeliveryQueries(IDbContextFactory<BounceDbContext> dbFactory) : IDeliveryQueries
{
    /// <summary>The most opens and clicks a timeline lists (the first ones; a forwarded mail can be opened thousands of times).</summary>
    public const int MaxTrackingEvents = 200;

    /// <summary>Bounce events and attempts per delivery are few; this only bounds a pathological delivery.</summary>
    private const int MaxRowsPerKind = 500;

    public async Task<IReadOnlyList<RecipientRow>> RecipientsAsync(
        RecipientFilter filter,
        RecipientSortField sortBy,
        bool descending,
        PageRequest page,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = Recipients(db, filter);

        var sorted = (sortBy, descending) switch
        {
            (RecipientSortField.Address, false) => rows.OrderBy(r => r.Email).ThenBy(r => r.Id),
            (RecipientSortField.Address, true) => rows.OrderByDescending(r => r.Email).ThenByDescending(r => r.Id),
            (RecipientSortField.State, false) => rows.OrderBy(r => r.State).ThenBy(r => r.Id),
            (RecipientSortField.State, true) => rows.OrderByDescending(r => r.State).ThenByDescending(r => r.Id),
            (RecipientSortField.LastAttempt, false) => rows.OrderBy(r => r.LastAttemptAt).ThenBy(r => r.Id),
            (RecipientSortField.LastAttempt, true) => rows.OrderByDescending(r => r.LastAttemptAt).ThenByDescending(r => r.Id),
            (RecipientSortField.Attempts, false) => rows.OrderBy(r => r.AttemptCount).ThenBy(r => r.Id),
            (RecipientSortField.Attempts, true) => rows.OrderByDescending(r => r.AttemptCount).ThenByDescending(r => r.Id),
            _ => throw new ArgumentOutOfRangeException(nameof(sortBy), sortBy, "Unknown recipient sort."),
        };

        return await sorted
            .Skip(page.Skip)
            .Take(page.Take)
            .Select(r => new RecipientRow(
                r.Id, r.Email, r.State, r.AttemptCount, r.LastAttemptAt, r.LastSmtpReply, r.BounceReason,
                r.OpenedAt != null, r.ClickedAt != null))
            .ToListAsync(cancellationToken);
    }

    public async Task<int> CountRecipientsAsync(RecipientFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (filter.NormalizedPrefix is null)
        {
            // Without a search the contacts are not needed: the count reads the (CampaignId, State) index alone.
            var deliveries = db.Deliveries.AsNoTracking().Where(d => d.CampaignId == filter.CampaignId);
            if (filter.State is { } state)
            {
                deliveries = deliveries.Where(d => d.State == state);
            }

            if (filter.Reason is { } reason)
            {
                deliveries = deliveries.Where(d => d.BounceReason == reason);
            }

            return await deliveries.CountAsync(cancellationToken);
        }

        return await Recipients(db, filter).CountAsync(cancellationToken);
    }

    public async Task<DeliveryTimeline?> TimelineAsync(long deliveryId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var header = await (
            from d in db.Deliveries.AsNoTracking()
            join c in db.Contacts.AsNoTracking() on d.ContactId equals c.Id
            join k in db.Set<Campaign>().AsNoTracking() on d.CampaignId equals k.Id
            where d.Id == deliveryId
            select new DeliveryHeader(d.Id, c.Email, c.Status, k.Id, k.Name, d.State, d.BounceReason, d.AttemptCount, d.CreatedAt))
            .SingleOrDefaultAsync(cancellationToken);
        if (header is null)
        {
            return null;
        }

        // Each read is by DeliveryId: DeliveryAttempts (DeliveryId, Number), BounceEvents by the DeliveryId foreign-key
        // index, TrackingEvents (DeliveryId, Kind).
        var attempts = await db.DeliveryAttempts.AsNoTracking()
            .Where(a => a.DeliveryId == deliveryId)
            .OrderBy(a => a.Number)
            .Take(MaxRowsPerKind)
            .Select(a => new AttemptEntry(a.StartedAt, a.Number, a.CompletedAt, a.Outcome, a.Relay, a.SendingIp, a.SmtpReply))
            .ToListAsync(cancellationToken);

        var bounces = await db.BounceEvents.AsNoTracking()
            .Where(e => e.DeliveryId == deliveryId)
            .OrderBy(e => e.Id)
            .Take(MaxRowsPerKind)
            .Select(e => new
            {
                e.Id, e.ReceivedAt, e.Source, e.Kind, e.Reason, e.Hard, e.Permanent, e.EnhancedStatus, e.ReplyCode,
                e.RemoteMta, e.Diagnostic, e.Rule, e.Effect, e.Recipient,
            })
            .ToListAsync(cancellationToken);

        var tracking = await db.TrackingEvents.AsNoTracking()
            .Where(t => t.DeliveryId == deliveryId)
            .OrderBy(t => t.OccurredAt)
            .ThenBy(t => t.Id)
            .Take(MaxTrackingEvents + 1)
            .Select(t => new TrackingEntry(t.OccurredAt, t.Kind, t.Url))
            .ToListAsync(cancellationToken);
        var truncated = tracking.Count > MaxTrackingEvents;

        var entries = new List<(TimelineEntry Entry, int Order)>();
        entries.AddRange(attempts.Select(a => ((TimelineEntry)a, 0)));
        entries.AddRange(bounces.Select(b => ((TimelineEntry)new BounceEntry(
            b.ReceivedAt, b.Id, b.Source, b.Kind, b.Reason, b.Hard, b.Permanent, b.EnhancedStatus, b.ReplyCode, b.RemoteMta,
            b.Diagnostic, b.Rule, b.Effect,
            ProviderHelp.For(string.IsNullOrEmpty(b.Recipient) ? header.Address : b.Recipient, b.RemoteMta)), 1)));
        entries.AddRange(tracking.Take(MaxTrackingEvents).Select(t => ((TimelineEntry)t, 2)));

        // Chronological; at the same instant an attempt comes before the bounce it caused, and both before opens.
        var ordered = entries
            .OrderBy(e => e.Entry.At)
            .ThenBy(e => e.Order)
            .Select(e => e.Entry)
            .ToList();
        return new DeliveryTimeline(header, ordered, truncated);
    }

    /// <summary>The campaign's deliveries with their contact's address, narrowed by the filter (not sorted).</summary>
    private static IQueryable<RecipientSource> Recipients(BounceDbContext db, RecipientFilter filter)
    {
        var query =
            from d in db.Deliveries.AsNoTracking()
            join c in db.Contacts.AsNoTracking() on d.ContactId equals c.Id
            where d.CampaignId == filter.CampaignId
            select new RecipientSource
            {
                Id = d.Id,
                Email = c.Email,
                State = d.State,
                AttemptCount = d.AttemptCount,
                LastAttemptAt = d.LastAttemptAt,
                LastSmtpReply = d.LastSmtpReply,
                BounceReason = d.BounceReason,
                OpenedAt = d.OpenedAt,
                ClickedAt = d.ClickedAt,
            };

        if (filter.NormalizedPrefix is { } prefix)
        {
            // A prefix as a range (prefix <= Email < next), which the unique Email index answers on both providers;
            // SQLite's LIKE is case-insensitive and cannot use that index.
            var upper = NextPrefix(prefix);
#pragma warning disable CA1309 // Translated to SQL's own (binary) comparison; EF has no translation for the overload with a StringComparison.
            query = query.Where(r => string.Compare(r.Email, prefix) >= 0 && string.Compare(r.Email, upper) < 0);
#pragma warning restore CA1309
        }

        if (filter.State is { } state)
        {
            query = query.Where(r => r.State == state);
        }

        if (filter.Reason is { } reason)
        {
            query = query.Where(r => r.BounceReason == reason);
        }

        return query;
    }

    /// <summary>The smallest string above every string that starts with <paramref name="prefix"/>.</summary>
    internal static string NextPrefix(string prefix)
    {
        var chars = prefix.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            if (chars[i] < char.MaxValue)
            {
                chars[i]++;
                return new string(chars, 0, i + 1);
            }
        }

        return prefix + char.MaxValue;
    }

    /// <summary>The columns a recipients query reads (a class, so EF can compose filters and ORDER BY on it).</summary>
    private sealed class RecipientSource
    {
        public long Id { get; init; }

        public string Email { get; init; } = string.Empty;

        public DeliveryState State { get; init; }

        public int AttemptCount { get; init; }

        public DateTimeOffset? LastAttemptAt { get; init; }

        public string? LastSmtpReply { get; init; }

        public BounceReason? BounceReason { get; init; }

        public DateTimeOffset? OpenedAt { get; init; }

        public DateTimeOffset? ClickedAt { get; init; }
    }
}
