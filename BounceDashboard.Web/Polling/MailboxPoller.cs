using BounceDashboard.Domain.Inbound;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Ingest;
using BounceDashboard.Web.Options;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Polling;

/// <summary>
/// What the three mailbox readers (IMAP, POP3, Maildir) share: each message is stored through <see cref="InboundIngest"/>
/// in one <see cref="DbCommandRunner"/> unit, with the IMAP watermark advanced in the same transaction; the stored
/// outcomes of keys still in the mailbox (a bounce committed by a poll that crashed before moving it, a kept non-bounce);
/// and the watermark's success and failure.
/// </summary>
public sealed class MailboxPoller(DbCommandRunner runner, InboundIngest ingest, TimeProvider time)
{
    /// <summary>Keys looked up per query (SQL Server allows 2,100 parameters).</summary>
    private const int KeyBatch = 500;

    /// <summary>
    /// Mail that is not a bounce is never deleted: it stays in the mailbox (or goes to the not-bounce folder). A
    /// message still <see cref="InboundOutcome.Pending"/> (a crash inside the ingest, never committed) is kept too.
    /// </summary>
    public static bool IsKept(InboundOutcome outcome) => outcome is InboundOutcome.NotABounce or InboundOutcome.Pending;

    /// <summary>The IMAP watermark (UIDVALIDITY, last UID) of a mailbox; null before its first successful poll.</summary>
    public async Task<(long? UidValidity, long LastUid)> ReadWatermarkAsync(string mailboxName, CancellationToken cancellationToken) =>
        await runner.RunAsync(
            "ReadMailboxWatermark",
            async (db, _, ct) =>
            {
                var watermark = await db.MailboxWatermarks.AsNoTracking().SingleOrDefaultAsync(w => w.MailboxName == mailboxName, ct);
                return ((watermark?.UidValidity, watermark?.LastUid ?? 0), false);
            },
            cancellationToken);

    /// <summary>
    /// Stores one message and, for IMAP (<paramref name="imapUid"/> given), advances the watermark to its UID, in one
    /// transaction: a crash before the commit re-reads the message, a crash after it finds its key stored.
    /// </summary>
    public async Task<IngestResult> IngestAsync(
        MailboxOptions mailbox,
        string sourceKey,
        ReadOnlyMemory<byte> content,
        (long UidValidity, long Uid)? imapUid,
        CancellationToken cancellationToken) =>
        await ingest.NotifiedAsync(await runner.RunAsync(
            "PollMailbox",
            async (db, _, ct) =>
            {
                var result = await ingest.IngestAsync(db, mailbox.Source, sourceKey, content, ct);
                if (imapUid is { } position)
                {
                    var watermark = await GetOrCreateWatermarkAsync(db, mailbox.Name, ct);
                    var floor = watermark.UidValidity == position.UidValidity ? watermark.LastUid : 0;
                    watermark.AdvanceWatermark(position.UidValidity, Math.Max(floor, position.Uid), time.GetUtcNow());
                    await db.SaveChangesAsync(ct);
                }

                return (result, true);
            },
            cancellationToken));

    /// <summary>
    /// The outcome of one message of a POP3 or Maildir poll: the one stored under its key (not downloaded again), else
    /// what storing the content <paramref name="download"/> returns gives (counted in <paramref name="tally"/>). Null
    /// when the message is gone before it could be read.
    /// </summary>
    public async Task<InboundOutcome?> OutcomeOfAsync(
        MailboxOptions mailbox,
        string sourceKey,
        IReadOnlyDictionary<string, InboundOutcome> stored,
        Func<CancellationToken, Task<byte[]?>> download,
        PollTally tally,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(download);
        ArgumentNullException.ThrowIfNull(tally);
        if (stored.TryGetValue(sourceKey, out var outcome))
        {
            return outcome;
        }

        if (await download(cancellationToken) is not { } content)
        {
            return null;
        }

        var result = await IngestAsync(mailbox, sourceKey, content, imapUid: null, cancellationToken);
        tally.Ingested(result);
        return result.Outcome;
    }

