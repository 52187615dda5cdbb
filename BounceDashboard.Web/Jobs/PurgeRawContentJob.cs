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
    /// <summary>At most this many messages per transaction.</summary>
    public const int BatchSize = 100;

    /// <summary>
    /// At most this many raw bytes loaded per transaction (a row carries its bytes until they are dropped, and a returned
    /// original with attachments can be megabytes): a batch stops before it would pass this, but always takes one.
    /// </summary>
    public const long BatchBytes = 32L * 1024 * 1024;

    /// <summary>Runs to the end of the backlog; returns how many messages lost their raw bytes.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value.RawRetention;
        var now = time.GetUtcNow();
        var cutoff = now - retention;
        var total = 0;
        while (true)
        {
            var dropped = await runner.RunAsync(
                nameof(PurgeRawContentJob),
                async (db, _, ct) =>
                {
                    // Ids and sizes first, so the batch is cut by bytes before any raw content is loaded.
                    var candidates = await db.InboundMessages
                        .Where(m => m.Outcome == InboundOutcome.Matched && m.RawContent != null && m.ReceivedAt <= cutoff)
                        .OrderBy(m => m.Id)
                        .Select(m => new { m.Id, m.Size })
                        .Take(BatchSize)
                        .ToListAsync(ct);
                    var ids = new List<long>();
                    long bytes = 0;
                    foreach (var candidate in candidates)
                    {
                        if (ids.Count > 0 && bytes + candidate.Size > BatchBytes)
                        {
                            break;
                        }

                        ids.Add(candidate.Id);
                        bytes += candidate.Size;
                    }

                    var batch = await db.InboundMessages.Where(m => ids.Contains(m.Id)).ToListAsync(ct);
                    var count = batch.Count(m => m.DropRawContent(now, retention));
                    await db.SaveChangesAsync(ct);
                    return (count, true);
                },
                cancellationToken);
            if (dropped == 0)
            {
                break;
            }

            total += dropped;
        }

        logger.LogInformation("Raw bytes dropped from {Count} matched inbound messages received before {Cutoff:O}", total, cutoff);
        return total;
    }
}
