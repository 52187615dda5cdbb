using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;

namespace BounceDashboard.Domain.Rules;

/// <summary>
/// The product's bounce policy, as pure state changes on loaded entities: no I/O, time from the injected
/// <see cref="TimeProvider"/>, every number from <see cref="RulesOptions"/>. The caller loads the entities, calls one
/// method, and saves the result (with the event's idempotency key) in one transaction.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Soft vs hard comes from <see cref="BounceEvent.Permanent"/> (class 5 vs class 4); "the address itself is bad"
/// from <see cref="BounceEvent.Hard"/>.</item>
/// <item>A transient failure is retried on the <see cref="RetrySchedule"/> up to <see cref="RulesOptions.MaxAttempts"/>;
/// at the last attempt it is final soft bounced, or hard bounced with a bad address when it names one (a 4.1.1).</item>
/// <item>A permanent failure is final hard bounced. A bad address moves an Active contact to Error (cause
/// <see cref="ContactErrorCause.BadAddress"/>) and suppresses the address at once; other hard bounces count, and
/// <see cref="RulesOptions.HardBounceCampaignsForConfirmedBounce"/> consecutive campaigns make a Confirmed Bounce
/// (also suppressed).</item>
/// <item><see cref="RulesOptions.SoftBounceCampaignsForError"/> consecutive soft-bounced campaigns move an Active
/// contact to Error (cause <see cref="ContactErrorCause.RepeatedSoftBounces"/>); the address is not suppressed.</item>
/// <item>With <see cref="RulesOptions.AutoUnsubscribeEnabled"/>, <see cref="RulesOptions.AutoUnsubscribeAfterBounces"/>
/// consecutive bounced campaigns of any kind without activity opt an Active contact out (and suppress it).</item>
/// <item>A complaint (<see cref="FeedbackTypes.IsComplaint"/>) suppresses the address with reason Complaint and opts an
/// Active or Error contact out. An unsubscribe report (<see cref="FeedbackTypes.IsOptOut"/>, a mailbox provider's
/// unsubscribe button) opts the contact out and suppresses the address with reason Unsubscribe, which lifts without the
/// complaint confirmation; so does a recipient's one-click unsubscribe (<see cref="ApplyUnsubscribe"/>). Auto-replies, delay notices, success reports, ordinary mail and unparseable messages
/// change nothing.</item>
/// <item>A complaint replaces a suppression entry in force for another reason (lifting it, by the system), so that
/// reactivating the address always needs the complaint's confirmation.</item>
/// <item>Statuses move only from Active, except that Error for repeated soft bounces may still become Error for a bad
/// address or a Confirmed Bounce. A suppression is added only when the address has none in force.</item>
/// <item>Unmatched events (no delivery) change nothing, complaints and unsubscribes included (anyone can mail the
/// bounce mailbox a hand-made report naming any address): they stay <see cref="BounceEventState.AwaitingMatch"/> in
/// the review queue, and once matched (<see cref="BounceEvent.MatchTo"/>) they are applied like any other.</item>
/// <item>An event is applied once: a second call with the same event, or with another event carrying the key the
/// delivery last applied, changes nothing. Streaks are per campaign (see <see cref="Contact"/>), so two events for
/// the same campaign count once.</item>
/// </list>
/// </remarks>
public sealed class BounceRules
{
    /// <summary>The lift reason recorded on an entry a complaint replaces.</summary>
    public const string SupersededByComplaint = "Superseded by a complaint";

    /// <summary>The actor recorded on the suppression entry of a recipient's own unsubscribe.</summary>
    public const string RecipientActor = "recipient";

    private readonly RulesOptions _options;
    private readonly TimeProvider _time;

