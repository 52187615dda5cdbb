using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Cli;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Notifications;
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
    ILogger<InboundIngest> logger,
    DashboardNotifier? notifier = null)
{
    /// <summary>
    /// Stores and classifies one message in a transaction of its own, run through <see cref="DbCommandRunner"/> (execution
    /// strategy, and again on fresh data after a concurrency conflict: every try re-reads and creates its own entities).
    /// </summary>
    public async Task<IngestResult> IngestAsync(InboundSource source, string sourceKey, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await NotifiedAsync(await runner.RunAsync(
            "Ingest",
            async (db, _, ct) => (await IngestAsync(db, source, sourceKey, content, ct), true),
            cancellationToken));

    /// <summary>Tells open pages (<see cref="DashboardNotifier"/>) about a committed message that changed something.</summary>
    public async Task<IngestResult> NotifiedAsync(IngestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Changed)
        {
            await notifier.NotifyIfPresentAsync(campaignId: null);
        }

        return result;
    }

    /// <summary>
    /// Stores and classifies one message on the caller's context and inside the caller's transaction, so a polling job
    /// commits it together with its mailbox watermark. Saves changes; does not commit.
    /// </summary>
    public async Task<IngestResult> IngestAsync(BounceDbContext db, InboundSource source, string sourceKey, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return (await StoreAllAsync(db, [new InboundItem(source, sourceKey, content)], cancellationToken))[0];
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
                var batch = await runner.RunAsync(
                    "IngestBatch",
                    async (db, _, ct) =>
                    {
                        var results = await StoreAllAsync(db, items, ct);
                        return ((IReadOnlyList<IngestAttempt>)results.ConvertAll(r => new IngestAttempt(r, null)), true);
                    },
                    cancellationToken);
                await notifier.NotifyIfPresentAsync(campaignId: null);
                return batch;
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
            // A message an admin dismissed in the review queue is re-read only when asked for (--all).
            ReclassifyScope.Stale => messages.Where(m => (m.EngineVersion == null || m.EngineVersion != EngineVersion.Current) && m.Outcome != InboundOutcome.Dismissed),
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

                var result = await ReadAgainAsync(db, message, raw, ct);
                if (result.Changed)
                {
                    logger.LogInformation(
                        "Reclassified inbound message {InboundMessageId}: {Outcome}, {EventCount} events",
                        message.Id, result.Outcome, result.Recipients.Count);
                }

                return (result, true);
            },
            cancellationToken);

    /// <summary>
    /// Stores the messages on <paramref name="db"/>, in order, each as <see cref="IngestAsync(BounceDbContext, InboundSource, string, ReadOnlyMemory{byte}, CancellationToken)"/>
    /// promises; saves, does not commit. A message whose bytes or source key repeat an earlier one of the same call waits
    /// for a second round, after the first is saved, so it finds that one (and counts as its duplicate).
    /// </summary>
    private async Task<List<IngestResult>> StoreAllAsync(BounceDbContext db, IReadOnlyList<InboundItem> items, CancellationToken cancellationToken)
    {
        var arrivals = new List<Arrival>(items.Count);
        var firstRound = new List<Arrival>(items.Count);
        var laterRound = new List<InboundItem>();
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<(InboundSource, string)>();
        foreach (var item in items)
        {
            var arrival = new Arrival(item, InboundMessage.FitSourceKey(item.SourceKey), InboundMessage.HashOf(item.Content.Span));
            arrivals.Add(arrival);
            if (hashes.Add(arrival.Hash) & keys.Add((item.Source, arrival.Key)))
            {
                firstRound.Add(arrival);
            }
            else
            {
                laterRound.Add(item);
            }
        }

        var results = await StoreRoundAsync(db, firstRound, cancellationToken);
        if (laterRound.Count > 0)
        {
            var later = await StoreAllAsync(db, laterRound, cancellationToken);
            var next = 0;
            foreach (var arrival in arrivals)
            {
                if (!results.ContainsKey(arrival))
                {
                    results[arrival] = later[next++];
                }
            }
        }

        return arrivals.ConvertAll(a => results[a]);
    }

    /// <summary>
    /// Stores messages of distinct bytes and keys. Every lookup is made once for the round (which are stored already,
    /// which deliveries their tokens, Message-IDs and addresses name, which event keys exist), the new messages are
    /// inserted, already classified, by one save, and their unmatched events by the next; a matched event is recorded and
    /// applied through <see cref="BounceCommands.RecordAsync(BounceDbContext, BounceEvent, CancellationToken)"/>, as any other source's.
    /// </summary>
    private async Task<Dictionary<Arrival, IngestResult>> StoreRoundAsync(BounceDbContext db, List<Arrival> arrivals, CancellationToken cancellationToken)
    {
        var results = new Dictionary<Arrival, IngestResult>(ReferenceEqualityComparer.Instance);
        var stored = await FindStoredAsync(db, arrivals, cancellationToken);
        var earlier = new List<(Arrival Arrival, StoredMessage Message)>();
        var fresh = new List<NewMessage>(arrivals.Count);
        foreach (var arrival in arrivals)
        {
            var (found, keyTaken) = Earlier(arrival, stored);
            if (found is not null)
            {
                earlier.Add((arrival, found));
                continue;
            }

            var key = arrival.Key;
            if (keyTaken)
            {
                // A path (or an mbox position, PATH#N) reused for other bytes: a rotated spool or a drop file written anew.
                // The new message is stored under the path and its hash, so nothing is lost.
                logger.LogWarning("Inbound source key reused by {Source} for other bytes: stored as a new message", arrival.Item.Source);
                key = InboundMessage.FitSourceKey($"{key} sha256:{arrival.Hash[..16]}");
            }

            fresh.Add(Read(arrival, key));
        }

        foreach (var (arrival, result) in await EarlierResultsAsync(db, earlier, cancellationToken))
        {
            results[arrival] = result;
        }

        if (fresh.Count == 0)
        {
            return results;
        }

        var matches = await MatchAllAsync(db, fresh.ConvertAll(f => f.Reading), cancellationToken);
        var plans = fresh.Select((f, i) => Plan(f.Reading.Report, ToBounceSource(f.Arrival.Item.Source), f.Arrival.Hash, matches[i])).ToList();
        var keysOfEvents = plans.SelectMany(p => p).Select(p => p.Key).ToList();
        var storedEvents = keysOfEvents.Count == 0
            ? []
            : await db.BounceEvents.AsNoTracking()
                .Where(e => keysOfEvents.Contains(e.IdempotencyKey))
                .Select(e => new { e.IdempotencyKey, Recipient = new IngestedRecipient(e.Recipient, e.Id, e.DeliveryId, e.AppliedAt != null, e.Effect ?? BounceEffect.None, e.Reason) })
                .ToDictionaryAsync(e => e.IdempotencyKey, e => e.Recipient, StringComparer.Ordinal, cancellationToken);

        // The messages first, read and classified: their ids are the events' foreign keys.
        var messages = new List<InboundMessage>(fresh.Count);
        for (var i = 0; i < fresh.Count; i++)
        {
            var (_, message, reading) = fresh[i];
            var report = reading.Report;
            var outcome = report.Kind switch
            {
                MessageKind.Unparseable => InboundOutcome.Unparseable,
                _ when plans[i].Count == 0 => report.Kind is MessageKind.NotABounce or MessageKind.Challenge ? InboundOutcome.NotABounce : InboundOutcome.NoRecipients,
                _ => plans[i].TrueForAll(p => (storedEvents.TryGetValue(p.Key, out var e) ? e.DeliveryId : p.DeliveryId) is not null)
                    ? InboundOutcome.Matched
                    : InboundOutcome.Unmatched,
            };
            message.RecordClassification(outcome, report.Kind, report.Format, report.Error, EngineVersion.Current, reading.ReceivedAt);
            messages.Add(message);
        }

        // A batch on SQLite skips the change tracker: the rows go in through a prepared INSERT on the round's own
        // transaction (a failure rolls the batch back like a failed save, and it is stored again one by one, below).
        using var messageInserter = messages.Count > 1 ? SqliteRowInserter<InboundMessage>.TryCreate(db) : null;
        using var eventInserter = messageInserter is null ? null : SqliteRowInserter<BounceEvent>.TryCreate(db);
        var messageIds = new long[messages.Count];
        var insertedEvents = new Dictionary<BounceEvent, long>(ReferenceEqualityComparer.Instance);
        if (messageInserter is not null)
        {
            for (var i = 0; i < messages.Count; i++)
            {
                messageIds[i] = messageInserter.Insert(messages[i]);
            }
        }
        else
        {
            db.InboundMessages.AddRange(messages);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (messages.Count == 1)
        {
            // A concurrent delivery of the same message may have stored it first, and a unique index refused ours. (A batch
            // is rolled back and stored again one message at a time, which comes here.)
            db.Entry(messages[0]).State = EntityState.Detached;
            var arrival = fresh[0].Arrival;
            if (Earlier(arrival, await FindStoredAsync(db, [arrival], cancellationToken)).Earlier is { } concurrent)
            {
                results[arrival] = (await EarlierResultsAsync(db, [(arrival, concurrent)], cancellationToken))[0].Result;
                return results;
            }

            throw;
        }

        if (messageInserter is null)
        {
            // Their raw bytes would only slow the change detection of every later save.
            for (var i = 0; i < messages.Count; i++)
            {
                messageIds[i] = messages[i].Id;
                db.Entry(messages[i]).State = EntityState.Detached;
            }
        }

        var events = new List<List<(BounceEvent? Added, IngestedRecipient? Stored)>>(fresh.Count);
        for (var i = 0; i < fresh.Count; i++)
        {
            var (arrival, _, reading) = fresh[i];
            var message = messages[i];
            var messageId = messageIds[i];
            var ofMessage = new List<(BounceEvent?, IngestedRecipient?)>(plans[i].Count);
            foreach (var plan in plans[i])
            {
                if (storedEvents.TryGetValue(plan.Key, out var earlierEvent))
                {
                    // The key was stored by an event of no message of ours (an older import): report that one.
                    ofMessage.Add((null, earlierEvent));
                    continue;
                }

                var bounce = BounceEvent.FromReport(
                    reading.Report, plan.Recipient, ToBounceSource(arrival.Item.Source), message.ReceivedAt, plan.Key,
                    deliveryId: plan.DeliveryId, rawMessageRef: message.SourceKey, inboundMessageId: messageId);
                if (plan.DeliveryId is null)
                {
                    // The rules change nothing for an unmatched event (it waits in the review queue until a match applies
                    // it): it is inserted now on the fast path, or with the others by the save below.
                    if (eventInserter is not null)
                    {
                        insertedEvents.Add(bounce, eventInserter.Insert(bounce));
                    }
                    else
                    {
                        db.BounceEvents.Add(bounce);
                    }

                    ofMessage.Add((bounce, null));
                    continue;
                }

                // Matched: stored (its id goes into a suppression entry) and applied, as every other source records one.
                var recorded = await bounces.RecordAsync(db, bounce, cancellationToken);
                ofMessage.Add(recorded.Duplicate
                    ? (null, await RecipientOfAsync(db, recorded.BounceEventId, cancellationToken))
                    : (bounce, null));
            }

            events.Add(ofMessage);
        }

        // The events the rules left unsaved (unmatched ones wait in the review queue).
        await db.SaveChangesAsync(cancellationToken);
        for (var i = 0; i < fresh.Count; i++)
        {
            var message = messages[i];
            var messageId = messageIds[i];
            var recipients = events[i].ConvertAll(e => e.Stored ?? new IngestedRecipient(
                e.Added!.Recipient, insertedEvents.TryGetValue(e.Added, out var id) ? id : e.Added.Id, e.Added.DeliveryId, e.Added.IsApplied, e.Added.Effect ?? BounceEffect.None, e.Added.Reason));

            // One line per message at Debug (a run of thousands stays readable); callers log a summary per run or poll.
            logger.LogDebug(
                "Stored inbound message {InboundMessageId} from {Source}: {Outcome}, {EventCount} events",
                messageId, message.Source, message.Outcome, recipients.Count);
            results[fresh[i].Arrival] = new IngestResult(
                messageId, Duplicate: false, Changed: true, message.Outcome, message.Kind, message.Format, message.Error, recipients);
        }

        return results;
    }

    private static async Task<IngestedRecipient> RecipientOfAsync(BounceDbContext db, long bounceEventId, CancellationToken cancellationToken) =>
        await db.BounceEvents.AsNoTracking()
            .Where(e => e.Id == bounceEventId)
            .Select(e => new IngestedRecipient(e.Recipient, e.Id, e.DeliveryId, e.AppliedAt != null, e.Effect ?? BounceEffect.None, e.Reason))
            .SingleAsync(cancellationToken);

    /// <summary>Reads a new message: the engine's report and the date the bounce was written.</summary>
    private NewMessage Read(Arrival arrival, string key)
    {
        // The entity refuses what it cannot store (empty, too large) before the engine spends time on it.
        var content = arrival.Item.Content;
        var receivedAt = time.GetUtcNow();
        var message = InboundMessage.Receive(arrival.Item.Source, key, content.Span, receivedAt);
        if (!engine.TryParseSafely(content, CancellationToken.None, out var report))
        {
            // The engine broke its promise not to throw; the message is kept as unparseable with the exception's text.
            logger.LogWarning("The bounce engine threw on an inbound message from {Source}: {Error}", arrival.Item.Source, report.Error);
        }

        return new NewMessage(arrival, message, new Reading(report, BounceDate.Of(content.Span, receivedAt), receivedAt));
    }

    /// <summary>Each recipient's event key and delivery, once per key (a report naming a recipient twice gives one event).</summary>
    private static List<PlannedEvent> Plan(BounceReport report, BounceSource source, string contentHash, (long DeliveryId, string Email)? match)
    {
        var planned = new List<PlannedEvent>(report.Recipients.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < report.Recipients.Count; i++)
        {
            var recipient = report.Recipients[i];
            var key = BounceEvent.KeyFor(source, contentHash, RecipientKey(recipient, i));
            if (seen.Add(key))
            {
                planned.Add(new PlannedEvent(recipient, key, DeliveryFor(match, recipient, report.Recipients.Count)));
            }
        }

        return planned;
    }

    /// <summary>
    /// Re-reads a stored message and brings its events up to date (<see cref="ReclassifyAsync"/>). Saves; does not commit.
    /// </summary>
    private async Task<IngestResult> ReadAgainAsync(BounceDbContext db, InboundMessage message, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (!engine.TryParseSafely(content, cancellationToken, out var report))
        {
            // The engine broke its promise not to throw; the message is kept as unparseable with the exception's text.
            logger.LogWarning("The bounce engine threw on inbound message {InboundMessageId}: {Error}", message.Id, report.Error);
        }

        var events = await db.BounceEvents.Where(e => e.InboundMessageId == message.Id).ToListAsync(cancellationToken);
        var byKey = events.ToDictionary(e => e.IdempotencyKey, StringComparer.Ordinal);
        var reading = new Reading(report, BounceDate.Of(content.Span, message.ReceivedAt), message.ReceivedAt);
        var match = (await MatchAllAsync(db, [reading], cancellationToken))[0];
        var source = ToBounceSource(message.Source);
        var recipients = new List<IngestedRecipient>();
        var changed = false;
        var allMatched = true;
        foreach (var (recipient, key, planned) in Plan(report, source, message.ContentHash, match))
        {
            var deliveryId = planned;
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
            _ when recipients.Count == 0 => report.Kind is MessageKind.NotABounce or MessageKind.Challenge ? InboundOutcome.NotABounce : InboundOutcome.NoRecipients,
            _ => allMatched ? InboundOutcome.Matched : InboundOutcome.Unmatched,
        };
        changed |= message.RecordClassification(outcome, report.Kind, report.Format, report.Error, EngineVersion.Current, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return new IngestResult(message.Id, Duplicate: false, changed, outcome, message.Kind, message.Format, message.Error, recipients);
    }

    /// <summary>
    /// The delivery each report names, with its contact's address, looked up for all of them at once. In order: a VERP or
    /// tracking-header token the signer accepts; the original Message-ID, when exactly one delivery carries it; the DSN's
    /// Original-Envelope-Id (we send the signed token as ENVID) when the signer accepts it; then, for a delivery status
    /// report naming one recipient, that contact's delivery whose latest attempt is the most recent at or before the
    /// bounce's date and at most <see cref="AddressMatchWindow"/> older. Never by address for a feedback report or an
    /// auto-reply (anyone can write one naming any address: they wait for review), nor for a report carrying a token the
    /// signer refuses (a forgery, or another sender's mail: its evidence names a send that is not ours).
    /// </summary>
    private async Task<(long DeliveryId, string Email)?[]> MatchAllAsync(BounceDbContext db, IReadOnlyList<Reading> readings, CancellationToken cancellationToken)
    {
        var tokens = new List<long>[readings.Count];
        var envelopes = new long?[readings.Count];
        var foreign = new bool[readings.Count];
        var ids = new HashSet<long>();
        var messageIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < readings.Count; i++)
        {
            var match = readings[i].Report.Match;
            tokens[i] = [];
            foreach (var token in new[] { match.VerpToken, match.TrackingToken }.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (signer.TryVerify(token, out var deliveryId))
                {
                    tokens[i].Add(deliveryId);
                    ids.Add(deliveryId);
                }
                else
                {
                    foreign[i] |= !string.IsNullOrEmpty(token);
                }
            }

            if (signer.TryVerify(match.OriginalEnvelopeId, out var envelopeId))
            {
                envelopes[i] = envelopeId;
                ids.Add(envelopeId);
            }
            else
            {
                foreign[i] |= !string.IsNullOrEmpty(match.OriginalEnvelopeId);
            }

            if (match.OriginalMessageId is { Length: > 0 } messageId)
            {
                // Deliveries store the Message-ID with its angle brackets; the engine reports it without.
                messageIds.Add($"<{messageId}>");
                messageIds.Add(messageId);
            }
        }

        var byId = ids.Count == 0
            ? []
            : await DeliveriesWithContact(db, db.Deliveries.Where(d => ids.Contains(d.Id)))
                .ToDictionaryAsync(d => d.DeliveryId, d => (d.DeliveryId, d.Email), cancellationToken);
        var byMessageId = (messageIds.Count == 0
            ? []
            : await db.Deliveries.Where(d => d.MessageId != null && messageIds.Contains(d.MessageId))
                .Join(db.Contacts, d => d.ContactId, c => c.Id, (d, c) => new DeliveryContact(d.Id, c.Email, d.MessageId))
                .ToListAsync(cancellationToken))
                .ToLookup(d => d.MessageId!, d => (d.DeliveryId, d.Email), StringComparer.Ordinal);

        var matches = new (long DeliveryId, string Email)?[readings.Count];
        var byAddress = new List<(int Index, string Email)>();
        for (var i = 0; i < readings.Count; i++)
        {
            var report = readings[i].Report;
            foreach (var id in tokens[i])
            {
                if (matches[i] is null && byId.TryGetValue(id, out var byToken))
                {
                    matches[i] = byToken;
                }
            }

            if (matches[i] is null && report.Match.OriginalMessageId is { Length: > 0 } messageId)
            {
                var found = byMessageId[$"<{messageId}>"].Concat(byMessageId[messageId]).Distinct().Take(2).ToList();
                if (found.Count == 1)
                {
                    matches[i] = found[0];
                }
            }

            if (matches[i] is null && envelopes[i] is { } envelope && byId.TryGetValue(envelope, out var byEnvelope))
            {
                matches[i] = byEnvelope;
            }

            if (matches[i] is null
                && !foreign[i]
                && report.Kind is MessageKind.Bounce or MessageKind.Delay or MessageKind.SuccessReport
                && report.Recipients.Count == 1
                && EmailAddress.TryNormalize(report.Recipients[0].Address, out var address))
            {
                byAddress.Add((i, address));
            }
        }

        if (byAddress.Count > 0)
        {
            var addresses = byAddress.Select(a => a.Email).Distinct(StringComparer.Ordinal).ToList();
            var contacts = await db.Contacts.Where(c => addresses.Contains(c.Email))
                .ToDictionaryAsync(c => c.Email, c => c.Id, StringComparer.Ordinal, cancellationToken);
            foreach (var (index, email) in byAddress)
            {
                if (contacts.TryGetValue(email, out var contactId)
                    && await LatestSendBeforeAsync(db, contactId, readings[index].BounceAt, cancellationToken) is { } deliveryId)
                {
                    matches[index] = (deliveryId, email);
                }
            }
        }

        return matches;
    }

    /// <summary>
    /// The contact's delivery whose latest attempt is the most recent at or before <paramref name="bounceAt"/> and within
    /// <see cref="AddressMatchWindow"/> of it; when two campaigns went to the address in that window, the later one
    /// (docs/decisions/inbound-messages.md).
    /// </summary>
    internal static async Task<long?> LatestSendBeforeAsync(BounceDbContext db, long contactId, DateTimeOffset bounceAt, CancellationToken cancellationToken)
    {
        var from = bounceAt - AddressMatchWindow;
        return await db.Deliveries
            .Where(d => d.ContactId == contactId
                && d.State != DeliveryState.Queued && d.State != DeliveryState.Skipped
                && d.LastAttemptAt != null && d.LastAttemptAt <= bounceAt && d.LastAttemptAt >= from)
            .OrderByDescending(d => d.LastAttemptAt)
            .ThenByDescending(d => d.Id)
            .Select(d => (long?)d.Id)
            .FirstOrDefaultAsync(cancellationToken);
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
    internal static BounceSource ToBounceSource(InboundSource source) => source switch
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

    /// <summary>The stored messages with the bytes or the source key of any of <paramref name="arrivals"/>: one query.</summary>
    private static async Task<List<StoredMessage>> FindStoredAsync(BounceDbContext db, List<Arrival> arrivals, CancellationToken cancellationToken)
    {
        var hashes = arrivals.ConvertAll(a => a.Hash);
        var keys = arrivals.ConvertAll(a => a.Key);
        var sources = arrivals.Select(a => a.Item.Source).Distinct().ToList();
        return await db.InboundMessages.AsNoTracking()
            .Where(m => hashes.Contains(m.ContentHash) || (sources.Contains(m.Source) && keys.Contains(m.SourceKey)))
            .OrderBy(m => m.Id)
            .Select(m => new StoredMessage(m.Id, m.Source, m.SourceKey, m.ContentHash, m.Outcome, m.Kind, m.Format, m.Error))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The earlier message that makes this one a replay (same bytes, or the same key where a key never names another
    /// message), and whether the source key is already taken by other bytes.
    /// </summary>
    private static (StoredMessage? Earlier, bool KeyTaken) Earlier(Arrival arrival, List<StoredMessage> stored)
    {
        var source = arrival.Item.Source;
        var candidates = stored.FindAll(m => m.ContentHash == arrival.Hash || (m.Source == source && m.SourceKey == arrival.Key));
        var earlier = candidates.Find(m => m.ContentHash == arrival.Hash || IsReplayOnSameKey(source));
        return (earlier, earlier is null && candidates.Count > 0);
    }

    /// <summary>The earlier outcomes of replayed messages, their events read by one query.</summary>
    private static async Task<List<(Arrival Arrival, IngestResult Result)>> EarlierResultsAsync(
        BounceDbContext db, List<(Arrival Arrival, StoredMessage Message)> earlier, CancellationToken cancellationToken)
    {
        if (earlier.Count == 0)
        {
            return [];
        }

        var ids = earlier.Select(e => (long?)e.Message.Id).Distinct().ToList();
        var events = (await db.BounceEvents.AsNoTracking()
            .Where(e => ids.Contains(e.InboundMessageId))
            .OrderBy(e => e.Id)
            .Select(e => new { e.InboundMessageId, Recipient = new IngestedRecipient(e.Recipient, e.Id, e.DeliveryId, e.AppliedAt != null, e.Effect ?? BounceEffect.None, e.Reason) })
            .ToListAsync(cancellationToken))
            .ToLookup(e => e.InboundMessageId!.Value, e => e.Recipient);
        return earlier.ConvertAll(e => (e.Arrival, new IngestResult(
            e.Message.Id, Duplicate: true, Changed: false, e.Message.Outcome, e.Message.Kind, e.Message.Format, e.Message.Error, events[e.Message.Id].ToList())));
    }

    /// <summary>How far back from a bounce's date the recipient-address step looks for the send it reports.</summary>
    public static readonly TimeSpan AddressMatchWindow = TimeSpan.FromDays(7);

    /// <summary>One message given to store, with its fitted source key and content hash.</summary>
    private sealed record Arrival(InboundItem Item, string Key, string Hash);

    /// <summary>What the engine read, when the bounce was written (for the address step) and when it reached us.</summary>
    private sealed record Reading(BounceReport Report, DateTimeOffset BounceAt, DateTimeOffset ReceivedAt);

    /// <summary>A message to insert: what arrived, the entity (its source key made unique when the key was taken) and its reading.</summary>
    private sealed record NewMessage(Arrival Arrival, InboundMessage Message, Reading Reading);

    private sealed record PlannedEvent(BounceRecipient Recipient, string Key, long? DeliveryId);

    private sealed record StoredMessage(long Id, InboundSource Source, string SourceKey, string ContentHash, InboundOutcome Outcome, MessageKind? Kind, string? Format, string? Error);

    private sealed record DeliveryContact(long DeliveryId, string Email, string? MessageId = null);
}
