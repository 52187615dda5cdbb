using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Notifications;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Sending;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Commands;

/// <summary>A delivery claimed for one attempt: everything needed to render and send its message.</summary>
public sealed record ClaimedDelivery(
    long DeliveryId,
    long AttemptId,
    int AttemptNumber,
    long CampaignId,
    string Token,
    string MessageId,
    string Email,
    string? DisplayName);

/// <summary>What one claim round did: the deliveries claimed, and how many due ones were looked at (skipped ones included).</summary>
public sealed record ClaimResult(IReadOnlyList<ClaimedDelivery> Claimed, int Examined);

/// <summary>
/// The sending side's writes, each a short transaction through <see cref="DbCommandRunner"/>:
/// <list type="bullet">
/// <item><see cref="ClaimAsync"/>: due deliveries of campaigns in progress move to Sending in the database before
/// anything is sent (the claim). Two workers never send the same delivery: on SQLite writers are serialised, so the
/// second claimer reads the first's commit; on SQL Server the rowversion makes the slower claim conflict and run again
/// on fresh data. The contact's sendability is checked here, at send time.</item>
/// <item><see cref="RecordAsync"/>: the relay's answer: accepted (Delivered), refused (a bounce event of source SMTP,
/// applied by the same rules as a bounce message), or not sent (the attempt is released and not counted).</item>
/// <item><see cref="ReleaseStaleAsync"/>, <see cref="CompleteCampaignsAsync"/>, <see cref="GuardAsync"/>: claims of dead
/// workers, campaigns that are done, and the hard-bounce guard.</item>
/// </list>
/// </summary>
public sealed class DeliveryCommands(
    DbCommandRunner runner,
    BounceRules rules,
    BounceCommands bounces,
    BounceEngine engine,
    TrackingTokenSigner signer,
    SendingGuard guard,
    IOptions<SendingOptions> options,
    TimeProvider time,
    ILogger<DeliveryCommands> logger,
    DashboardNotifier? notifier = null)
{
    /// <summary>The audit actor of automatic actions.</summary>
    public const string SystemActor = "system";

    private static readonly DeliveryState[] Outstanding = [DeliveryState.Queued, DeliveryState.Sending, DeliveryState.AwaitingRetry];

    /// <summary>
    /// Claims up to <paramref name="batchSize"/> due deliveries (oldest due first) of campaigns in progress, optionally of
    /// one campaign, for an attempt through <paramref name="relay"/>. Unsendable contacts' deliveries are skipped (or
    /// their retry abandoned) instead.
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(RelayOptions relay, int batchSize, long? campaignId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var bounceDomain = options.Value.BounceDomain ?? throw new InvalidOperationException($"{SendingOptions.SectionName}:BounceDomain is not set.");
        return await runner.RunAsync(
            nameof(ClaimAsync),
            async (db, _, ct) =>
            {
                var now = time.GetUtcNow();
                var due = db.Deliveries.Where(d =>
                    d.NextAttemptAt != null && d.NextAttemptAt <= now
                    && (d.State == DeliveryState.Queued || d.State == DeliveryState.AwaitingRetry)
                    && db.Campaigns.Any(c => c.Id == d.CampaignId && c.State == CampaignState.InProgress));
                if (campaignId is { } only)
                {
                    due = due.Where(d => d.CampaignId == only);
                }

                var deliveries = await due.OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).Take(batchSize).ToListAsync(ct);
                if (deliveries.Count == 0)
                {
                    return (new ClaimResult([], 0), false);
                }

                var contactIds = deliveries.Select(d => d.ContactId).Distinct().ToList();
                var contacts = await db.Contacts.Where(c => contactIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
                var emails = contacts.Values.Select(c => c.Email).ToList();
                var suppressions = await db.SuppressionEntries
                    .Where(s => emails.Contains(s.Email) && s.LiftedAt == null)
                    .ToDictionaryAsync(s => s.Email, StringComparer.Ordinal, ct);

                var claimed = new List<(Delivery Delivery, Domain.Contacts.Contact Contact)>();
                foreach (var delivery in deliveries)
                {
                    var contact = contacts[delivery.ContactId];
                    if (rules.StopIfUnsendable(delivery, contact, suppressions.GetValueOrDefault(contact.Email)) is { } skipped)
                    {
                        logger.LogDebug("Delivery {DeliveryId} not sent: {Reason}", delivery.Id, skipped);
                        continue;
                    }

                    if (delivery.Token is null)
                    {
                        delivery.AssignToken(signer.Create(delivery.Id));
                    }

                    delivery.BeginAttempt(now, delivery.MessageId ?? NewMessageId(bounceDomain), relay.SendingIp, relay.Name);
                    claimed.Add((delivery, contact));
                }

                await db.SaveChangesAsync(ct);
                var result = claimed.Select(c => new ClaimedDelivery(
                        c.Delivery.Id,
                        c.Delivery.Attempts.Single(a => a.Number == c.Delivery.AttemptCount).Id,
                        c.Delivery.AttemptCount,
                        c.Delivery.CampaignId,
                        c.Delivery.Token!,
                        c.Delivery.MessageId!,
                        c.Contact.Email,
                        c.Contact.DisplayName))
                    .ToList();
                return (new ClaimResult(result, deliveries.Count), true);
            },
            cancellationToken);
    }

    /// <summary>
    /// Records the relay's answer to a claimed attempt. A result for an attempt that is no longer the delivery's
    /// current one (its claim went stale and was released meanwhile) changes nothing.
    /// </summary>
    public async Task<DeliveryState?> RecordAsync(ClaimedDelivery claim, SendOutcome outcome, RelayOptions relay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(relay);
        var recorded = await runner.RunAsync(
            nameof(RecordAsync),
            async (db, _, ct) =>
            {
                var delivery = await db.Deliveries
                    .Include(d => d.Attempts.OrderByDescending(a => a.Number).Take(1))
                    .SingleAsync(d => d.Id == claim.DeliveryId, ct);
                if (delivery.State != DeliveryState.Sending || delivery.AttemptCount != claim.AttemptNumber
                    || delivery.Attempts.All(a => a.Id != claim.AttemptId))
                {
                    logger.LogWarning(
                        "Delivery {DeliveryId}: the result of attempt {AttemptNumber} came after the attempt was released ({State}, attempt {Current}); not recorded",
                        claim.DeliveryId, claim.AttemptNumber, delivery.State, delivery.AttemptCount);
                    return ((DeliveryState?)null, false);
                }

                var now = time.GetUtcNow();
                switch (outcome.Kind)
                {
                    case SendOutcomeKind.Accepted:
                        var contact = await db.Contacts.SingleAsync(c => c.Id == delivery.ContactId, ct);
                        rules.RecordAccepted(delivery, contact, outcome.Describe());
                        await db.SaveChangesAsync(ct);
                        break;
                    case SendOutcomeKind.Refused:
                        var reading = engine.ReadSmtpReply(claim.Email, outcome.ReplyCode!.Value, outcome.Reply, outcome.Command ?? "RCPT", relay.Host);
                        var bounce = BounceEvent.Create(
                            BounceSource.SmtpResponse,
                            MessageKind.Bounce,
                            claim.Email,
                            reading.Reason,
                            reading.Permanent,
                            reading.Status,
                            reading.ReplyCode,
                            reading.Diagnostic,
                            reading.RemoteMta,
                            reading.Rule,
                            feedbackType: null,
                            now,
                            IdempotencyKeyOf(claim),
                            claim.DeliveryId,
                            deliveryAttemptId: claim.AttemptId);
                        await bounces.RecordAsync(db, bounce, ct);
                        break;
                    default:
                        // The attempt before it too, so the delivery's last attempt time goes back to that one.
                        await db.Entry(delivery).Collection(d => d.Attempts).Query()
                            .Where(a => a.Number == claim.AttemptNumber - 1)
                            .LoadAsync(ct);
                        delivery.ReleaseAttempt(now, now + options.Value.ConnectionRetryDelay, outcome.Describe());
                        await db.SaveChangesAsync(ct);
                        break;
                }

                return ((DeliveryState?)delivery.State, true);
            },
            cancellationToken);
        await notifier.NotifyIfPresentAsync(claim.CampaignId);
        return recorded;
    }

    /// <summary>The idempotency key of the SMTP reply to one attempt: the same reply recorded twice counts once.</summary>
    public static string IdempotencyKeyOf(ClaimedDelivery claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return $"smtp:{claim.DeliveryId}:{claim.AttemptNumber}";
    }

    /// <summary>
    /// Releases attempts claimed longer than <see cref="SendingOptions.ClaimTimeout"/> ago and still sending: their worker
    /// died between the claim and the result. They are due again at once. Returns how many were released.
    /// </summary>
    public async Task<int> ReleaseStaleAsync(CancellationToken cancellationToken = default) =>
        await runner.RunAsync(
            nameof(ReleaseStaleAsync),
            async (db, _, ct) =>
            {
                var now = time.GetUtcNow();
                var staleBefore = now - options.Value.ClaimTimeout;
                var stale = await db.Deliveries
                    .Include(d => d.Attempts.OrderByDescending(a => a.Number).Take(2))
                    .Where(d => d.State == DeliveryState.Sending && d.LastAttemptAt < staleBefore)
                    .OrderBy(d => d.Id)
                    .Take(1000)
                    .ToListAsync(ct);
                foreach (var delivery in stale)
                {
                    delivery.ReleaseAttempt(now, now, $"Released: claimed at {delivery.LastAttemptAt:O} and no result recorded within {options.Value.ClaimTimeout}.");
                }

                if (stale.Count > 0)
                {
                    await db.SaveChangesAsync(ct);
                    logger.LogWarning("Released {Count} deliveries whose attempt had no result after {Timeout}: they will be sent again", stale.Count, options.Value.ClaimTimeout);
                }

                return (stale.Count, stale.Count > 0);
            },
            cancellationToken);

    /// <summary>
    /// Marks Sent every campaign in progress whose deliveries all exist and are all final or delivered (none queued,
    /// sending or awaiting a retry). Returns the ids marked.
    /// </summary>
    public async Task<IReadOnlyList<long>> CompleteCampaignsAsync(CancellationToken cancellationToken = default) =>
        await runner.RunAsync(
            nameof(CompleteCampaignsAsync),
            async (db, _, ct) =>
            {
                var done = await db.Campaigns
                    .Where(c => c.State == CampaignState.InProgress && c.DeliveriesQueuedAt != null
                        && !db.Deliveries.Any(d => d.CampaignId == c.Id && Outstanding.Contains(d.State)))
                    .ToListAsync(ct);
                var now = time.GetUtcNow();
                foreach (var campaign in done)
                {
                    campaign.MarkSent(now);
                    logger.LogInformation("Campaign {CampaignId} sent: every delivery is final", campaign.Id);
                }

                if (done.Count > 0)
                {
                    await db.SaveChangesAsync(ct);
                }

                return ((IReadOnlyList<long>)done.Select(c => c.Id).ToList(), done.Count > 0);
            },
            cancellationToken);

    /// <summary>
    /// The hard-bounce guard (<see cref="SendingGuard"/>) for one campaign in progress: pauses it, with the reason and an
    /// audit entry, when too many of its latest completed attempts failed permanently. True when it paused it.
    /// </summary>
    public async Task<bool> GuardAsync(long campaignId, CancellationToken cancellationToken = default) =>
        await runner.RunAsync(
            nameof(GuardAsync),
            async (db, _, ct) =>
            {
                var campaign = await db.Campaigns.SingleAsync(c => c.Id == campaignId, ct);
                if (campaign.State != CampaignState.InProgress)
                {
                    return (false, false);
                }

                var outcomes = await db.DeliveryAttempts
                    .Where(a => a.Outcome != DeliveryAttemptOutcome.Pending
                        && db.Deliveries.Any(d => d.Id == a.DeliveryId && d.CampaignId == campaignId))
                    .OrderByDescending(a => a.Id)
                    .Take(guard.Window)
                    .Select(a => a.Outcome)
                    .ToListAsync(ct);
                var permanent = outcomes.Count(o => o == DeliveryAttemptOutcome.PermanentFailure);
                if (guard.PauseReason(outcomes.Count, permanent) is not { } reason)
                {
                    return (false, false);
                }

                var now = time.GetUtcNow();
                campaign.Pause(reason, now, automatic: true);
                db.AuditLogEntries.Add(AuditLogEntry.Record(now, SystemActor, AuditAction.PauseCampaign, $"Campaign {campaign.Id}", reason));
                await db.SaveChangesAsync(ct);
                logger.LogWarning("Campaign {CampaignId} paused by the hard-bounce guard: {Reason}", campaign.Id, reason);
                return (true, true);
            },
            cancellationToken);

    /// <summary>A Message-ID of our own: unique, with the bounce domain on the right (RFC 5322 §3.6.4).</summary>
    private static string NewMessageId(string domain) => $"<{Guid.NewGuid():N}@{domain}>";
}