    public BounceRules(RulesOptions options, TimeProvider time)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        Schedule = new RetrySchedule(options);
    }

    public RetrySchedule Schedule { get; }

    /// <summary>
    /// Applies one bounce event. <paramref name="delivery"/> is the event's delivery (null when unmatched),
    /// <paramref name="contact"/> that delivery's contact, and <paramref name="suppression"/> the contact's address's
    /// entry in force, if any. An unmatched event is left waiting for a match and changes nothing.
    /// </summary>
    public BounceApplication ApplyBounce(BounceEvent bounce, Delivery? delivery, Contact? contact, SuppressionEntry? suppression)
    {
        ArgumentNullException.ThrowIfNull(bounce);
        if (bounce.DeliveryId != delivery?.Id)
        {
            throw new DomainException($"Bounce event {bounce.Id} is for delivery {Describe(bounce.DeliveryId)}, not {Describe(delivery?.Id)}.");
        }

        if (delivery is not null)
        {
            if (contact is null)
            {
                throw new DomainException($"Applying bounce event {bounce.Id} to delivery {delivery.Id} needs the delivery's contact.");
            }

            EnsureSameContact(delivery, contact);
        }

        var statusBefore = contact?.Status;
        if (bounce.IsApplied || (delivery is not null && delivery.HasApplied(bounce.IdempotencyKey)))
        {
            return new BounceApplication(bounce.Effect ?? BounceEffect.None, true, null, statusBefore, statusBefore);
        }

        if (delivery is null || contact is null || bounce.State != BounceEventState.Pending)
        {
            // Unmatched (or dismissed): nothing changes until the review queue or a late match links it to a delivery.
            return new BounceApplication(BounceEffect.None, false, null, statusBefore, statusBefore, AwaitingMatch: bounce.State == BounceEventState.AwaitingMatch);
        }

        var now = _time.GetUtcNow();
        var change = bounce.Kind switch
        {
            MessageKind.FeedbackReport when FeedbackTypes.IsOptOut(bounce.FeedbackType) =>
                ApplyOptOut(bounce, contact, suppression, now),
            MessageKind.FeedbackReport when FeedbackTypes.IsComplaint(bounce.FeedbackType) =>
                ApplyComplaint(bounce, contact, suppression, now),
            MessageKind.Bounce => ApplyFailure(bounce, delivery, contact, suppression, now),
            _ => Change.None,
        };

        bounce.MarkApplied(change.Effect, now);
        delivery.RememberBounceEvent(bounce.IdempotencyKey);
        return new BounceApplication(change.Effect, false, change.NewSuppression, statusBefore, contact.Status);
    }

    /// <summary>
    /// Checks a due delivery before its attempt: sending reaches only Active contacts whose address is not suppressed.
    /// When the contact is not sendable, a queued delivery is skipped and one awaiting a retry ends soft bounced
    /// without counting against the contact (it is already out of the sendable set); the reason is returned.
    /// Null means the attempt may start (<see cref="Delivery.BeginAttempt"/>).
    /// </summary>
    public DeliverySkipReason? StopIfUnsendable(Delivery delivery, Contact contact, SuppressionEntry? suppression)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(contact);
        EnsureSameContact(delivery, contact);
        if (Sendability.SkipReasonFor(contact, suppression) is not { } reason)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (delivery.State == DeliveryState.AwaitingRetry)
        {
            delivery.AbandonRetry(now);
        }
        else
        {
            delivery.Skip(reason, now);
        }

        return reason;
    }

    /// <summary>The relay accepted an attempt: the delivery is Delivered and the contact remembers it (it may break a streak).</summary>
    public void RecordAccepted(Delivery delivery, Contact contact, string? smtpReply)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(contact);
        EnsureSameContact(delivery, contact);
        var now = _time.GetUtcNow();
        delivery.MarkDelivered(now, smtpReply);
        contact.RecordDelivered(delivery.CampaignId, delivery.FirstAttemptAt ?? now);
    }

    /// <summary>
    /// Applies an open or a click: first-open/first-click times on the delivery, and the contact's activity, which
    /// resets its bounce streaks unless it is in Error for a permanent cause or a Confirmed Bounce.
    /// </summary>
    public static TrackingApplication ApplyTracking(TrackingEvent tracking, Delivery delivery, Contact contact)
    {
        ArgumentNullException.ThrowIfNull(tracking);
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(contact);
        if (tracking.DeliveryId != delivery.Id)
        {
            throw new DomainException($"Tracking event {tracking.Id} is for delivery {tracking.DeliveryId}, not {delivery.Id}.");
        }

        EnsureSameContact(delivery, contact);
        var first = tracking.Kind switch
        {
            TrackingEventKind.Open => delivery.RecordOpen(tracking.OccurredAt),
            TrackingEventKind.Click => delivery.RecordClick(tracking.OccurredAt),
            _ => throw new DomainException($"Unknown tracking event kind {tracking.Kind}."),
        };
        var reset = contact.RecordActivity(tracking.OccurredAt);
        return new TrackingApplication(first, reset);
    }

    /// <summary>
    /// A recipient's own unsubscribe (the one-click <c>List-Unsubscribe</c> URL of <paramref name="delivery"/>, RFC
    /// 8058): the same effect as an unsubscribe report. An Active or Error contact is opted out, and the address is
    /// suppressed with reason Unsubscribe unless an entry is already in force (<paramref name="suppression"/>).
    /// Returns the entry to add, if any; asking again changes nothing.
    /// </summary>
    public SuppressionEntry? ApplyUnsubscribe(Delivery delivery, Contact contact, SuppressionEntry? suppression)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(contact);
        EnsureSameContact(delivery, contact);
        var now = _time.GetUtcNow();
        if (contact.Status is ContactStatus.Active or ContactStatus.Error)
        {
            contact.OptOut(now);
        }

        var note = $"one-click unsubscribe (List-Unsubscribe) from delivery {delivery.Id} of campaign {delivery.CampaignId}";
        return Suppress(contact.Email, SuppressionReason.Unsubscribe, note, null, RecipientActor, suppression, now);
    }

    private Change ApplyFailure(BounceEvent bounce, Delivery delivery, Contact contact, SuppressionEntry? suppression, DateTimeOffset now)
    {
        // Final deliveries stay as they are; a transient report while a retry is already scheduled repeats what is known.
        if (delivery.IsFinal || delivery.State == DeliveryState.Queued
            || (delivery.State == DeliveryState.AwaitingRetry && !bounce.Permanent))
        {
            return Change.None;
        }

        var reply = bounce.SmtpReplyText();
        if (bounce.Permanent)
        {
            delivery.MarkHardBounced(now, reply, bounce.Reason, permanent: true);
            return CountHard(bounce, delivery, contact, suppression, badAddress: bounce.Hard, now);
        }

        var next = Schedule.NextAttemptAt(delivery.FirstAttemptAt ?? now, delivery.AttemptCount, now);
        if (next is { } due)
        {
            delivery.ScheduleRetry(now, due, reply, bounce.Reason);
            return new Change(BounceEffect.RetryScheduled, null);
        }

        if (bounce.Hard)
        {
            // A transient failure naming a bad address (a 4.1.1), still failing at the last attempt: a hard bounce.
            delivery.MarkHardBounced(now, reply, bounce.Reason, permanent: false);
            return CountHard(bounce, delivery, contact, suppression, badAddress: true, now);
        }

        delivery.MarkSoftBounced(now, reply, bounce.Reason);
        contact.RecordBounce(delivery.CampaignId, delivery.FirstAttemptAt ?? now, BounceKind.Soft, ReportedAt(bounce, now));
        if (contact.ConsecutiveSoftBounces >= _options.SoftBounceCampaignsForError && contact.Status == ContactStatus.Active)
        {
            contact.MarkError(ContactErrorCause.RepeatedSoftBounces, now);
        }

        return new Change(BounceEffect.SoftBounced, AutoUnsubscribe(bounce, contact, suppression, now));
    }

    private Change CountHard(BounceEvent bounce, Delivery delivery, Contact contact, SuppressionEntry? suppression, bool badAddress, DateTimeOffset now)
    {
        contact.RecordBounce(delivery.CampaignId, delivery.FirstAttemptAt ?? now, BounceKind.Hard, ReportedAt(bounce, now));
        if (badAddress)
        {
            if (contact.CanTakeFailureStatus)
            {
                contact.MarkError(ContactErrorCause.BadAddress, now);
            }

            return new Change(BounceEffect.HardBounced, Suppress(contact.Email, SuppressionReason.HardBounce, bounce, suppression, now));
        }

        if (contact.ConsecutiveHardBounces >= _options.HardBounceCampaignsForConfirmedBounce && contact.CanTakeFailureStatus)
        {
            contact.MarkConfirmedBounce(now);
            return new Change(BounceEffect.HardBounced, Suppress(contact.Email, SuppressionReason.ConfirmedBounce, bounce, suppression, now));
        }

        return new Change(BounceEffect.HardBounced, AutoUnsubscribe(bounce, contact, suppression, now));
    }

    private SuppressionEntry? AutoUnsubscribe(BounceEvent bounce, Contact contact, SuppressionEntry? suppression, DateTimeOffset now)
    {
        if (!_options.AutoUnsubscribeEnabled
            || contact.Status != ContactStatus.Active
            || contact.ConsecutiveBounces < _options.AutoUnsubscribeAfterBounces)
        {
            return null;
        }

        contact.OptOut(now);
        return Suppress(contact.Email, SuppressionReason.AutoUnsubscribe, bounce, suppression, now);
    }

    private static Change ApplyComplaint(BounceEvent bounce, Contact contact, SuppressionEntry? suppression, DateTimeOffset now)
    {
        if (contact.Status is ContactStatus.Active or ContactStatus.Error)
        {
            contact.OptOut(now);
        }

        return new Change(BounceEffect.Complaint, Suppress(contact.Email, SuppressionReason.Complaint, bounce, suppression, now));
    }

    private static Change ApplyOptOut(BounceEvent bounce, Contact contact, SuppressionEntry? suppression, DateTimeOffset now)
    {
        if (contact.Status is ContactStatus.Active or ContactStatus.Error)
        {
            contact.OptOut(now);
        }

        return new Change(BounceEffect.OptedOut, Suppress(contact.Email, SuppressionReason.Unsubscribe, bounce, suppression, now));
    }

    private static SuppressionEntry? Suppress(string address, SuppressionReason reason, BounceEvent bounce, SuppressionEntry? existing, DateTimeOffset now)
    {
        // The cause, in words an admin reads on the suppression list; the entry also links to the event itself.
        var cause = reason == SuppressionReason.Unsubscribe ? "unsubscribe report (feedback-type " + bounce.FeedbackType + ")" : bounce.Reason.ToCode();
        var note = string.Join(' ', new[] { cause, bounce.EnhancedStatus, reason == SuppressionReason.Unsubscribe ? null : bounce.FeedbackType }.Where(p => !string.IsNullOrEmpty(p)));
        return Suppress(address, reason, note, bounce.Id > 0 ? bounce.Id : null, SuppressionEntry.SystemActor, existing, now);
    }

    private static SuppressionEntry? Suppress(
        string address,
        SuppressionReason reason,
        string note,
        long? bounceEventId,
        string actor,
        SuppressionEntry? existing,
        DateTimeOffset now)
    {
        if (existing is { IsActive: true })
        {
            if (!string.Equals(existing.Email, address, StringComparison.Ordinal))
            {
                throw new DomainException($"The suppression entry given is for {existing.Email}, not {address}.");
            }

            if (reason != SuppressionReason.Complaint || existing.Reason == SuppressionReason.Complaint)
            {
                return null;
            }

            // A complaint outranks any other reason: its entry replaces the one in force, so lifting it later
            // needs the explicit confirmation complaints require.
            existing.Lift(now, SuppressionEntry.SystemActor, SupersededByComplaint, complaintConfirmed: false);
        }

        return SuppressionEntry.Create(address, reason, SuppressionSource.Rules, now, actor, note, bounceEventId);
    }

    /// <summary>
    /// When the bounce happened as far as streaks go: when its report arrived, not when it was applied (a late match or a
    /// re-classification must not make every open since the report look older than the bounce); never in the future.
    /// </summary>
    private static DateTimeOffset ReportedAt(BounceEvent bounce, DateTimeOffset now) =>
        bounce.ReceivedAt < now ? bounce.ReceivedAt : now;

    private static string Describe(long? deliveryId) =>
        deliveryId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";

    private static void EnsureSameContact(Delivery delivery, Contact contact)
    {
        if (delivery.ContactId != contact.Id)
        {
            throw new DomainException($"Delivery {delivery.Id} is for contact {delivery.ContactId}, not {contact.Id}.");
        }
    }

    private sealed record Change(BounceEffect Effect, SuppressionEntry? NewSuppression)
    {
        public static Change None { get; } = new(BounceEffect.None, null);
    }
}
