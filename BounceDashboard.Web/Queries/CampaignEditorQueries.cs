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
    long? AudienceId,
    DateTimeOffset? ScheduledFor)
{
    /// <summary>Only a Draft is edited in the editor (a Scheduled one is unscheduled first).</summary>
    public bool IsDraft => State == CampaignState.Draft;
}

/// <summary>An audience the editor offers, with how many contacts are on it.</summary>
public sealed record AudienceOption(long Id, string Name, int Members);

/// <summary>How many of an audience's members a send would reach (Active, address not suppressed).</summary>
public sealed record AudienceReach(long Id, string Name, int Members, int Sendable);

public interface ICampaignEditorQueries
{
    /// <summary>The campaign to edit, or null when there is none with that id.</summary>
    Task<CampaignDraftView?> GetAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>The audiences to choose from, by name, with member counts (at most <see cref="CampaignEditorQueries.MaxAudienceOptions"/>).</summary>
    Task<IReadOnlyList<AudienceOption>> ListAudiencesAsync(CancellationToken cancellationToken = default);

    /// <summary>The audience's member and sendable counts, for the send-now confirmation; null when it does not exist.</summary>
    Task<AudienceReach?> GetReachAsync(long audienceId, CancellationToken cancellationToken = default);
}

/// <summary>The campaign editor's read side: one campaign by key, the audience list with counts, one audience's reach.</summary>
public sealed class CampaignEditorQueries(IDbContextFactory<BounceDbContext> dbFactory) : ICampaignEditorQueries
{
    /// <summary>Most audiences the select lists; the audiences page is the place to browse more.</summary>
    public const int MaxAudienceOptions = 500;

    public async Task<CampaignDraftView?> GetAsync(long campaignId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Campaigns.AsNoTracking()
            .Where(c => c.Id == campaignId)
            .Select(c => new CampaignDraftView(
                c.Id, c.Name, c.Kind, c.State, c.FromAddress, c.FromName, c.Subject, c.HtmlBody, c.TextBody, c.AudienceId, c.ScheduledFor))
            .SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AudienceOption>> ListAudiencesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // The count per audience is a range of the AudienceMembers primary key (AudienceId, ContactId).
        return await db.Audiences.AsNoTracking()
            .OrderBy(a => a.Name)
            .ThenBy(a => a.Id)
            .Take(MaxAudienceOptions)
            .Select(a => new AudienceOption(a.Id, a.Name, db.AudienceMembers.Count(m => m.AudienceId == a.Id)))
            .ToListAsync(cancellationToken);
    }

    public async Task<AudienceReach?> GetReachAsync(long audienceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var audience = await db.Audiences.AsNoTracking()
            .Where(a => a.Id == audienceId)
            .Select(a => new { a.Id, a.Name, Members = db.AudienceMembers.Count(m => m.AudienceId == a.Id) })
            .SingleOrDefaultAsync(cancellationToken);
        if (audience is null)
        {
            return null;
        }

        // The same rule as Sendability, in SQL: an Active contact whose address has no suppression entry in force.
        var sendable = await db.AudienceMembers.AsNoTracking()
            .Where(m => m.AudienceId == audienceId)
            .Join(db.Contacts, m => m.ContactId, c => c.Id, (_, c) => c)
            .Where(c => c.Status == Sendability.SendableStatus
                && !db.SuppressionEntries.Any(s => s.Email == c.Email && s.LiftedAt == null))
            .CountAsync(cancellationToken);
        return new AudienceReach(audience.Id, audience.Name, audience.Members, sendable);
    }
}
