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
    ProviderHelpLink? ProviderHelp,
    string? Explanation = null) : TimelineEntry(At);

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
    /// <summary>
    /// One page of a campaign's recipients, sorted in the database (ties broken by delivery id). <paramref name="matching"/>
    /// is how many recipients the filter matches when the caller knows it (the grid does): it picks the plan for a sort
    /// by address; without it the query counts.
    /// </summary>
    Task<IReadOnlyList<RecipientRow>> RecipientsAsync(
        RecipientFilter filter,
        RecipientSortField sortBy,
        bool descending,
        PageRequest page,
        int? matching = null,
        CancellationToken cancellationToken = default);

    /// <summary>How many recipients the filter matches (the grid caches it per filter).</summary>
    Task<int> CountRecipientsAsync(RecipientFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The delivery's header and timeline, or null when there is no such delivery.</summary>
    Task<DeliveryTimeline?> TimelineAsync(long deliveryId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Recipients: a page is found in two steps. Step 1 orders and pages delivery ids in SQL (OFFSET over an indexed ORDER
/// BY): delivery columns through the campaign's deliveries ((CampaignId, State) for state; see the README for the
/// last-attempt and attempts indexes), addresses through the contacts' Email index for a large campaign
/// (<see cref="DenseRecipients"/>) or a join and sort for a small one or a search. Step 2 reads that page's columns by
/// primary key. The timeline: four small indexed reads by delivery id.
/// </summary>
public sealed class DeliveryQueries(IDbContextFactory<BounceDbContext> dbFactory) : IDeliveryQueries
{
    /// <summary>The most opens and clicks a timeline lists (the first ones; a forwarded mail can be opened thousands of times).</summary>
    public const int MaxTrackingEvents = 200;

    /// <summary>
    /// Above this many matching recipients, a page by address walks the contacts' Email index instead of sorting the
    /// campaign's deliveries (about 20 ms of primary-key probes and sorting at this size on SQLite).
    /// </summary>
    public const int DenseRecipients = 20_000;

    /// <summary>Bounce events and attempts per delivery are few; this only bounds a pathological delivery.</summary>
    private const int MaxRowsPerKind = 500;

    public async Task<IReadOnlyList<RecipientRow>> RecipientsAsync(
        RecipientFilter filter,
        RecipientSortField sortBy,
        bool descending,
        PageRequest page,
        int? matching = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deliveries = Filtered(db, filter);

        // Step 1: the page's delivery ids, in order, from the cheapest plan for the sort (see the class remarks).
        List<long> ids;
        if (sortBy == RecipientSortField.Address)
        {
            matching ??= filter.NormalizedPrefix is null ? await deliveries.CountAsync(cancellationToken) : 0;
            ids = filter.NormalizedPrefix is null && matching > DenseRecipients
                ? await AddressPageFromContactsAsync(db, deliveries, descending, page, cancellationToken)
                : await AddressPageFromDeliveriesAsync(db, deliveries, descending, page, cancellationToken);
        }
        else
        {
            var sorted = (sortBy, descending) switch
            {
                (RecipientSortField.State, false) => deliveries.OrderBy(d => d.State).ThenBy(d => d.Id),
                (RecipientSortField.State, true) => deliveries.OrderByDescending(d => d.State).ThenByDescending(d => d.Id),
                (RecipientSortField.LastAttempt, false) => deliveries.OrderBy(d => d.LastAttemptAt).ThenBy(d => d.Id),
                (RecipientSortField.LastAttempt, true) => deliveries.OrderByDescending(d => d.LastAttemptAt).ThenByDescending(d => d.Id),
                (RecipientSortField.Attempts, false) => deliveries.OrderBy(d => d.AttemptCount).ThenBy(d => d.Id),
                (RecipientSortField.Attempts, true) => deliveries.OrderByDescending(d => d.AttemptCount).ThenByDescending(d => d.Id),
                _ => throw new ArgumentOutOfRangeException(nameof(sortBy), sortBy, "Unknown recipient sort."),
            };
            ids = await sorted.Skip(page.Skip).Take(page.Take).Select(d => d.Id).ToListAsync(cancellationToken);
        }

        if (ids.Count == 0)
        {
            return [];
        }

        // Step 2: the page's columns, by primary key (at most one page of rows).
        var rows = await (
            from d in db.Deliveries.AsNoTracking()
            join c in db.Contacts.AsNoTracking() on d.ContactId equals c.Id
            where ids.Contains(d.Id)
            select new RecipientRow(
                d.Id, c.Email, d.State, d.AttemptCount, d.LastAttemptAt, d.LastSmtpReply, d.BounceReason,
                d.OpenedAt != null, d.ClickedAt != null))
            .ToDictionaryAsync(r => r.DeliveryId, cancellationToken);
        return ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
    }

    public async Task<int> CountRecipientsAsync(RecipientFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // Without a search this reads the (CampaignId, State) index alone; a search adds one probe per matching contact.
        return await Filtered(db, filter).CountAsync(cancellationToken);
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
                e.RemoteMta, e.Diagnostic, e.Rule, e.Effect, e.Recipient, e.Explanation,
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
            ProviderHelp.For(string.IsNullOrEmpty(b.Recipient) ? header.Address : b.Recipient, b.RemoteMta), b.Explanation), 1)));
        entries.AddRange(tracking.Take(MaxTrackingEvents).Select(t => ((TimelineEntry)t, 2)));

        // Chronological; at the same instant an attempt comes before the bounce it caused, and both before opens.
        var ordered = entries
            .OrderBy(e => e.Entry.At)
            .ThenBy(e => e.Order)
            .Select(e => e.Entry)
            .ToList();
        return new DeliveryTimeline(header, ordered, truncated);
    }

    /// <summary>The campaign's deliveries narrowed by the filter (not sorted).</summary>
    private static IQueryable<Delivery> Filtered(BounceDbContext db, RecipientFilter filter)
    {
        var deliveries = db.Deliveries.AsNoTracking().Where(d => d.CampaignId == filter.CampaignId);
        if (filter.NormalizedPrefix is { } prefix)
        {
            // The prefix as a range (prefix <= Email < next), which the unique Email index answers on both providers
            // (SQLite's LIKE is case-insensitive and cannot use it). As "ContactId IN (contacts in the range)", each
            // matching contact finds its delivery through (CampaignId, ContactId).
            var upper = NextPrefix(prefix);
#pragma warning disable CA1309 // Translated to SQL's own (binary) comparison; EF has no translation for the overload with a StringComparison.
            var contacts = db.Contacts.Where(c => string.Compare(c.Email, prefix) >= 0 && string.Compare(c.Email, upper) < 0).Select(c => c.Id);
#pragma warning restore CA1309
            deliveries = deliveries.Where(d => contacts.Contains(d.ContactId));
        }

        if (filter.State is { } state)
        {
            deliveries = deliveries.Where(d => d.State == state);
        }

        if (filter.Reason is { } reason)
        {
            deliveries = deliveries.Where(d => d.BounceReason == reason);
        }

        return deliveries;
    }

    /// <summary>
    /// A page by address for a large campaign: contacts walked in Email-index order, each probed for a matching delivery
    /// (EXISTS on (CampaignId, ContactId)), so a page costs about (offset + page) x contacts / recipients probes and no
    /// sort. SQLite's planner, without statistics, would otherwise start from the campaign's deliveries and sort them all.
    /// </summary>
    private static async Task<List<long>> AddressPageFromContactsAsync(
        BounceDbContext db, IQueryable<Delivery> deliveries, bool descending, PageRequest page, CancellationToken cancellationToken)
    {
        var contacts = db.Contacts.AsNoTracking().Where(c => deliveries.Any(d => d.ContactId == c.Id));
        var contactIds = await (descending ? contacts.OrderByDescending(c => c.Email) : contacts.OrderBy(c => c.Email))
            .Skip(page.Skip)
            .Take(page.Take)
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);

        // One delivery per campaign and contact (unique index), so the contact order is the page order.
        var byContact = await deliveries
            .Where(d => contactIds.Contains(d.ContactId))
            .Select(d => new { d.Id, d.ContactId })
            .ToDictionaryAsync(d => d.ContactId, d => d.Id, cancellationToken);
        return contactIds.Where(byContact.ContainsKey).Select(id => byContact[id]).ToList();
    }

    /// <summary>A page by address for few matching recipients: their deliveries, joined to contacts and sorted.</summary>
    private static Task<List<long>> AddressPageFromDeliveriesAsync(
        BounceDbContext db, IQueryable<Delivery> deliveries, bool descending, PageRequest page, CancellationToken cancellationToken)
    {
        var joined =
            from d in deliveries
            join c in db.Contacts.AsNoTracking() on d.ContactId equals c.Id
            select new { d.Id, c.Email };
        return (descending ? joined.OrderByDescending(r => r.Email) : joined.OrderBy(r => r.Email))
            .Skip(page.Skip)
            .Take(page.Take)
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);
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
}
