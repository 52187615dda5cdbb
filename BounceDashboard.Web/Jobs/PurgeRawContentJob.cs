using BounceDashboard.Domain.Inbound;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Jobs;

/// <summary>
/// Drops the raw bytes of matched inbound messages older than <see cref="InboundOptions.RawRetentionDays"/>, in batches,
/// through the domain's own rule (<see cref="InboundMessage.DropRawContent"/>): unmatched, unparseable and
/// recipient-less messages keep theirs. Safe to run twice or concurrently: a dropped message no longer qualifies, and
/// each batch is one transaction through <see cref="DbCommandRunner"/>.
/// </summary>
public sealed class PurgeRawContentJob(
    DbCommandRunner runner,
    IOptions<InboundOptions> options,
    TimeProvider time,
    ILogger<PurgeRawContentJob> logger)
{
    /// <summary>Messages per transaction: bounds the memory a batch holds (each row carries its bytes until dropped).</summary>
    public const int BatchSize = 100;

    /// <summary>Runs to the end of the backlog; returns how many messages lost their raw bytes.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value.RawRetention;
        var now = time.GetUtcNow();
        var cutoff = now - retention;
        var total = 0;
        int dropped;
        do
        {
            dropped = await runner.RunAsync(
                nameof(PurgeRawContentJob),
                async (db, _, ct) =>
                {
                    var batch = await db.InboundMessages
                        .Where(m => m.Outcome == InboundOutcome.Matched && m.RawContent != null && m.ReceivedAt <= cutoff)
                        .OrderBy(m => m.Id)
                        .Take(BatchSize)
                        .ToListAsync(ct);
                    var count = batch.Count(m => m.DropRawContent(now, retention));
                    await db.SaveChangesAsync(ct);
                    return (count, true);
                },
                cancellationToken);
            total += dropped;
        }
        while (dropped == BatchSize);

        logger.LogInformation("Raw bytes dropped from {Count} matched inbound messages received before {Cutoff:O}", total, cutoff);
        return total;
    }
}
