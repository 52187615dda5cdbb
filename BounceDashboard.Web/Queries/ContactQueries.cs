using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>
/// How many contacts have each status. Confirmed bounces have their own status, so <see cref="Active"/> never counts
/// them (the product's promise); an Active contact whose address is suppressed is still counted as Active and marked
/// "suppressed" where it is listed (<see cref="BounceDashboard.Domain.Rules.Sendability"/>: it is not mailed either).
/// </summary>
public sealed record ContactStatusCounts(int Active, int Error, int OptedOut, int ConfirmedBounce)
{
    public static ContactStatusCounts Empty { get; } = new(0, 0, 0, 0);

    public int Total => Active + Error + OptedOut + ConfirmedBounce;

    /// <summary>The count for one status, or every contact for null.</summary>
    public int Of(ContactStatus? status) => status switch
    {
        null => Total,
        ContactStatus.Active => Active,
        ContactStatus.Error => Error,
        ContactStatus.OptedOut => OptedOut,
        ContactStatus.ConfirmedBounce => ConfirmedBounce,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown contact status."),
    };
}

/// <summary>
/// The contacts list's filter: the start of an address (a whole address matches itself first) and a status.
/// </summary>
public sealed record ContactFilter(string? Search = null, ContactStatus? Status = null)
{
    /// <summary>The search as addresses are stored (trimmed, lower case), or null when there is none.</summary>
    public string? NormalizedSearch => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim().ToLowerInvariant();
}

/// <summary>One row of the contacts list.</summary>
public sealed record ContactRow(
    long Id,
    string Email,
    string? DisplayName,
    ContactStatus Status,
    ContactErrorCause? ErrorCause,
    DateTimeOffset StatusChangedAt,
    int ConsecutiveBounces,
    bool Suppressed);

/// <summary>The contact's bounce counters (the streaks the rules count) and totals over its history.</summary>
public sealed record ContactCounters(
    int ConsecutiveSoftBounces,
    int ConsecutiveHardBounces,
    int ConsecutiveBounces,
    DateTimeOffset? LastBounceAt,
    DateTimeOffset? LastActivityAt,
    int Deliveries,
    int Bounces);

/// <summary>The bounce (or report) whose application last changed the contact's status.</summary>
public sealed record ContactStatusCause(
    long EventId,
    long? DeliveryId,
    DateTimeOffset At,
    MessageKind Kind,
    BounceReason Reason,
    bool Hard,
    bool Permanent,
    string? EnhancedStatus,
    string? Diagnostic,
    string Rule,
    BounceEffect? Effect);

/// <summary>A suppression entry of the contact's address (in force or lifted).</summary>
public sealed record ContactSuppression(
    long Id,
    SuppressionReason Reason,
    SuppressionSource Source,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string? Note,
    long? BounceEventId,
    DateTimeOffset? LiftedAt,
    string? LiftedBy,
    string? LiftReason)
{
    public bool IsActive => LiftedAt is null;
}

/// <summary>An audience the contact is a member of.</summary>
public sealed record ContactAudience(long Id, string Name, DateTimeOffset AddedAt);

/// <summary>The top of the contact page.</summary>
public sealed record ContactDetails(
    long Id,
    string Email,
    string? DisplayName,
    ContactStatus Status,
    ContactErrorCause? ErrorCause,
    DateTimeOffset CreatedAt,
    DateTimeOffset StatusChangedAt,
    ContactCounters Counters,
    ContactStatusCause? Cause,
    IReadOnlyList<ContactAudience> Audiences,
    bool MoreAudiences,
    IReadOnlyList<ContactSuppression> Suppressions)
{
    /// <summary>The address's suppression entry in force, if any.</summary>
    public ContactSuppression? ActiveSuppression => Suppressions.FirstOrDefault(s => s.IsActive);

    /// <summary>True when an Admin's reactivation would change something: a failed status or a suppression in force.</summary>
    public bool CanReactivate => Status != ContactStatus.Active || ActiveSuppression is not null;
}

/// <summary>One point of a contact's history; the page shows them newest first.</summary>
public abstract record ContactHistoryEntry(DateTimeOffset At);

