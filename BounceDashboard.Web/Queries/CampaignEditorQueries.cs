using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>A campaign as the editor loads it: every field it edits, and the state that decides whether it may.</summary>
public sealed record CampaignDraftView(
    long Id,
    string Name,
    CampaignKind Kind,
    CampaignState State,
    string FromAddress,
    string? FromName,
    string Subject,
    string? HtmlBody,
    string? TextBody,
    IReadOnlyList<long> AudienceIds,
    DateTimeOffset? ScheduledFor)
{
    /// <summary>Only a Draft is edited in the editor (a Scheduled one is unscheduled first).</summary>
    public bool IsDraft => State == CampaignState.Draft;
}

/// <summary>An audience the editor offers, with how many contacts are on it.</summary>
public sealed record AudienceOption(long Id, string Name, int Members);

/// <summary>
/// Whom a send to these audiences would reach: each chosen audience with its member count, the distinct contacts on
/// any of them (<see cref="Members"/>: a contact on two counts once) and how many of those can be mailed
/// (<see cref="Sendable"/>: Active, address not suppressed).
/// </summary>
public sealed record CampaignReach(IReadOnlyList<AudienceOption> Audiences, int Members, int Sendable)
{
    public static CampaignReach None { get; } = new([], 0, 0);

    /// <summary>The audiences' names, for a sentence.</summary>
    public string Names => string.Join(", ", Audiences.Select(a => a.Name));
}

public interface ICampaignEditorQueries
{
    /// <summary>The campaign to edit, or null when there is none with that id.</summary>
    Task<CampaignDraftView?> GetAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>The audiences to choose from, by name, with member counts (at most <see cref="CampaignEditorQueries.MaxAudienceOptions"/>).</summary>
    Task<IReadOnlyList<AudienceOption>> ListAudiencesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The distinct member and sendable counts over these audiences, for the editor's summary and the send-now
    /// confirmation; null when one of them does not exist.
    /// </summary>
    Task<CampaignReach?> GetReachAsync(IReadOnlyCollection<long> audienceIds, CancellationToken cancellationToken = default);
}

/// <summary>The campaign editor's read side: one campaign by key, the audience list with counts, the chosen audiences' reach.</summary>
public sealed class CampaignEditorQueries(IDbContextFactory<BounceDbContext> dbFactory) : ICampaignEditorQueries
{
    /// <summary>Most audiences the select lists; the audiences page is the place to browse more.</summary>
    public const int MaxAudienceOptions = 500;

    public async Task<CampaignDraftView?> GetAsync(long campaignId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var view = await db.Campaigns.AsNoTracking()
            .Where(c => c.Id == campaignId)
            .Select(c => new CampaignDraftView(
                c.Id, c.Name, c.Kind, c.State, c.FromAddress, c.FromName, c.Subject, c.HtmlBody, c.TextBody, Array.Empty<long>(), c.ScheduledFor))
            .SingleOrDefaultAsync(cancellationToken);
        if (view is null)
        {
            return null;
        }

        // A range of the CampaignAudiences key (CampaignId, AudienceId).
        var audienceIds = await db.CampaignAudiences.AsNoTracking()
            .Where(a => a.CampaignId == campaignId)
            .OrderBy(a => a.AudienceId)
            .Select(a => a.AudienceId)
            .ToListAsync(cancellationToken);
        return view with { AudienceIds = audienceIds };
    }

    public async Task<IReadOnlyList<AudienceOption>> ListAudiencesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // The count per audience is a sum over its (at most eight) AudienceStatistics rows, kept by triggers.
        return await db.Audiences.AsNoTracking()
            .OrderBy(a => a.Name)
            .ThenBy(a => a.Id)
            .Take(MaxAudienceOptions)
            .Select(a => new AudienceOption(a.Id, a.Name, db.AudienceStatistics.Where(s => s.AudienceId == a.Id).Sum(s => s.Members)))
            .ToListAsync(cancellationToken);
    }

    public async Task<CampaignReach?> GetReachAsync(IReadOnlyCollection<long> audienceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audienceIds);
        var ids = audienceIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return CampaignReach.None;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var audiences = await db.Audiences.AsNoTracking()
            .Where(a => ids.Contains(a.Id))
            .OrderBy(a => a.Name)
            .ThenBy(a => a.Id)
            .Select(a => new AudienceOption(a.Id, a.Name, db.AudienceStatistics.Where(s => s.AudienceId == a.Id).Sum(s => s.Members)))
            .ToListAsync(cancellationToken);
        if (audiences.Count != ids.Count)
        {
            return null;
        }

        // Each audience's sendable members (Active, address not suppressed: the same rule as Sendability) are one row
        // of AudienceStatistics, kept by triggers; for one audience that is the exact reach.
        var sendableByAudience = await db.AudienceStatistics.AsNoTracking()
            .Where(s => ids.Contains(s.AudienceId) && s.Status == Sendability.SendableStatus && !s.Suppressed)
            .ToDictionaryAsync(s => s.AudienceId, s => s.Members, cancellationToken);
        var members = audiences.Sum(a => a.Members);
        var sendable = audiences.Sum(a => sendableByAudience.GetValueOrDefault(a.Id));

        // Several audiences: a contact on k of them counts once, so take off the k - 1 repeats. Largest first; each
        // later audience's members are read once (a range of the AudienceMembers key) and probed against the earlier
        // audiences' keys; only the repeats are joined to their contact. The largest audience is never read, and no
        // DISTINCT over all the members is sorted (which took seconds on a million contacts).
        var ordered = audiences.OrderByDescending(a => a.Members).ThenBy(a => a.Id).Select(a => a.Id).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var audienceId = ordered[i];
            var earlier = ordered.Take(i).ToList();
            var repeats = db.AudienceMembers.AsNoTracking()
                .Where(m => m.AudienceId == audienceId
                    && db.AudienceMembers.Any(e => earlier.Contains(e.AudienceId) && e.ContactId == m.ContactId));
            var repeated = await repeats.CountAsync(cancellationToken);
            if (repeated == 0)
            {
                continue;
            }

            members -= repeated;
            sendable -= await repeats
                .Join(db.Contacts, m => m.ContactId, c => c.Id, (_, c) => c)
                .Where(c => c.Status == Sendability.SendableStatus
                    && !db.SuppressionEntries.Any(s => s.Email == c.Email && s.LiftedAt == null))
                .CountAsync(cancellationToken);
        }

        return new CampaignReach(audiences, members, sendable);
    }
}
