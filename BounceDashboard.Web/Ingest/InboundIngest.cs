using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Cli;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Ingest;

/// <summary>
/// Stores every inbound message (polled, read from files, posted) and turns it into bounce events: the message, the
/// engine's reading, one <see cref="BounceEvent"/> per reported recipient and what the rules did with each are committed
/// in one transaction. Replay is harmless: the same source key or the same bytes find the earlier message and return
/// its outcome, and each event's idempotency key is unique.
/// </summary>
/// <remarks>
/// <para>
/// Matching, per message: a VERP or tracking-header token that <see cref="TrackingTokenSigner.TryVerify"/> accepts and
/// that names an existing delivery; otherwise the original Message-ID, when exactly one delivery carries it. A token
/// that fails verification matches nothing by itself (a forged or foreign token). When the report names one recipient,
/// it gets the message's delivery; when it names several, only the one whose address is the delivery's contact does.
/// </para>
/// <para>
/// Event idempotency key: <c>BounceEvent.KeyFor(source, ContentHash, recipient)</c>. The content hash, not the source
/// key, because the same bytes can come back under another key (an IMAP mailbox renumbered under a new UIDVALIDITY,
/// a file saved twice) and must not count twice; <c>reclassify</c> recomputes the same key from the stored message.
/// A report entry without an address is keyed by its position (<c>#1</c>, <c>#2</c>...).
/// </para>
/// </remarks>
public sealed class InboundIngest(
    IDbContextFactory<BounceDbContext> dbFactory,
    DbCommandRunner runner,
    BounceEngine engine,
    BounceCommands bounces,
    TrackingTokenSigner signer,
    TimeProvider time,
    ILogger<InboundIngest> logger)
{
    /// <summary>
    /// Stores and classifies one message in a transaction of its own, run through <see cref="DbCommandRunner"/> (execution
    /// strategy, and again on fresh data after a concurrency conflict: every try re-reads and creates its own entities).
    /// </summary>
    public async Task<IngestResult> IngestAsync(InboundSource source, string sourceKey, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await runner.RunAsync(
            "Ingest",
            async (db, _, ct) => (await IngestAsync(db, source, sourceKey, content, ct), true),
            cancellationToken);

    /// <summary>
    /// Stores and classifies one message on the caller's context and inside the caller's transaction, so a polling job
    /// commits it together with its mailbox watermark. Saves changes; does not commit.
    /// </summary>
    public async Task<IngestResult> IngestAsync(BounceDbContext db, InboundSource source, string sourceKey, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var key = InboundMessage.FitSourceKey(sourceKey);
        var hash = InboundMessage.HashOf(content.Span);
        var (earlier, keyTaken) = await FindEarlierAsync(db, source, key, hash, cancellationToken);
        if (earlier is not null)
        {
            return earlier;
        }

        if (keyTaken)
        {
            // A path (or an mbox position, PATH#N) reused for other bytes: a rotated spool or a drop file written anew.
            // The new message is stored under the path and its hash, so nothing is lost.
            logger.LogWarning("Inbound source key reused by {Source} for other bytes: stored as a new message", source);
            key = InboundMessage.FitSourceKey($"{key} sha256:{hash[..16]}");
        }

        var message = InboundMessage.Receive(source, key, content.Span, time.GetUtcNow());
        db.InboundMessages.Add(message);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent delivery of the same message may have stored it first, and a unique index refused ours.
            db.Entry(message).State = EntityState.Detached;
            if ((await FindEarlierAsync(db, source, key, hash, cancellationToken)).Earlier is { } concurrent)
            {
                return concurrent;
            }

            throw;
        }

        var result = await ClassifyAsync(db, message, content, isNew: true, cancellationToken);

        // One line per message at Debug (a run of thousands stays readable); callers log a summary per run or poll.
        logger.LogDebug(
            "Stored inbound message {InboundMessageId} from {Source}: {Outcome}, {EventCount} events",
            message.Id, source, result.Outcome, result.Recipients.Count);
        return result with { Changed = true };
    }

    /// <summary>
    /// Stores and classifies several messages in one transaction (one commit for all: the command line's ingest), each
    /// exactly as <see cref="IngestAsync(InboundSource, string, ReadOnlyMemory{byte}, CancellationToken)"/> would. When
    /// any message of the batch fails, the whole transaction is rolled back and the batch is stored again one message
    /// per transaction, so the others are not lost: a message the entity refuses (<see cref="DomainException"/>) gets
    /// its error in its place, and any other failure is thrown after the messages before it were committed.
    /// </summary>
    public async Task<IReadOnlyList<IngestAttempt>> IngestBatchAsync(IReadOnlyList<InboundItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count > 1)
        {
            try
            {
                return await runner.RunAsync(
                    "IngestBatch",
                    async (db, _, ct) =>
                    {
                        var results = new List<IngestAttempt>(items.Count);
                        foreach (var item in items)
                        {
                            results.Add(new IngestAttempt(await IngestAsync(db, item.Source, item.SourceKey, item.Content, ct), null));

                            // Each message reads what it needs; earlier messages' entities would only slow change detection.
                            db.ChangeTracker.Clear();
                        }

                        return ((IReadOnlyList<IngestAttempt>)results, true);
                    },
                    cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The type only: a message can quote what it refused.
                logger.LogWarning("Ingest of a batch of {Count} messages failed ({Error}): storing them one by one", items.Count, ex.GetType().Name);
            }
        }

        var oneByOne = new List<IngestAttempt>(items.Count);
        foreach (var item in items)
        {
            try
            {
                oneByOne.Add(new IngestAttempt(await IngestAsync(item.Source, item.SourceKey, item.Content, cancellationToken), null));
            }
            catch (DomainException ex)
            {
                oneByOne.Add(new IngestAttempt(null, ex));
            }
        }

        return oneByOne;
    }

    /// <summary>
    /// The ids of the stored messages that still have their raw bytes and fall in <paramref name="scope"/>, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<long>> FindToReclassifyAsync(ReclassifyScope scope, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var messages = db.InboundMessages.Where(m => m.RawContent != null);
        messages = scope switch
        {
            ReclassifyScope.Stale => messages.Where(m => m.EngineVersion == null || m.EngineVersion != EngineVersion.Current),
            ReclassifyScope.All => messages,
            ReclassifyScope.Unparsed => messages.Where(m => m.Outcome == InboundOutcome.Unparseable),
            ReclassifyScope.Unmatched => messages.Where(m => m.Outcome == InboundOutcome.Unmatched || m.Outcome == InboundOutcome.NoRecipients),
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown reclassify scope."),
        };
        return await messages.OrderBy(m => m.Id).Select(m => m.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Re-runs the engine over one stored message, in a transaction of its own, and brings its events up to date: an
    /// event not yet applied takes the new reading (and a delivery when it now matches one) and is offered to the rules;
    /// a recipient newly found gets a new event; an event already applied is left as it was applied. Events of
    /// recipients the new reading no longer names are kept (they are history). Returns null when the message's raw
    /// bytes are gone.
    /// </summary>
    public async Task<IngestResult?> ReclassifyAsync(long inboundMessageId, CancellationToken cancellationToken = default) =>
        await runner.RunAsync(
            "Reclassify",
            async (db, _, ct) =>
            {
                var message = await db.InboundMessages.SingleOrDefaultAsync(m => m.Id == inboundMessageId, ct)
                    ?? throw new DomainException($"Inbound message {inboundMessageId} does not exist.");
                if (message.RawContent is not { } raw)
                {
                    return ((IngestResult?)null, false);
                }

                var result = await ClassifyAsync(db, message, raw, isNew: false, ct);
                if (result.Changed)
                {
                    logger.LogInformation(
                        "Reclassified inbound message {InboundMessageId}: {Outcome}, {EventCount} events",
                        message.Id, result.Outcome, result.Recipients.Count);
                }

                return (result, true);
            },
            cancellationToken);

    private async Task<IngestResult> ClassifyAsync(BounceDbContext db, InboundMessage message, ReadOnlyMemory<byte> content, bool isNew, CancellationToken cancellationToken)
    {
        if (!engine.TryParseSafely(content, cancellationToken, out var report))
        {
            // The engine broke its promise not to throw; the message is kept as unparseable with the exception's text.
            logger.LogWarning("The bounce engine threw on inbound message {InboundMessageId}: {Error}", message.Id, report.Error);
        }

        // A message stored a moment ago has no events yet; a stored one being reclassified may.
        var events = isNew ? [] : await db.BounceEvents.Where(e => e.InboundMessageId == message.Id).ToListAsync(cancellationToken);
        var byKey = events.ToDictionary(e => e.IdempotencyKey, StringComparer.Ordinal);
        var match = await MatchAsync(db, report.Match, cancellationToken);
        var source = ToBounceSource(message.Source);
        var recipients = new List<IngestedRecipient>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var changed = false;
        var allMatched = true;
        for (var i = 0; i < report.Recipients.Count; i++)
        {
            var recipient = report.Recipients[i];
            var key = BounceEvent.KeyFor(source, message.ContentHash, RecipientKey(recipient, i));
            if (!seen.Add(key))
            {
                continue;
            }

            var deliveryId = DeliveryFor(match, recipient, report.Recipients.Count);
            if (deliveryId is { } matched && !byKey.ContainsKey(key) && events.Exists(e => e.DeliveryId == matched && e.IsApplied))
            {
                // A newer reading names the recipient differently (a re-classification): the delivery already had this
                // message's report applied once, so the new event waits for review instead of applying it again.
                deliveryId = null;
            }

            BounceEvent bounce;
            if (byKey.TryGetValue(key, out var existing))
            {
                bounce = existing;

                // What the rules applied stays as applied, and what an admin dismissed stays dismissed.
                if (bounce.State is BounceEventState.Pending or BounceEventState.AwaitingMatch)
                {
                    changed |= bounce.UpdateReading(report.Kind, recipient);
                    if (deliveryId is { } id && bounce.DeliveryId is null)
                    {
                        bounce.MatchTo(id);
                        changed = true;
                    }

                    if (bounce.DeliveryId is not null)
                    {
                        await bounces.ApplyPendingAsync(db, bounce, cancellationToken);
                        changed |= bounce.IsApplied;
                    }
                }
            }
            else
            {
                bounce = BounceEvent.FromReport(
                    report, recipient, source, message.ReceivedAt, key, deliveryId: deliveryId, rawMessageRef: message.SourceKey, inboundMessageId: message.Id);
                var recorded = await bounces.RecordAsync(db, bounce, cancellationToken);
                if (recorded.Duplicate)
                {
                    // The key was stored by an event of no message of ours (an older import): report that one.
                    bounce = await db.BounceEvents.SingleAsync(e => e.Id == recorded.BounceEventId, cancellationToken);
                }

                changed = true;
            }

            allMatched &= bounce.DeliveryId is not null;
            recipients.Add(new IngestedRecipient(
                bounce.Recipient, bounce.Id, bounce.DeliveryId, bounce.IsApplied, bounce.Effect ?? BounceEffect.None, bounce.Reason));
        }

        var outcome = report.Kind switch
        {
            MessageKind.Unparseable => InboundOutcome.Unparseable,
            _ when recipients.Count == 0 => report.Kind == MessageKind.NotABounce ? InboundOutcome.NotABounce : InboundOutcome.NoRecipients,
            _ => allMatched ? InboundOutcome.Matched : InboundOutcome.Unmatched,
        };
        changed |= message.RecordClassification(outcome, report.Kind, report.Format, report.Error, EngineVersion.Current, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return new IngestResult(message.Id, Duplicate: false, changed, outcome, message.Kind, message.Format, message.Error, recipients);
    }

    /// <summary>The delivery the message's evidence names, with its contact's address.</summary>
    private async Task<(long DeliveryId, string Email)?> MatchAsync(BounceDbContext db, BounceMatch match, CancellationToken cancellationToken)
    {
        foreach (var token in new[] { match.VerpToken, match.TrackingToken }.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (signer.TryVerify(token, out var deliveryId)
                && await DeliveriesWithContact(db, db.Deliveries.Where(d => d.Id == deliveryId)).SingleOrDefaultAsync(cancellationToken) is { } byToken)
            {
                return (byToken.DeliveryId, byToken.Email);
            }
        }

        if (match.OriginalMessageId is { Length: > 0 } messageId)
        {
            // Deliveries store the Message-ID with its angle brackets; the engine reports it without.
            var bracketed = $"<{messageId}>";
            var byMessageId = await DeliveriesWithContact(db, db.Deliveries.Where(d => d.MessageId == bracketed || d.MessageId == messageId).OrderBy(d => d.Id))
                .Take(2)
                .ToListAsync(cancellationToken);
            if (byMessageId.Count == 1)
            {
                return (byMessageId[0].DeliveryId, byMessageId[0].Email);
            }
        }

        return null;
    }

    private static IQueryable<DeliveryContact> DeliveriesWithContact(BounceDbContext db, IQueryable<Domain.Deliveries.Delivery> deliveries) =>
        deliveries.Join(db.Contacts, d => d.ContactId, c => c.Id, (d, c) => new DeliveryContact(d.Id, c.Email));

    private static long? DeliveryFor((long DeliveryId, string Email)? match, BounceRecipient recipient, int recipientCount)
    {
        if (match is not { } found)
        {
            return null;
        }

        // One message of ours goes to one contact: a lone recipient is that contact (perhaps forwarded elsewhere), and
        // of several only the contact's own address is.
        return recipientCount == 1 || (EmailAddress.TryNormalize(recipient.Address, out var address) && address == found.Email)
            ? found.DeliveryId
            : null;
    }

    private static string RecipientKey(BounceRecipient recipient, int index) =>
        string.IsNullOrWhiteSpace(recipient.Address) ? $"#{index + 1}" : recipient.Address;

    /// <summary>Every mailbox-like source makes a mailbox event; the API and webhooks keep their own.</summary>
    private static BounceSource ToBounceSource(InboundSource source) => source switch
    {
        InboundSource.Imap or InboundSource.Pop3 or InboundSource.File => BounceSource.Mailbox,
        InboundSource.Api => BounceSource.Api,
        InboundSource.Webhook => BounceSource.Webhook,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown inbound source."),
    };

    /// <summary>
    /// IMAP (mailbox, UIDVALIDITY, UID) and POP3 (UIDL) keys never name another message, so the same key is a replay
    /// whatever the bytes; a file path, an mbox position or an API key can be reused for a new message.
    /// </summary>
    private static bool IsReplayOnSameKey(InboundSource source) => source is InboundSource.Imap or InboundSource.Pop3;

    /// <summary>
    /// One query for both questions: the earlier message that makes this one a replay (same bytes, or the same key where a
    /// key never names another message), and whether the source key is already taken by other bytes.
    /// </summary>
    private static async Task<(IngestResult? Earlier, bool KeyTaken)> FindEarlierAsync(BounceDbContext db, InboundSource source, string sourceKey, string contentHash, CancellationToken cancellationToken)
    {
        var sameKeyIsReplay = IsReplayOnSameKey(source);
        var candidates = await db.InboundMessages.AsNoTracking()
            .Where(m => (m.Source == source && m.SourceKey == sourceKey) || m.ContentHash == contentHash)
            .OrderBy(m => m.Id)
            .Select(m => new { m.Id, m.Source, m.SourceKey, m.ContentHash, m.Outcome, m.Kind, m.Format, m.Error })
            .Take(2)
            .ToListAsync(cancellationToken);
        var earlier = candidates.Find(m => m.ContentHash == contentHash || sameKeyIsReplay);
        if (earlier is null)
        {
            return (null, candidates.Count > 0);
        }

        var recipients = await db.BounceEvents.AsNoTracking()
            .Where(e => e.InboundMessageId == earlier.Id)
            .OrderBy(e => e.Id)
            .Select(e => new IngestedRecipient(e.Recipient, e.Id, e.DeliveryId, e.AppliedAt != null, e.Effect ?? BounceEffect.None, e.Reason))
            .ToListAsync(cancellationToken);
        return (new IngestResult(earlier.Id, Duplicate: true, Changed: false, earlier.Outcome, earlier.Kind, earlier.Format, earlier.Error, recipients), false);
    }

    private sealed record DeliveryContact(long DeliveryId, string Email);
}