/// <summary>A delivery of a campaign to the contact (at its first attempt, or when it was queued).</summary>
public sealed record DeliveryHistoryEntry(
    DateTimeOffset At,
    long DeliveryId,
    long CampaignId,
    string CampaignName,
    DeliveryState State,
    BounceReason? BounceReason,
    int Attempts) : ContactHistoryEntry(At);

/// <summary>A bounce event, delay, complaint or auto-reply for the contact's address.</summary>
public sealed record BounceHistoryEntry(
    DateTimeOffset At,
    long EventId,
    long? DeliveryId,
    MessageKind Kind,
    BounceReason Reason,
    bool Hard,
    bool Permanent,
    string? EnhancedStatus,
    string? Diagnostic,
    string Rule,
    BounceEffect? Effect) : ContactHistoryEntry(At);

/// <summary>An open or a click of one of the contact's deliveries.</summary>
public sealed record TrackingHistoryEntry(
    DateTimeOffset At,
    long DeliveryId,
    string CampaignName,
    TrackingEventKind Kind,
    string? Url) : ContactHistoryEntry(At);

/// <summary>An admin action on the contact's address (audit log entries whose target is the address).</summary>
public sealed record AuditHistoryEntry(
    DateTimeOffset At,
    long AuditId,
    string Actor,
    AuditAction Action,
    string? Reason,
    string? Details) : ContactHistoryEntry(At);

/// <summary>The newest entries of a contact's history; <see cref="HasMore"/> when older ones exist.</summary>
public sealed record ContactHistory(IReadOnlyList<ContactHistoryEntry> Entries, bool HasMore)
{
    public static ContactHistory Empty { get; } = new([], false);
}

/// <summary>The read side of the contacts list and the contact page.</summary>
public interface IContactQueries
{
    /// <summary>How many contacts have each status (over all contacts, whatever the search).</summary>
    Task<ContactStatusCounts> CountsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of contacts in address order (an exact address comes first: it is the shortest with its prefix).
    /// <paramref name="total"/> is how many the filter matches when the caller knows it (the counts, without a search);
    /// without it the query counts.
    /// </summary>
    Task<PagedResult<ContactRow>> SearchAsync(ContactFilter filter, PageRequest page, int? total = null, CancellationToken cancellationToken = default);

    /// <summary>The contact, its counters, cause, audiences and suppression entries; null when there is none.</summary>
    Task<ContactDetails?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="limit"/> entries of the contact's history, merged by time, newest first.</summary>
    Task<ContactHistory> HistoryAsync(long id, int limit, CancellationToken cancellationToken = default);
}

/// <summary>
/// Contacts: counts are one COUNT per status on IX_Contacts_Status (a range of that index each, no GROUP BY over a
/// million strings); a page is found in two steps, ids in address order (IX_Contacts_Email for a prefix,
/// IX_Contacts_Status_Email for a status with or without a prefix) and then the page's columns by primary key. The
/// contact page reads small indexed sets: deliveries by (ContactId, FirstAttemptAt), bounce events by Recipient or
/// DeliveryId, opens and clicks by (DeliveryId, Kind), audit entries by Target, suppression entries by (Email, CreatedAt),
/// audiences by AudienceMembers.ContactId; each capped.
/// </summary>
public sealed class ContactQueries(IDbContextFactory<BounceDbContext> dbFactory) : IContactQueries
{
    /// <summary>The most history entries one request returns ("show more" asks again with a larger limit).</summary>
    public const int MaxHistory = 1000;

    /// <summary>The most audiences and suppression entries the contact page lists.</summary>
    public const int MaxListed = 50;

