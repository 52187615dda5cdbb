using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>One API key as the admin page lists it (never its hash or secret).</summary>
public sealed record ApiKeyRow(
    long Id,
    string Name,
    string Role,
    string DisplayPrefix,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy)
{
    public bool IsRevoked => RevokedAt is not null;
}

public interface IApiKeyQueries
{
    /// <summary>Every key, newest first (a handful: no paging).</summary>
    Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken cancellationToken = default);
}

public sealed class ApiKeyQueries(IDbContextFactory<BounceDbContext> dbFactory) : IApiKeyQueries
{
    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking()
            .OrderByDescending(k => k.Id)
            .Select(k => new ApiKeyRow(k.Id, k.Name, k.Role, k.DisplayPrefix, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt, k.RevokedBy))
            .ToListAsync(cancellationToken);
    }
}
