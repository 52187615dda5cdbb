using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>Why an item waits in the review queue. The page maps each to a label and colour once (ReviewCauseChip).</summary>
public enum ReviewCause
{
    /// <summary>A report whose recipient no delivery of ours was found for (one item per unmatched recipient).</summary>
    Unmatched = 0,
    /// <summary>A message the engine could not read.</summary>
    Unparseable = 1,
    /// <summary>A report (bounce, delay, feedback...) that names no recipient.</summary>
    NoRecipients = 2,
    /// <summary>A message the engine read as ordinary mail (it may be a report in a format the engine does not know).</summary>
    NotABounce = 3,
}

/// <summary>
/// What a review item is: an unmatched bounce event (one recipient of a report), or a stored inbound message the engine
/// found no recipient in (unparseable, not a bounce, naming nobody).
/// </summary>
public enum ReviewItemType
{
    BounceEvent = 0,
    InboundMessage = 1,
}

/// <summary>One item of the queue: its type and the id of its row.</summary>
public readonly record struct ReviewItemKey(ReviewItemType Type, long Id)
{
    /// <summary>How the audit log names it ("BounceEvent 42", "InboundMessage 7").</summary>
    public override string ToString() => $"{Type} {Id}";
}

/// <summary>How many items wait, per cause.</summary>
public sealed record ReviewCounts(IReadOnlyDictionary<ReviewCause, int> ByCause)
{
    public int Total => ByCause.Values.Sum();

    public int Of(ReviewCause cause) => ByCause.GetValueOrDefault(cause);
}

/// <summary>One row of the queue's list.</summary>
/// <param name="Summary">The diagnostic of an unmatched event, or why the engine could not use the message.</param>
public sealed record ReviewItemRow(
    ReviewItemKey Key,
    ReviewCause Cause,
    DateTimeOffset ReceivedAt,
    MessageKind? Kind,
    string? Recipient,
    BounceReason? Reason,
    bool? Hard,
    string? Summary);

/// <summary>One recipient as the engine (or an admin's reclassification) read it.</summary>
public sealed record ReviewRecipient(
    long BounceEventId,
    string Recipient,
    BounceEventState State,
    long? DeliveryId,
    BounceReason Reason,
    bool Permanent,
    bool Hard,
    string? EnhancedStatus,
    string? ReplyCode,
    string Rule,
    string? Diagnostic,
    string? RemoteMta,
    string? FeedbackType,
    string? Explanation = null);

/// <summary>The item with the engine's reading and the raw message as text (at most the bytes asked for).</summary>
/// <param name="Open">Still waits for review (false once matched, dismissed or reclassified away by someone else).</param>
/// <param name="Source">Where it came from (IMAP, POP3, file, API, webhook, or the event's source when no message was stored).</param>
/// <param name="SourceKey">The message's source key, or the event's raw-message reference.</param>
/// <param name="RawText">The raw message decoded as text, cut at the bytes asked for; null when no bytes are kept.</param>
/// <param name="RawSize">The raw message's size in bytes (kept after the bytes are dropped); null when no message was stored.</param>
/// <param name="RawTruncated">The text shows only the start of the message.</param>
public sealed record ReviewItemDetail(
    ReviewItemKey Key,
    ReviewCause Cause,
    bool Open,
    DateTimeOffset ReceivedAt,
    string Source,
    string? SourceKey,
    MessageKind? Kind,
    string? Format,
    string? Error,
    string? EngineVersion,
    IReadOnlyList<ReviewRecipient> Recipients,
    long? InboundMessageId,
    string? RawText,
    int? RawSize,
    bool RawTruncated = false)
{
    /// <summary>The recipient the item is about (an event item's), when there is one.</summary>
    public ReviewRecipient? Recipient => Key.Type == ReviewItemType.BounceEvent && Recipients.Count > 0 ? Recipients[0] : null;
}

/// <summary>A delivery an item could be matched to.</summary>
/// <param name="BeforeItem">Its latest attempt was at or before the item arrived (a bounce follows its send).</param>
public sealed record CandidateDelivery(
    long DeliveryId,
    long ContactId,
    string Email,
    ContactStatus ContactStatus,
    long CampaignId,
    string CampaignName,
    DeliveryState State,
    DateTimeOffset? LastAttemptAt,
    bool BeforeItem);