    public async Task<ContactStatusCounts> CountsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var contacts = db.Contacts.AsNoTracking();
        var active = await contacts.CountAsync(c => c.Status == ContactStatus.Active, cancellationToken);
        var error = await contacts.CountAsync(c => c.Status == ContactStatus.Error, cancellationToken);
        var optedOut = await contacts.CountAsync(c => c.Status == ContactStatus.OptedOut, cancellationToken);
        var confirmed = await contacts.CountAsync(c => c.Status == ContactStatus.ConfirmedBounce, cancellationToken);
        return new ContactStatusCounts(active, error, optedOut, confirmed);
    }

    public async Task<PagedResult<ContactRow>> SearchAsync(
        ContactFilter filter,
        PageRequest page,
        int? total = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var contacts = db.Contacts.AsNoTracking();
        if (filter.Status is { } status)
        {
            contacts = contacts.Where(c => c.Status == status);
        }

        if (filter.NormalizedSearch is { } prefix)
        {
            // A range (prefix <= Email < next) that the Email indexes answer on both providers (SQLite's LIKE is
            // case-insensitive and cannot use them).
            var upper = DeliveryQueries.NextPrefix(prefix);
#pragma warning disable CA1309 // Translated to SQL's own (binary) comparison; EF has no translation for the overload with a StringComparison.
            contacts = contacts.Where(c => string.Compare(c.Email, prefix) >= 0 && string.Compare(c.Email, upper) < 0);
#pragma warning restore CA1309
        }

        // Without a search the caller's count (from CountsAsync) is used; a search counts an index range.
        var count = filter.NormalizedSearch is null && total is { } known ? known : await contacts.CountAsync(cancellationToken);
        if (count == 0)
        {
            return new PagedResult<ContactRow>([], 0);
        }

        // Step 1: the page's ids in address order, from the index alone.
        var ids = await contacts.OrderBy(c => c.Email).Skip(page.Skip).Take(page.Take).Select(c => c.Id).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return new PagedResult<ContactRow>([], count);
        }

        // Step 2: the page's columns by primary key, and whether each address is suppressed (the filtered unique index).
        var rows = await db.Contacts.AsNoTracking()
            .Where(c => ids.Contains(c.Id))
            .Select(c => new ContactRow(
                c.Id, c.Email, c.DisplayName, c.Status, c.ErrorCause, c.StatusChangedAt, c.ConsecutiveBounces,
                db.SuppressionEntries.Any(s => s.Email == c.Email && s.LiftedAt == null)))
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        return new PagedResult<ContactRow>(ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList(), count);
    }

    public async Task<ContactDetails?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var contact = await db.Contacts.AsNoTracking().Where(c => c.Id == id).SingleOrDefaultAsync(cancellationToken);
        if (contact is null)
        {
            return null;
        }

        var email = contact.Email;
        var deliveries = await db.Deliveries.AsNoTracking().CountAsync(d => d.ContactId == id, cancellationToken);
        var bounces = await AddressEvents(db, id, email).CountAsync(e => e.Kind == MessageKind.Bounce, cancellationToken);
        var counters = new ContactCounters(
            contact.ConsecutiveSoftBounces, contact.ConsecutiveHardBounces, contact.ConsecutiveBounces,
            contact.LastBounceAt, contact.LastActivityAt, deliveries, bounces);

        // The cause: the newest event whose application changed a delivery or the contact, up to the status change.
        ContactStatusCause? cause = null;
        if (contact.Status != ContactStatus.Active)
        {
            var changedAt = contact.StatusChangedAt;
            BounceEffect?[] effects = [BounceEffect.HardBounced, BounceEffect.SoftBounced, BounceEffect.Complaint, BounceEffect.OptedOut];
            cause = await AddressEvents(db, id, email)
                .Where(e => e.AppliedAt != null && e.AppliedAt <= changedAt && effects.Contains(e.Effect))
                .OrderByDescending(e => e.AppliedAt)
                .ThenByDescending(e => e.Id)
                .Select(e => new ContactStatusCause(
                    e.Id, e.DeliveryId, e.ReceivedAt, e.Kind, e.Reason, e.Hard, e.Permanent, e.EnhancedStatus, e.Diagnostic, e.Rule, e.Effect))
                .FirstOrDefaultAsync(cancellationToken);
        }

        var audiences = await (
                from m in db.AudienceMembers.AsNoTracking()
                join a in db.Audiences.AsNoTracking() on m.AudienceId equals a.Id
                where m.ContactId == id
                orderby a.Name, a.Id
                select new ContactAudience(a.Id, a.Name, m.AddedAt))
            .Take(MaxListed + 1)
            .ToListAsync(cancellationToken);

        var suppressions = await db.SuppressionEntries.AsNoTracking()
            .Where(s => s.Email == email)
            .OrderByDescending(s => s.CreatedAt)
            .ThenByDescending(s => s.Id)
            .Take(MaxListed)
            .Select(s => new ContactSuppression(
                s.Id, s.Reason, s.Source, s.CreatedAt, s.CreatedBy, s.Note, s.BounceEventId, s.LiftedAt, s.LiftedBy, s.LiftReason))
            .ToListAsync(cancellationToken);

        return new ContactDetails(
            contact.Id, email, contact.DisplayName, contact.Status, contact.ErrorCause, contact.CreatedAt, contact.StatusChangedAt,
            counters, cause, audiences.Take(MaxListed).ToList(), audiences.Count > MaxListed, suppressions);
    }

    public async Task<ContactHistory> HistoryAsync(long id, int limit, CancellationToken cancellationToken = default)
    {
        var take = Math.Clamp(limit, 1, MaxHistory);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var email = await db.Contacts.AsNoTracking().Where(c => c.Id == id).Select(c => c.Email).SingleOrDefaultAsync(cancellationToken);
        if (email is null)
        {
            return ContactHistory.Empty;
        }

        // Each source gives its newest take + 1 entries; the merge keeps the newest take of them all, so an entry left out
        // here is older than every entry shown, and "show more" (a larger limit) brings it in.
        var deliveries = await (
                from d in db.Deliveries.AsNoTracking()
                join k in db.Set<Campaign>().AsNoTracking() on d.CampaignId equals k.Id
                where d.ContactId == id
                orderby d.FirstAttemptAt ?? d.CreatedAt descending, d.Id descending
                select new DeliveryHistoryEntry(d.FirstAttemptAt ?? d.CreatedAt, d.Id, k.Id, k.Name, d.State, d.BounceReason, d.AttemptCount))
            .Take(take + 1)
            .ToListAsync(cancellationToken);

        var bounces = await AddressEvents(db, id, email)
            .OrderByDescending(e => e.ReceivedAt)
            .ThenByDescending(e => e.Id)
            .Take(take + 1)
            .Select(e => new BounceHistoryEntry(
                e.ReceivedAt, e.Id, e.DeliveryId, e.Kind, e.Reason, e.Hard, e.Permanent, e.EnhancedStatus, e.Diagnostic, e.Rule, e.Effect))
            .ToListAsync(cancellationToken);

        var tracking = await (
                from t in db.TrackingEvents.AsNoTracking()
                join d in db.Deliveries.AsNoTracking() on t.DeliveryId equals d.Id
                join k in db.Set<Campaign>().AsNoTracking() on d.CampaignId equals k.Id
                where d.ContactId == id
                orderby t.OccurredAt descending, t.Id descending
                select new TrackingHistoryEntry(t.OccurredAt, t.DeliveryId, k.Name, t.Kind, t.Url))
            .Take(take + 1)
            .ToListAsync(cancellationToken);

        var audit = await db.AuditLogEntries.AsNoTracking()
            .Where(a => a.Target == email)
            .OrderByDescending(a => a.At)
            .ThenByDescending(a => a.Id)
            .Take(take + 1)
            .Select(a => new AuditHistoryEntry(a.At, a.Id, a.Actor, a.Action, a.Reason, a.Details))
            .ToListAsync(cancellationToken);

        // Newest first; at the same instant an admin action, then a report, then an open or click, then the delivery.
        var merged = deliveries.Select(e => ((ContactHistoryEntry)e, 0))
            .Concat(bounces.Select(e => ((ContactHistoryEntry)e, 1)))
            .Concat(tracking.Select(e => ((ContactHistoryEntry)e, 2)))
            .Concat(audit.Select(e => ((ContactHistoryEntry)e, 3)))
            .OrderByDescending(e => e.Item1.At)
            .ThenByDescending(e => e.Item2)
            .Select(e => e.Item1)
            .ToList();
        return new ContactHistory(merged.Take(take).ToList(), merged.Count > take);
    }

    /// <summary>The events for the address: those reported for it and those matched to its deliveries (OR of two indexes).</summary>
    private static IQueryable<BounceEvent> AddressEvents(BounceDbContext db, long contactId, string email)
    {
        var deliveryIds = db.Deliveries.Where(d => d.ContactId == contactId).Select(d => (long?)d.Id);
        return db.BounceEvents.AsNoTracking().Where(e => e.Recipient == email || deliveryIds.Contains(e.DeliveryId));
    }
}
