using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Data;

/// <summary>Hands out the provider's context as the common <see cref="BounceDbContext"/>.</summary>
internal sealed class BounceDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<BounceDbContext>
    where TContext : BounceDbContext
{
    public BounceDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<BounceDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
