using System.Runtime.CompilerServices;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>An audience's members by contact status, and how many of them are on the suppression list.</summary>
public sealed record AudienceCounts(int Active, int Error, int OptedOut, int ConfirmedBounce, int Suppressed)
{
    public static AudienceCounts Empty { get; } = new(0, 0, 0, 0, 0);

    public int Members => Active + Error + OptedOut + ConfirmedBounce;
}

/// <summary>An audience as the list and its page show it.</summary>
public sealed record AudienceSummary(long Id, string Name, string? Description, DateTimeOffset CreatedAt, AudienceCounts Counts);

/// <summary>One member: the contact's address, name and status, whether the address is suppressed, when it joined.</summary>
public sealed record AudienceMemberRow(long ContactId, string Email, string? DisplayName, ContactStatus Status, bool Suppressed, DateTimeOffset AddedAt);

/// <summary>
/// A campaign that goes, or went, to an audience (the audience page). <see cref="Date"/> is when sending started, else
/// when it is scheduled for, else when it was created; <see cref="Audiences"/> counts all the campaign's audiences.
/// </summary>
public sealed record AudienceCampaignRow(long Id, string Name, CampaignKind Kind, CampaignState State, DateTimeOffset Date, int Audiences);

/// <summary>The members grid's filters: part of an address, and a contact status.</summary>
public sealed record AudienceMemberFilter(string? Search = null, ContactStatus? Status = null);

