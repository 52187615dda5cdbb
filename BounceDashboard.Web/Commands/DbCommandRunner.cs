using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Commands;

/// <summary>
/// Runs one command's unit of work: a fresh context, a transaction begun inside the provider's execution strategy (SQL
/// Server retries transient failures, and EF then requires user transactions to run through it), committed when the
/// work returns. A concurrency conflict (a contact or delivery changed by another command since it was read:
/// <see cref="DbUpdateConcurrencyException"/>) rolls back and runs the whole unit again on fresh data, up to
/// <see cref="MaxAttempts"/> times, so two events for one contact never lose an update.
/// </summary>
/// <remarks>
/// The work must be safe to run again: it reads everything it changes through the context it is given, and never
/// reuses an entity instance that a failed try already added (see <c>BounceEvent.CopyAsNew</c>). Work that returns
/// without committing (a refusal) simply returns: the transaction is rolled back on dispose.
/// </remarks>
public sealed class DbCommandRunner(IDbContextFactory<BounceDbContext> dbFactory, ILogger<DbCommandRunner> logger)
{
    public const int MaxAttempts = 5;

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction; it is given the context and the try's number (1 for the first),
    /// and returns the result and whether to commit.
    /// </summary>
    public async Task<T> RunAsync<T>(
        string command,
        Func<BounceDbContext, int, CancellationToken, Task<(T Result, bool Commit)>> work,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var tries = 0;
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var strategy = db.Database.CreateExecutionStrategy();
            try
            {
                return await strategy.ExecuteAsync(
                    async ct =>
                    {
                        // A transient retry by the strategy starts from a clean context, like a conflict retry does.
                        db.ChangeTracker.Clear();
                        await using var transaction = await db.Database.BeginTransactionAsync(ct);
                        var (result, commit) = await work(db, ++tries, ct);
                        if (commit)
                        {
                            await transaction.CommitAsync(ct);
                        }

                        return result;
                    },
                    cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.LogInformation("{Command}: concurrency conflict on try {Attempt}, running again on fresh data", command, attempt);
            }
        }
    }
}