    /// <summary>The outcome stored under each of <paramref name="sourceKeys"/> that is stored.</summary>
    public async Task<Dictionary<string, InboundOutcome>> FindStoredAsync(InboundSource source, IReadOnlyCollection<string> sourceKeys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, InboundOutcome>(StringComparer.Ordinal);
        foreach (var batch in sourceKeys.Select(InboundMessage.FitSourceKey).Distinct(StringComparer.Ordinal).Chunk(KeyBatch))
        {
            var rows = await runner.RunAsync(
                "FindStoredInbound",
                async (db, _, ct) => (await db.InboundMessages.AsNoTracking()
                    .Where(m => m.Source == source && batch.Contains(m.SourceKey))
                    .Select(m => new { m.SourceKey, m.Outcome })
                    .ToListAsync(ct), false),
                cancellationToken);
            foreach (var row in rows)
            {
                found[row.SourceKey] = row.Outcome;
            }
        }

        return sourceKeys.Where(k => found.ContainsKey(InboundMessage.FitSourceKey(k)))
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(k => k, k => found[InboundMessage.FitSourceKey(k)], StringComparer.Ordinal);
    }

    /// <summary>
    /// Records a successful poll: for IMAP the watermark under the folder's UIDVALIDITY (starting again at 0 under a
    /// new one); the time, the messages read and the backlog; the backoff ends.
    /// </summary>
    public async Task RecordSuccessAsync(string mailboxName, long? uidValidity, PollTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tally);
        await runner.RunAsync(
            "PollMailboxSucceeded",
            async (db, _, ct) =>
            {
                var watermark = await GetOrCreateWatermarkAsync(db, mailboxName, ct);
                if (uidValidity is { } validity)
                {
                    watermark.AdvanceWatermark(validity, watermark.UidValidity == validity ? watermark.LastUid : 0, time.GetUtcNow());
                }

                watermark.RecordPoll(time.GetUtcNow(), tally.Read, tally.Backlog);
                await db.SaveChangesAsync(ct);
                return (true, true);
            },
            cancellationToken);
    }

    /// <summary>
    /// Records a failed poll on the watermark (which stays where it was): the error, what the poll read and left
    /// waiting, and the next try after the mailbox's backoff (<see cref="MailboxOptions.MaxRetryDelay"/>).
    /// </summary>
    public async Task RecordFailureAsync(MailboxOptions mailbox, string error, PollTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(tally);
        await runner.RunAsync(
            "PollMailboxFailed",
            async (db, _, ct) =>
            {
                var watermark = await GetOrCreateWatermarkAsync(db, mailbox.Name, ct);
                watermark.CountMessages(tally.Read, tally.Backlog);
                watermark.RecordFailure(error, time.GetUtcNow(), mailbox.PollInterval, mailbox.RetryCap);
                await db.SaveChangesAsync(ct);
                return (true, true);
            },
            cancellationToken);
    }

    /// <summary>Whether the mailbox may be polled now, or waits out the backoff after a failure (and until when).</summary>
    public async Task<(bool Due, DateTimeOffset? NextPollAt)> IsDueAsync(MailboxOptions mailbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        return await runner.RunAsync(
            "ReadMailboxBackoff",
            async (db, _, ct) =>
            {
                var watermark = await db.MailboxWatermarks.AsNoTracking().SingleOrDefaultAsync(w => w.MailboxName == mailbox.Name, ct);
                var due = watermark is null || watermark.IsDue(time.GetUtcNow(), mailbox.BackoffSlack);
                return ((due, watermark?.NextPollAt), false);
            },
            cancellationToken);
    }

    private static async Task<MailboxWatermark> GetOrCreateWatermarkAsync(BounceDbContext db, string mailboxName, CancellationToken cancellationToken)
    {
        var watermark = await db.MailboxWatermarks.SingleOrDefaultAsync(w => w.MailboxName == mailboxName, cancellationToken);
        if (watermark is null)
        {
            watermark = MailboxWatermark.Create(mailboxName);
            db.MailboxWatermarks.Add(watermark);
        }

        return watermark;
    }
}