public interface IAudienceQueries
{
    /// <summary>Audiences, newest first, one page at a time, with their member counts.</summary>
    Task<PagedResult<AudienceSummary>> ListAsync(PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>One audience with its counts; null when there is none with that id.</summary>
    Task<AudienceSummary?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>A page of an audience's members, most recently added first.</summary>
    Task<PagedResult<AudienceMemberRow>> MembersAsync(
        long audienceId,
        AudienceMemberFilter filter,
        PageRequest page,
        CancellationToken cancellationToken = default);

    /// <summary>The campaigns that go or went to the audience, newest first, one page at a time.</summary>
    Task<PagedResult<AudienceCampaignRow>> CampaignsAsync(long audienceId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Every member, in contact order, streamed from the database (the CSV export).</summary>
    IAsyncEnumerable<AudienceMemberRow> StreamMembersAsync(long audienceId, CancellationToken cancellationToken = default);
}

/// <summary>
/// The audiences' read side. Counts come from AudienceStatistics (kept by triggers; docs/data.md "Audience statistics"):
/// a range of its key per audience, not a join of every member to its contact.
/// </summary>
public sealed class AudienceQueries(IDbContextFactory<BounceDbContext> dbFactory) : IAudienceQueries
{
    public async Task<PagedResult<AudienceSummary>> ListAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var total = await db.Audiences.CountAsync(cancellationToken);
        if (total == 0)
        {
            return new PagedResult<AudienceSummary>([], 0);
        }

        // Ids grow with creation time: the newest first on every provider.
        var rows = await db.Audiences.AsNoTracking()
            .OrderByDescending(a => a.Id)
            .Skip(page.Skip)
            .Take(page.Take)
            .Select(a => new { a.Id, a.Name, a.Description, a.CreatedAt })
            .ToListAsync(cancellationToken);
        var counts = await CountsAsync(db, rows.Select(r => r.Id).ToList(), cancellationToken);
        var items = rows
            .Select(r => new AudienceSummary(r.Id, r.Name, r.Description, r.CreatedAt, counts.GetValueOrDefault(r.Id, AudienceCounts.Empty)))
            .ToList();
        return new PagedResult<AudienceSummary>(items, total);
    }

    public async Task<AudienceSummary?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Audiences.AsNoTracking()
            .Where(a => a.Id == id)
            .Select(a => new { a.Id, a.Name, a.Description, a.CreatedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var counts = await CountsAsync(db, [id], cancellationToken);
        return new AudienceSummary(row.Id, row.Name, row.Description, row.CreatedAt, counts.GetValueOrDefault(id, AudienceCounts.Empty));
    }

    public async Task<PagedResult<AudienceMemberRow>> MembersAsync(
        long audienceId,
        AudienceMemberFilter filter,
        PageRequest page,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var members = Members(db, audienceId);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            // Addresses are stored lower-cased (EmailAddress.Normalize), so a lower-cased term matches any case typed.
            var term = filter.Search.Trim().ToLowerInvariant();
            members = members.Where(m => m.Email.Contains(term));
        }

        if (filter.Status is { } status)
        {
            members = members.Where(m => m.Status == status);
        }

        // Without a search the total is in AudienceStatistics (kept by triggers), not a count joining every member to
        // its contact; a search counts the matching members.
        var total = string.IsNullOrWhiteSpace(filter.Search)
            ? await db.AudienceStatistics.AsNoTracking()
                .Where(s => s.AudienceId == audienceId && (filter.Status == null || s.Status == filter.Status))
                .SumAsync(s => s.Members, cancellationToken)
            : await members.CountAsync(cancellationToken);

        // Newest first is a forward range of IX_AudienceMembers_AudienceId_AddedAt_ContactId (AddedAt descending).
        var items = total == 0
            ? []
            : await ToRows(members
                    .OrderByDescending(m => m.AddedAt)
                    .ThenBy(m => m.ContactId)
                    .Skip(page.Skip)
                    .Take(page.Take))
                .ToListAsync(cancellationToken);
        return new PagedResult<AudienceMemberRow>(items, total);
    }

    public async Task<PagedResult<AudienceCampaignRow>> CampaignsAsync(long audienceId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // The audience's rows of CampaignAudiences (index IX_CampaignAudiences_AudienceId), each campaign by key; campaign
        // ids grow with creation time, so the newest first. An audience is used by tens of campaigns, not millions.
        var campaigns =
            from ca in db.CampaignAudiences.AsNoTracking()
            where ca.AudienceId == audienceId
            join c in db.Campaigns.AsNoTracking() on ca.CampaignId equals c.Id
            select c;
        var total = await campaigns.CountAsync(cancellationToken);
        var items = total == 0
            ? []
            : await campaigns
                .OrderByDescending(c => c.Id)
                .Skip(page.Skip)
                .Take(page.Take)
                .Select(c => new AudienceCampaignRow(
                    c.Id,
                    c.Name,
                    c.Kind,
                    c.State,
                    c.StartedAt ?? c.ScheduledFor ?? c.CreatedAt,
                    db.CampaignAudiences.Count(o => o.CampaignId == c.Id)))
                .ToListAsync(cancellationToken);
        return new PagedResult<AudienceCampaignRow>(items, total);
    }

    public async IAsyncEnumerable<AudienceMemberRow> StreamMembersAsync(
        long audienceId,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = ToRows(Members(db, audienceId).OrderBy(m => m.ContactId)).AsAsyncEnumerable().WithCancellation(cancellationToken);
        await foreach (var row in rows)
        {
            yield return row;
        }
    }

    // A member-initialised projection (not the record's constructor), so EF can still filter and order on its fields.
    private static IQueryable<MemberProjection> Members(BounceDbContext db, long audienceId) =>
        from m in db.AudienceMembers.AsNoTracking()
        where m.AudienceId == audienceId
        join c in db.Contacts.AsNoTracking() on m.ContactId equals c.Id
        select new MemberProjection
        {
            ContactId = c.Id,
            Email = c.Email,
            DisplayName = c.DisplayName,
            Status = c.Status,
            Suppressed = db.SuppressionEntries.Any(s => s.Email == c.Email && s.LiftedAt == null),
            AddedAt = m.AddedAt,
        };

    private static IQueryable<AudienceMemberRow> ToRows(IQueryable<MemberProjection> members) =>
        members.Select(m => new AudienceMemberRow(m.ContactId, m.Email, m.DisplayName, m.Status, m.Suppressed, m.AddedAt));

    /// <summary>
    /// The audiences' counts, read from <see cref="AudienceStatistics"/> (at most eight rows per audience: status by
    /// suppressed, kept by triggers in the writing transaction) instead of joining every member to its contact.
    /// </summary>
    private static async Task<Dictionary<long, AudienceCounts>> CountsAsync(BounceDbContext db, List<long> ids, CancellationToken cancellationToken)
    {
        var rows = await db.AudienceStatistics.AsNoTracking()
            .Where(s => ids.Contains(s.AudienceId))
            .Select(s => new { s.AudienceId, s.Status, s.Suppressed, s.Members })
            .ToListAsync(cancellationToken);
        return rows
            .GroupBy(s => s.AudienceId)
            .ToDictionary(
                g => g.Key,
                g =>
                {
                    int Of(ContactStatus status) => g.Where(s => s.Status == status).Sum(s => s.Members);
                    return new AudienceCounts(
                        Of(ContactStatus.Active),
                        Of(ContactStatus.Error),
                        Of(ContactStatus.OptedOut),
                        Of(ContactStatus.ConfirmedBounce),
                        g.Where(s => s.Suppressed).Sum(s => s.Members));
                });
    }

    private sealed class MemberProjection
    {
        public long ContactId { get; init; }

        public string Email { get; init; } = string.Empty;

        public string? DisplayName { get; init; }

        public ContactStatus Status { get; init; }

        public bool Suppressed { get; init; }

        public DateTimeOffset AddedAt { get; init; }
    }
}
