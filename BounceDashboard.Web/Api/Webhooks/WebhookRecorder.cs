using System.Security.Cryptography;
using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Ingest;
using BounceDashboard.Web.Notifications;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Api.Webhooks;

/// <summary>
/// Matches provider events (<see cref="WebhookEvent"/>) to our deliveries and records them through the same commands as
/// the mailbox: bounces, delays, complaints, unsubscribes and deliveries as bounce events of source Webhook
/// (<see cref="BounceCommands.RecordAsync(BounceEvent, CancellationToken)"/>), opens and clicks as tracking events
/// (<see cref="TrackingCommands.RecordAsync"/>). Each event is its own transaction; its idempotency key holds the
/// provider's event id, so a replayed event counts once.
/// </summary>
/// <remarks>
/// <para>
/// Matching, in order: our signed token (the <see cref="TrackingHeaders.Token"/> header SES returns in
/// <c>mail.headers</c>, or the <c>bd_token</c> metadata we set for SendGrid, Mailgun and Postmark); the Message-ID we
/// gave the message, when exactly one delivery carries it; then the recipient's address: the contact's delivery whose
/// latest attempt is the most recent before the event, within <see cref="InboundIngest.AddressMatchWindow"/> (the
/// mailbox's rule). Unlike a mailed feedback report, a complaint matches by address too: the request is signed by the
/// provider that carried our mail. The providers' own message ids are not stored at send time (the relay's 250 reply is
/// all SMTP gives back), so they cannot match.
/// </para>
/// <para>
/// Unmatched bounces, complaints and unsubscribes wait in the review queue as the mailbox's do; an unmatched delivery,
/// delay, open or click is counted as ignored (it changes nothing, and a tracking event needs a delivery).
/// </para>
/// </remarks>
public sealed class WebhookRecorder(
    IDbContextFactory<BounceDbContext> dbFactory,
    BounceCommands bounces,
    TrackingCommands tracking,
    TrackingTokenSigner signer,
    TimeProvider time,
    ILogger<WebhookRecorder> logger,
    DashboardNotifier? notifier = null)
{
    public async Task<WebhookSummary> RecordAllAsync(WebhookProvider provider, IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        int recorded = 0, duplicates = 0, awaiting = 0, ignored = 0;
        foreach (var item in events)
        {
            switch (await RecordAsync(item, cancellationToken))
            {
                case Outcome.Recorded:
                    recorded++;
                    break;
                case Outcome.AwaitingMatch:
                    recorded++;
                    awaiting++;
                    break;
                case Outcome.Duplicate:
                    duplicates++;
                    break;
                default:
                    ignored++;
                    break;
            }
        }

        if (recorded > 0)
        {
            await notifier.NotifyIfPresentAsync(campaignId: null);
        }

        logger.LogInformation(
            "Webhook {Provider}: {Events} events, {Recorded} recorded ({AwaitingMatch} awaiting a match), {Duplicates} duplicates, {Ignored} ignored",
            provider, events.Count, recorded, awaiting, duplicates, ignored);
        return new WebhookSummary(RouteName(provider), events.Count, recorded, duplicates, awaiting, ignored);
    }

    /// <summary>The route segment and summary name of a provider ("ses", "sendgrid"...).</summary>
    public static string RouteName(WebhookProvider provider) => provider.ToString().ToLowerInvariant();

    /// <summary>The bounce event key: <c>Webhook:{provider}:{eventId}:{recipient}</c> (<see cref="BounceEvent.KeyFor"/>).</summary>
    public static string BounceKeyFor(WebhookEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return BounceEvent.KeyFor(BounceSource.Webhook, $"{RouteName(item.Provider)}:{item.EventId}", item.Recipient);
    }

    /// <summary>
    /// The tracking event key: <c>webhook:{provider}:{eventId}</c>, and <c>:{recipient}</c> when the event names several
    /// recipients; shortened with a digest when too long.
    /// </summary>
    public static string TrackingKeyFor(WebhookEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var id = item.OneOfMany ? $"{item.EventId}:{item.Recipient}" : item.EventId;
        var key = $"webhook:{RouteName(item.Provider)}:{id}";
        return key.Length <= TrackingEvent.IdempotencyKeyMaxLength
            ? key
            : $"webhook:{RouteName(item.Provider)}:sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))}";
    }

    private async Task<Outcome> RecordAsync(WebhookEvent item, CancellationToken cancellationToken)
    {
        if (item.Type == WebhookEventType.Ignored)
        {
            return Outcome.Ignored;
        }

        var deliveryId = await MatchAsync(item, cancellationToken);
        switch (item.Type)
        {
            case WebhookEventType.Open or WebhookEventType.Click:
                return await RecordTrackingAsync(item, deliveryId, cancellationToken);
            case WebhookEventType.Delivery or WebhookEventType.Delay when deliveryId is null:
                // They change nothing, so an unmatched one is not worth an admin's review.
                return Outcome.Ignored;
        }

        var kind = item.Type switch
        {
            WebhookEventType.Bounce => MessageKind.Bounce,
            WebhookEventType.Delay => MessageKind.Delay,
            WebhookEventType.Delivery => MessageKind.SuccessReport,
            _ => MessageKind.FeedbackReport,
        };
        var feedbackType = item.Type switch
        {
            WebhookEventType.Complaint => string.IsNullOrWhiteSpace(item.FeedbackType) ? FeedbackTypes.Abuse : item.FeedbackType,
            WebhookEventType.Unsubscribe => FeedbackTypes.Unsubscribe,
            _ => null,
        };
        var key = BounceKeyFor(item);
        var bounce = BounceEvent.Create(
            BounceSource.Webhook,
            kind,
            item.Recipient,
            item.Reason,
            item.Mapping.Permanent,
            item.EnhancedStatus,
            item.SmtpReply,
            item.Diagnostic,
            item.RemoteMta,
            item.Rule,
            feedbackType,
            time.GetUtcNow(),
            key,
            deliveryId,
            rawMessageRef: $"webhook:{RouteName(item.Provider)}:{item.EventId}");
        var result = await bounces.RecordAsync(bounce, cancellationToken);
        return result.Duplicate ? Outcome.Duplicate
            : result.State == BounceEventState.AwaitingMatch ? Outcome.AwaitingMatch
            : Outcome.Recorded;
    }

    private async Task<Outcome> RecordTrackingAsync(WebhookEvent item, long? deliveryId, CancellationToken cancellationToken)
    {
        if (deliveryId is not { } id)
        {
            return Outcome.Ignored;
        }

        var at = item.OccurredAt ?? time.GetUtcNow();
        TrackingEvent hit;
        if (item.Type == WebhookEventType.Click)
        {
            if (!Uri.TryCreate(item.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || item.Url!.Length > TrackingEvent.UrlMaxLength)
            {
                // A click is kept with its link; one without a usable link still shows the message was opened.
                hit = TrackingEvent.Open(id, at, TrackingKeyFor(item));
            }
            else
            {
                hit = TrackingEvent.Click(id, item.Url, at, TrackingKeyFor(item));
            }
        }
        else
        {
            hit = TrackingEvent.Open(id, at, TrackingKeyFor(item));
        }

        return await tracking.RecordAsync(hit, cancellationToken) switch
        {
            TrackingOutcome.Recorded => Outcome.Recorded,
            TrackingOutcome.Duplicate => Outcome.Duplicate,
            _ => Outcome.Ignored,
        };
    }

    /// <summary>The delivery the event concerns (see the remarks for the order), or null.</summary>
    private async Task<long?> MatchAsync(WebhookEvent item, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        EmailAddress.TryNormalize(item.Recipient, out var recipient);

        if (signer.TryVerify(item.Token?.Trim(), out var tokenDelivery)
            && await ContactOfAsync(db, db.Deliveries.Where(d => d.Id == tokenDelivery), cancellationToken) is { } byToken
            && Holds(byToken.Email, recipient, item.OneOfMany))
        {
            return byToken.DeliveryId;
        }

        if (item.MessageId?.Trim().TrimStart('<').TrimEnd('>') is { Length: > 0 } messageId)
        {
            var bracketed = $"<{messageId}>";
            var found = await db.Deliveries
                .Where(d => d.MessageId == bracketed || d.MessageId == messageId)
                .Join(db.Contacts, d => d.ContactId, c => c.Id, (d, c) => new DeliveryContact(d.Id, c.Email))
                .Take(2)
                .ToListAsync(cancellationToken);
            if (found.Count == 1 && Holds(found[0].Email, recipient, item.OneOfMany))
            {
                return found[0].DeliveryId;
            }
        }

        if (recipient is null)
        {
            return null;
        }

        var contactId = await db.Contacts.Where(c => c.Email == recipient).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
        if (contactId is not { } contact)
        {
            return null;
        }

        // The provider's time of the event, unless it is missing or ahead of our clock (BounceDate's rule for a Date header).
        var now = time.GetUtcNow();
        var at = item.OccurredAt is { } occurred && occurred <= now + BounceDate.ClockSkew ? occurred : now;
        return await InboundIngest.LatestSendBeforeAsync(db, contact, at, cancellationToken);
    }

    /// <summary>A token or Message-ID names one message to one contact: of several recipients only that contact's address is it.</summary>
    private static bool Holds(string contactEmail, string? recipient, bool oneOfMany) =>
        !oneOfMany || recipient is null || recipient == contactEmail;

    private static async Task<DeliveryContact?> ContactOfAsync(BounceDbContext db, IQueryable<Domain.Deliveries.Delivery> deliveries, CancellationToken cancellationToken) =>
        await deliveries.Join(db.Contacts, d => d.ContactId, c => c.Id, (d, c) => new DeliveryContact(d.Id, c.Email)).SingleOrDefaultAsync(cancellationToken);

    private sealed record DeliveryContact(long DeliveryId, string Email);

    private enum Outcome
    {
        Ignored,
        Recorded,
        AwaitingMatch,
        Duplicate,
    }
}
