using System.Globalization;
using System.Security.Claims;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Ingest;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Commands;

/// <summary>An admin's corrected reading of a review item.</summary>
/// <param name="Recipient">The recipient the report is about: required for a message in which the engine found none, ignored for an event (it keeps its own).</param>
public sealed record ReviewReading(MessageKind Kind, BounceReason Reason, bool Permanent, string? Recipient = null);

public interface IReviewCommands
{
    /// <summary>Matches an unmatched event to a delivery and applies the rules to it, once (Admin only, note required, audited).</summary>
    Task<CommandResult> MatchToDeliveryAsync(ClaimsPrincipal user, long bounceEventId, long deliveryId, string note, CancellationToken cancellationToken = default);

    /// <summary>
    /// Matches an unmatched event to the contact at <paramref name="email"/>: to that contact's delivery whose latest attempt
    /// is the most recent at or before the event (Admin only, note required, audited).
    /// </summary>
    Task<CommandResult> MatchToContactAsync(ClaimsPrincipal user, long bounceEventId, string email, string note, CancellationToken cancellationToken = default);

    /// <summary>
    /// Corrects the reading of an item (kind, reason, permanence; for a message, also the recipient), then matches it as an
    /// automatic match would and applies the rules when that finds a delivery (Admin only, note required, audited).
    /// </summary>
    Task<CommandResult> ReclassifyAsync(ClaimsPrincipal user, ReviewItemKey item, ReviewReading reading, string note, CancellationToken cancellationToken = default);

    /// <summary>Takes an item out of the queue: kept, never applied, counted nowhere (Admin only, audited; the note is optional).</summary>
    Task<CommandResult> DismissAsync(ClaimsPrincipal user, ReviewItemKey item, string? note, CancellationToken cancellationToken = default);
}

