using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>What the anonymous tracking endpoints read before they record anything.</summary>
public interface ITrackingQueries
{
    /// <summary>True when the delivery exists.</summary>
    Task<bool> DeliveryExistsAsync(long deliveryId, CancellationToken cancellationToken = default);

    /// <summary>The URL of link number <paramref name="link"/> of the delivery's campaign, or null when it has none.</summary>
    Task<string?> LinkUrlAsync(long deliveryId, int link, CancellationToken cancellationToken = default);
}

/// <summary>One small indexed query each (deliveries by id; campaign links by campaign and number).</summary>
public sealed class TrackingQueries(IDbContextFactory<BounceDbContext> dbFactory) : ITrackingQueries
{
    public async Task<bool> DeliveryExistsAsync(long deliveryId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deliveries.AnyAsync(d => d.Id == deliveryId, cancellationToken);
    }

    public async Task<string?> LinkUrlAsync(long deliveryId, int link, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await (
            from d in db.Deliveries
            join l in db.CampaignLinks on d.CampaignId equals l.CampaignId
            where d.Id == deliveryId && l.Number == link
            select l.Url).SingleOrDefaultAsync(cancellationToken);
    }
}