/// <summary>The review queue's read side: counts by cause, the list oldest first, one item in full, candidate deliveries.</summary>
public interface IReviewQueueQueries
{
    Task<ReviewCounts> CountsAsync(CancellationToken cancellationToken = default);

    /// <summary>Items waiting for review, oldest first; <paramref name="cause"/> null for every cause.</summary>
    Task<PagedResult<ReviewItemRow>> ItemsAsync(ReviewCause? cause, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>One item with its reading and the first <paramref name="maxRawBytes"/> bytes of its raw message; null when it does not exist.</summary>
    Task<ReviewItemDetail?> DetailAsync(ReviewItemKey key, int maxRawBytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deliveries matching <paramref name="search"/>: a delivery id ("1234" or "#1234"), or a contact's exact address
    /// (that contact's deliveries, latest attempt first). <paramref name="itemAt"/> marks which were sent before the item.
    /// </summary>
    Task<IReadOnlyList<CandidateDelivery>> CandidatesAsync(string? search, DateTimeOffset itemAt, CancellationToken cancellationToken = default);
}

/// <summary>
/// Reads the review queue from two small, indexed sets: bounce events waiting for a match (the filtered index
/// <c>IX_BounceEvents_AwaitingMatch_ReceivedAt</c>) and inbound messages with no recipient to match
/// (<c>IX_InboundMessages_Outcome_ReceivedAt</c>). Raw bytes are read only for the one item shown, and only as many as shown.
/// </summary>
public sealed class ReviewQueueQueries(IDbContextFactory<BounceDbContext> dbFactory) : IReviewQueueQueries
{
    /// <summary>How many bytes of a raw message the page shows before "show all".</summary>
    public const int ShownRawBytes = 32 * 1024;

    /// <summary>How many candidate deliveries a search lists.</summary>
    public const int MaxCandidates = 20;

    private static readonly InboundOutcome[] MessageOutcomes = [InboundOutcome.Unparseable, InboundOutcome.NoRecipients, InboundOutcome.NotABounce];

    public async Task<ReviewCounts> CountsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = await db.BounceEvents.AsNoTracking()
            .Where(e => e.State == BounceEventState.AwaitingMatch)
            .GroupBy(e => e.Kind == MessageKind.Unparseable)
            .Select(g => new { Unparseable = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var messages = await db.InboundMessages.AsNoTracking()
            .Where(m => MessageOutcomes.Contains(m.Outcome))
            .GroupBy(m => m.Outcome)
            .Select(g => new { Outcome = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var counts = Enum.GetValues<ReviewCause>().ToDictionary(c => c, _ => 0);
        foreach (var e in events)
        {
            counts[e.Unparseable ? ReviewCause.Unparseable : ReviewCause.Unmatched] += e.Count;
        }

        foreach (var m in messages)
        {
            counts[CauseOf(m.Outcome)] += m.Count;
        }

        return new ReviewCounts(counts);
    }

    public async Task<PagedResult<ReviewItemRow>> ItemsAsync(ReviewCause? cause, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = EventsOf(db, cause);
        var messages = MessagesOf(db, cause);
        var total = (events is null ? 0 : await events.CountAsync(cancellationToken))
            + (messages is null ? 0 : await messages.CountAsync(cancellationToken));
        if (total == 0 || page.Skip >= total)
        {
            return new PagedResult<ReviewItemRow>([], total);
        }

        // Two sorted runs merged here: each reads at most skip + take rows from its own index, oldest first.
        var wanted = page.Skip + page.Take;
        var rows = new List<ReviewItemRow>();
        if (events is not null)
        {
            rows.AddRange(await events
                .OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id)
                .Take(wanted)
                .Select(e => new ReviewItemRow(
                    new ReviewItemKey(ReviewItemType.BounceEvent, e.Id),
                    e.Kind == MessageKind.Unparseable ? ReviewCause.Unparseable : ReviewCause.Unmatched,
                    e.ReceivedAt,
                    e.Kind,
                    e.Recipient,
                    e.Reason,
                    e.Hard,
                    e.Diagnostic))
                .ToListAsync(cancellationToken));
        }

        if (messages is not null)
        {
            var found = await messages
                .OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id)
                .Take(wanted)
                .Select(m => new { m.Id, m.Outcome, m.ReceivedAt, m.Kind, m.Error, m.Format })
                .ToListAsync(cancellationToken);
            rows.AddRange(found.Select(m => new ReviewItemRow(
                new ReviewItemKey(ReviewItemType.InboundMessage, m.Id),
                CauseOf(m.Outcome),
                m.ReceivedAt,
                m.Kind,
                null,
                null,
                null,
                m.Error ?? (m.Format is null ? null : $"Read by {m.Format}: no recipient named"))));
        }

        var items = rows
            .OrderBy(r => r.ReceivedAt).ThenBy(r => r.Key.Type).ThenBy(r => r.Key.Id)
            .Skip(page.Skip)
            .Take(page.Take)
            .ToList();
        return new PagedResult<ReviewItemRow>(items, total);
    }

    public async Task<ReviewItemDetail?> DetailAsync(ReviewItemKey key, int maxRawBytes, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (key.Type == ReviewItemType.BounceEvent)
        {
            var e = await db.BounceEvents.AsNoTracking()
                .Where(b => b.Id == key.Id)
                .Select(b => new
                {
                    Recipient = new ReviewRecipient(
                        b.Id, b.Recipient, b.State, b.DeliveryId, b.Reason, b.Permanent, b.Hard, b.EnhancedStatus, b.ReplyCode,
                        b.Rule, b.Diagnostic, b.RemoteMta, b.FeedbackType, b.Explanation),
                    b.Kind,
                    b.Source,
                    b.ReceivedAt,
                    b.RawMessageRef,
                    b.InboundMessageId,
                })
                .SingleOrDefaultAsync(cancellationToken);
            if (e is null)
            {
                return null;
            }

            var cause = e.Kind == MessageKind.Unparseable ? ReviewCause.Unparseable : ReviewCause.Unmatched;
            var open = e.Recipient.State == BounceEventState.AwaitingMatch;
            if (e.InboundMessageId is not { } messageId || await MessageAsync(db, messageId, maxRawBytes, cancellationToken) is not { } m)
            {
                return new ReviewItemDetail(
                    key, cause, open, e.ReceivedAt, e.Source.ToString(), e.RawMessageRef, e.Kind, null, null, null,
                    [e.Recipient], e.InboundMessageId, null, null);
            }

            return new ReviewItemDetail(
                key, cause, open, e.ReceivedAt, m.Source.ToString(), m.SourceKey, e.Kind, m.Format, m.Error, m.EngineVersion,
                [e.Recipient], messageId, m.RawText, m.Size, m.Truncated);
        }

        var message = await MessageAsync(db, key.Id, maxRawBytes, cancellationToken);
        if (message is null)
        {
            return null;
        }

        // A message an admin reclassified has events now: they show what it was read as.
        var recipients = await db.BounceEvents.AsNoTracking()
            .Where(b => b.InboundMessageId == key.Id)
            .OrderBy(b => b.Id)
            .Select(b => new ReviewRecipient(
                b.Id, b.Recipient, b.State, b.DeliveryId, b.Reason, b.Permanent, b.Hard, b.EnhancedStatus, b.ReplyCode,
                b.Rule, b.Diagnostic, b.RemoteMta, b.FeedbackType, b.Explanation))
            .ToListAsync(cancellationToken);
        return new ReviewItemDetail(
            key,
            MessageOutcomes.Contains(message.Outcome) ? CauseOf(message.Outcome) : ReviewCause.Unmatched,
            MessageOutcomes.Contains(message.Outcome),
            message.ReceivedAt,
            message.Source.ToString(),
            message.SourceKey,
            message.Kind,
            message.Format,
            message.Error,
            message.EngineVersion,
            recipients,
            message.Id,
            message.RawText,
            message.Size,
            message.Truncated);
    }

    public async Task<IReadOnlyList<CandidateDelivery>> CandidatesAsync(string? search, DateTimeOffset itemAt, CancellationToken cancellationToken = default)
    {
        var text = search?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        IQueryable<Delivery> deliveries;
        if (long.TryParse(text.TrimStart('#'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            deliveries = db.Deliveries.Where(d => d.Id == id);
        }
        else if (EmailAddress.TryNormalize(text, out var address))
        {
            // The unique index on Contacts.Email finds the contact; (ContactId, FirstAttemptAt) its deliveries.
            var contactId = await db.Contacts.AsNoTracking().Where(c => c.Email == address).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
            if (contactId is null)
            {
                return [];
            }

            deliveries = db.Deliveries.Where(d => d.ContactId == contactId);
        }
        else
        {
            return [];
        }

        var rows = await deliveries.AsNoTracking()
            .Join(db.Contacts, d => d.ContactId, c => c.Id, (d, c) => new { d, c })
            .Join(db.Campaigns, x => x.d.CampaignId, k => k.Id, (x, k) => new { x.d, x.c, k })
            .OrderByDescending(x => x.d.LastAttemptAt)
            .ThenByDescending(x => x.d.Id)
            .Take(MaxCandidates)
            .Select(x => new { x.d.Id, ContactId = x.c.Id, x.c.Email, x.c.Status, CampaignId = x.k.Id, x.k.Name, x.d.State, x.d.LastAttemptAt })
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new CandidateDelivery(
            r.Id, r.ContactId, r.Email, r.Status, r.CampaignId, r.Name, r.State, r.LastAttemptAt,
            r.LastAttemptAt is { } at && at <= itemAt));
    }

    internal static ReviewCause CauseOf(InboundOutcome outcome) => outcome switch
    {
        InboundOutcome.Unparseable => ReviewCause.Unparseable,
        InboundOutcome.NoRecipients => ReviewCause.NoRecipients,
        InboundOutcome.NotABounce => ReviewCause.NotABounce,
        _ => ReviewCause.Unmatched,
    };

    private static IQueryable<BounceEvent>? EventsOf(BounceDbContext db, ReviewCause? cause)
    {
        var events = db.BounceEvents.AsNoTracking().Where(e => e.State == BounceEventState.AwaitingMatch);
        return cause switch
        {
            null => events,
            ReviewCause.Unmatched => events.Where(e => e.Kind != MessageKind.Unparseable),
            ReviewCause.Unparseable => events.Where(e => e.Kind == MessageKind.Unparseable),
            _ => null,
        };
    }

    private static IQueryable<InboundMessage>? MessagesOf(BounceDbContext db, ReviewCause? cause)
    {
        var messages = db.InboundMessages.AsNoTracking();
        return cause switch
        {
            null => messages.Where(m => MessageOutcomes.Contains(m.Outcome)),
            ReviewCause.Unparseable => messages.Where(m => m.Outcome == InboundOutcome.Unparseable),
            ReviewCause.NoRecipients => messages.Where(m => m.Outcome == InboundOutcome.NoRecipients),
            ReviewCause.NotABounce => messages.Where(m => m.Outcome == InboundOutcome.NotABounce),
            _ => null,
        };
    }

    private static async Task<StoredMessage?> MessageAsync(BounceDbContext db, long id, int maxRawBytes, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(maxRawBytes, 0, InboundMessage.MaxContentBytes);
        var m = await db.InboundMessages.AsNoTracking()
            .Where(x => x.Id == id)
            .Select(x => new { x.Id, x.Source, x.SourceKey, x.Outcome, x.ReceivedAt, x.Kind, x.Format, x.Error, x.EngineVersion, x.Size, x.RawContent })
            .SingleOrDefaultAsync(cancellationToken);
        if (m is null)
        {
            return null;
        }

        // Shown as text only: the page puts it in a <pre>, encoded; nothing in it is rendered or fetched.
        var raw = m.RawContent is { } bytes ? Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, take)) : null;
        return new StoredMessage(m.Id, m.Source, m.SourceKey, m.Outcome, m.ReceivedAt, m.Kind, m.Format, m.Error, m.EngineVersion, m.Size, raw, m.RawContent?.Length > take);
    }

    private sealed record StoredMessage(
        long Id,
        InboundSource Source,
        string SourceKey,
        InboundOutcome Outcome,
        DateTimeOffset ReceivedAt,
        MessageKind? Kind,
        string? Format,
        string? Error,
        string? EngineVersion,
        int Size,
        string? RawText,
        bool Truncated);
}