/// <summary>
/// The review queue's actions. The role is checked here, on the server. Matching and reclassifying go through
/// <see cref="BounceCommands"/> and so through <see cref="BounceRules"/>, exactly as an automatic match does, on the same
/// context and in the same transaction as the audit entry (<see cref="DbCommandRunner"/>). An item that no longer waits
/// (resolved by someone else, or by this same request sent twice) is refused and nothing changes, so every action is safe
/// to run twice. Logged with ids only.
/// </summary>
public sealed class ReviewCommands(
    DbCommandRunner runner,
    BounceCommands bounces,
    TimeProvider time,
    ILogger<ReviewCommands> logger) : IReviewCommands
{
    /// <summary>The rule id an admin's reclassification records on the event, so the reading says who decided it.</summary>
    public const string ReviewRule = "review:admin";

    /// <summary>The format recorded on a message an admin read by hand.</summary>
    public const string ReviewFormat = "review";

    private const string NotWaiting = "This item no longer waits for review (someone resolved it already). Reload the queue.";

    public async Task<CommandResult> MatchToDeliveryAsync(ClaimsPrincipal user, long bounceEventId, long deliveryId, string note, CancellationToken cancellationToken = default)
    {
        if (Refuse(user, "match a review item", out var actor) is { } refused)
        {
            return refused;
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            return Invalid("A note is required: matching applies the bounce rules to the contact.");
        }

        return await RunAsync(
            nameof(MatchToDeliveryAsync),
            async (db, _, ct) =>
            {
                var bounce = await WaitingEventAsync(db, bounceEventId, ct);
                if (bounce is null)
                {
                    return (Invalid(NotWaiting), false);
                }

                if (!await db.Deliveries.AnyAsync(d => d.Id == deliveryId, ct))
                {
                    return (new CommandResult(CommandStatus.NotFound, $"There is no delivery {deliveryId}."), false);
                }

                return (await MatchAndAuditAsync(db, actor, bounce, deliveryId, AuditAction.MatchReviewItem, note, "matched by hand", ct), true);
            },
            cancellationToken);
    }

    public async Task<CommandResult> MatchToContactAsync(ClaimsPrincipal user, long bounceEventId, string email, string note, CancellationToken cancellationToken = default)
    {
        if (Refuse(user, "match a review item", out var actor) is { } refused)
        {
            return refused;
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            return Invalid("A note is required: matching applies the bounce rules to the contact.");
        }

        if (!EmailAddress.TryNormalize(email, out var address))
        {
            return Invalid($"'{email}' is not a valid e-mail address.");
        }

        return await RunAsync(
            nameof(MatchToContactAsync),
            async (db, _, ct) =>
            {
                var bounce = await WaitingEventAsync(db, bounceEventId, ct);
                if (bounce is null)
                {
                    return (Invalid(NotWaiting), false);
                }

                var contactId = await db.Contacts.Where(c => c.Email == address).Select(c => (long?)c.Id).SingleOrDefaultAsync(ct);
                if (contactId is null)
                {
                    return (new CommandResult(CommandStatus.NotFound, $"{address} is not a contact."), false);
                }

                // The rules work on a delivery (its state, the campaign's streak), so a contact is matched through its latest
                // send before the report: the one the report most likely answers, as the automatic address match decides.
                var at = bounce.ReceivedAt;
                var deliveryId = await db.Deliveries
                    .Where(d => d.ContactId == contactId && d.LastAttemptAt != null && d.LastAttemptAt <= at)
                    .OrderByDescending(d => d.LastAttemptAt)
                    .ThenByDescending(d => d.Id)
                    .Select(d => (long?)d.Id)
                    .FirstOrDefaultAsync(ct);
                if (deliveryId is null)
                {
                    return (new CommandResult(CommandStatus.NotFound, $"Nothing was sent to {address} before this report arrived: pick a delivery instead."), false);
                }

                return (await MatchAndAuditAsync(db, actor, bounce, deliveryId.Value, AuditAction.MatchReviewItem, note, $"matched to the contact's latest send before the report", ct), true);
            },
            cancellationToken);
    }

    public async Task<CommandResult> ReclassifyAsync(ClaimsPrincipal user, ReviewItemKey item, ReviewReading reading, string note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (Refuse(user, "reclassify a review item", out var actor) is { } refused)
        {
            return refused;
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            return Invalid("A note is required: a reclassified report can change the contact.");
        }

        if (!Enum.IsDefined(reading.Kind) || !Enum.IsDefined(reading.Reason) || reading.Kind is MessageKind.Unparseable or MessageKind.NotABounce)
        {
            return Invalid("Choose what the message is (a bounce, a delay, a complaint...) and a reason. To drop it, dismiss it.");
        }

        return await RunAsync(
            nameof(ReclassifyAsync),
            async (db, _, ct) =>
            {
                BounceEvent? bounce;
                if (item.Type == ReviewItemType.BounceEvent)
                {
                    bounce = await WaitingEventAsync(db, item.Id, ct);
                    if (bounce is null)
                    {
                        return (Invalid(NotWaiting), false);
                    }

                    bounce.UpdateReading(reading.Kind, RecipientOf(bounce.Recipient, reading, bounce));
                }
                else
                {
                    var message = await db.InboundMessages.SingleOrDefaultAsync(m => m.Id == item.Id, ct);
                    if (message is null || !IsWaitingMessage(message.Outcome))
                    {
                        return (Invalid(NotWaiting), false);
                    }

                    if (!EmailAddress.TryNormalize(reading.Recipient, out var address))
                    {
                        return (Invalid("The engine found no recipient in this message: give the recipient's address it reports on."), false);
                    }

                    bounce = NewEvent(message, reading.Kind, RecipientOf(address, reading, null));
                    if (await db.BounceEvents.AnyAsync(e => e.IdempotencyKey == bounce.IdempotencyKey, ct))
                    {
                        return (Invalid(NotWaiting), false);
                    }

                    message.RecordClassification(InboundOutcome.Unmatched, reading.Kind, ReviewFormat, null, EngineVersion.Current, time.GetUtcNow());
                    db.BounceEvents.Add(bounce);
                }

                await db.SaveChangesAsync(ct);

                // Then the same match an automatic run makes by address: never for a feedback report or an auto-reply (anyone
                // can mail those naming any address), only to a contact's send within the address-match window.
                var deliveryId = await AutomaticMatchAsync(db, bounce, ct);
                if (deliveryId is { } found)
                {
                    return (await MatchAndAuditAsync(db, actor, bounce, found, AuditAction.ReclassifyReviewItem, note, $"reclassified as {reading.Kind} {reading.Reason}", ct), true);
                }

                var audit = AuditLogEntry.Record(
                    time.GetUtcNow(), actor.Name, AuditAction.ReclassifyReviewItem, item.ToString(), note.Trim(),
                    $"reclassified as {reading.Kind} {reading.Reason} ({(reading.Permanent ? "permanent" : "transient")}); no delivery found: waits for a match as bounce event {bounce.Id}");
                db.AuditLogEntries.Add(audit);
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Review: {Item} reclassified by user {UserId}, waits for a match as bounce event {BounceEventId}, audit {AuditId}", item, UserIdOf(user), bounce.Id, audit.Id);
                return (new CommandResult(CommandStatus.Done, $"Reclassified. No delivery was found for {DisplayOf(bounce.Recipient)} automatically: it waits for a match."), true);
            },
            cancellationToken);
    }

    public async Task<CommandResult> DismissAsync(ClaimsPrincipal user, ReviewItemKey item, string? note, CancellationToken cancellationToken = default)
    {
        if (Refuse(user, "dismiss a review item", out var actor) is { } refused)
        {
            return refused;
        }

        return await RunAsync(
            nameof(DismissAsync),
            async (db, _, ct) =>
            {
                if (item.Type == ReviewItemType.BounceEvent)
                {
                    var bounce = await WaitingEventAsync(db, item.Id, ct);
                    if (bounce is null)
                    {
                        return (Invalid(NotWaiting), false);
                    }

                    bounce.Dismiss();
                }
                else
                {
                    var message = await db.InboundMessages.SingleOrDefaultAsync(m => m.Id == item.Id, ct);
                    if (message is null || !IsWaitingMessage(message.Outcome))
                    {
                        return (Invalid(NotWaiting), false);
                    }

                    message.Dismiss(time.GetUtcNow());
                }

                var audit = AuditLogEntry.Record(time.GetUtcNow(), actor.Name, AuditAction.DismissReviewItem, item.ToString(), string.IsNullOrWhiteSpace(note) ? null : note.Trim());
                db.AuditLogEntries.Add(audit);
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Review: {Item} dismissed by user {UserId}, audit {AuditId}", item, UserIdOf(user), audit.Id);
                return (new CommandResult(CommandStatus.Done, "Dismissed: kept, but counted nowhere."), true);
            },
            cancellationToken);
    }

    private async Task<CommandResult> MatchAndAuditAsync(
        BounceDbContext db,
        Actor actor,
        BounceEvent bounce,
        long deliveryId,
        AuditAction action,
        string note,
        string what,
        CancellationToken cancellationToken)
    {
        var result = await bounces.MatchAsync(db, bounce, deliveryId, cancellationToken);
        var details = string.Create(
            CultureInfo.InvariantCulture,
            $"{what}; delivery {deliveryId}; effect {result.Effect}; contact status {result.ContactStatus?.ToString() ?? "-"}; suppression added {result.SuppressionAdded?.ToString() ?? "none"}");
        var audit = AuditLogEntry.Record(time.GetUtcNow(), actor.Name, action, $"BounceEvent {bounce.Id}", note.Trim(), details);
        db.AuditLogEntries.Add(audit);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation(
            "Review: bounce event {BounceEventId} {Action} to delivery {DeliveryId}: effect {Effect}, audit {AuditId}",
            bounce.Id, action, deliveryId, result.Effect, audit.Id);
        var suppressed = result.SuppressionAdded is { } reason ? $"; the address is suppressed ({reason})" : string.Empty;
        return new CommandResult(CommandStatus.Done, $"Matched to delivery {deliveryId}: {EffectText(result.Effect)}{suppressed}.");
    }

    /// <summary>Runs one action in its own transaction; a rule the domain enforces (a refused transition) becomes a refusal, with nothing written.</summary>
    private async Task<CommandResult> RunAsync(string command, Func<BounceDbContext, int, CancellationToken, Task<(CommandResult Result, bool Commit)>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await runner.RunAsync(command, work, cancellationToken);
        }
        catch (DomainException ex) when (ex is not ForbiddenActionException)
        {
            logger.LogWarning("Review: {Command} refused by a domain rule ({Error})", command, ex.GetType().Name);
            return Invalid(ex.Message);
        }
    }

    private static async Task<long?> AutomaticMatchAsync(BounceDbContext db, BounceEvent bounce, CancellationToken cancellationToken)
    {
        if (bounce.Kind is MessageKind.FeedbackReport or MessageKind.AutoReply || string.IsNullOrEmpty(bounce.Recipient))
        {
            return null;
        }

        var address = bounce.Recipient;
        var contactId = await db.Contacts.Where(c => c.Email == address).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
        return contactId is { } id ? await InboundIngest.LatestSendBeforeAsync(db, id, bounce.ReceivedAt, cancellationToken) : null;
    }

    private static async Task<BounceEvent?> WaitingEventAsync(BounceDbContext db, long id, CancellationToken cancellationToken) =>
        await db.BounceEvents.SingleOrDefaultAsync(e => e.Id == id && e.State == BounceEventState.AwaitingMatch, cancellationToken);

    private static bool IsWaitingMessage(InboundOutcome outcome) =>
        outcome is InboundOutcome.Unparseable or InboundOutcome.NoRecipients or InboundOutcome.NotABounce;

    /// <summary>The admin's reading as the engine would have given it; what the report itself said (status, reply, text) is kept.</summary>
    private static BounceRecipient RecipientOf(string address, ReviewReading reading, BounceEvent? current)
    {
        var feedbackType = reading.Kind == MessageKind.FeedbackReport ? current?.FeedbackType ?? FeedbackTypes.Abuse : null;
        return new BounceRecipient(
            address,
            reading.Kind == MessageKind.Delay ? DeliveryAction.Delayed : DeliveryAction.Failed,
            current?.EnhancedStatus is { } status && EnhancedStatusCode.TryParse(status, out var code) ? code : null,
            current?.ReplyCode,
            current?.Diagnostic,
            current?.RemoteMta,
            reading.Reason,
            reading.Permanent,
            BounceReasons.IsHard(reading.Reason, reading.Permanent),
            ReviewRule,
            feedbackType);
    }

    /// <summary>An event for a message the engine found no recipient in, keyed as the engine would key it (so a later reclassify finds it).</summary>
    private static BounceEvent NewEvent(InboundMessage message, MessageKind kind, BounceRecipient recipient)
    {
        var source = InboundIngest.ToBounceSource(message.Source);
        var report = new BounceReport(kind, [recipient], BounceMatch.None, Format: ReviewFormat);
        return BounceEvent.FromReport(
            report, recipient, source, message.ReceivedAt, BounceEvent.KeyFor(source, message.ContentHash, recipient.Address),
            rawMessageRef: message.SourceKey, inboundMessageId: message.Id);
    }

    private static string EffectText(BounceEffect effect) => effect switch
    {
        BounceEffect.None => "the rules changed nothing",
        BounceEffect.RetryScheduled => "a retry is scheduled",
        BounceEffect.SoftBounced => "the delivery soft bounced",
        BounceEffect.HardBounced => "the delivery hard bounced",
        BounceEffect.Complaint => "recorded as a complaint",
        _ => effect.ToString(),
    };

    private static string DisplayOf(string recipient) => string.IsNullOrEmpty(recipient) ? "this report" : recipient;

    private static CommandResult Invalid(string message) => new(CommandStatus.Invalid, message);

    private CommandResult? Refuse(ClaimsPrincipal user, string action, out Actor actor)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (SuppressionCommands.ActorFrom(user) is { IsAdmin: true } admin)
        {
            actor = admin;
            return null;
        }

        actor = null!;
        logger.LogWarning("Review action refused: user {UserId} is not an Admin", UserIdOf(user));
        return new CommandResult(CommandStatus.Forbidden, $"Only an Admin can {action}.");
    }

    private static string UserIdOf(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "(no id)";
}
