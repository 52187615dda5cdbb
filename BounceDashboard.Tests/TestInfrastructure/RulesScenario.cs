using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Data.Seeding;
using Microsoft.Extensions.Time.Testing;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// One contact mailed campaign after campaign under a fake clock, with the real <see cref="BounceRules"/>.
/// Entities get ids the way the database would give them (<see cref="EntityIds"/>), so the rules' id checks hold.
/// </summary>
public sealed class RulesScenario
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private long _nextCampaignId = 100;
    private long _nextDeliveryId = 1000;
    private long _nextEventId = 1;

    public RulesScenario(RulesOptions? options = null, string email = "jane.doe@example.com")
    {
        Options = options ?? new RulesOptions();
        Rules = new BounceRules(Options, Time);
        Contact = EntityIds.Set(Contact.Create(email, Time.GetUtcNow()), 7);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public RulesOptions Options { get; }

    public BounceRules Rules { get; }

    public Contact Contact { get; }

    /// <summary>The address's suppression entry in force, as the database would return it.</summary>
    public SuppressionEntry? Suppression { get; private set; }

    /// <summary>Every suppression entry the rules asked to add.</summary>
    public List<SuppressionEntry> AddedSuppressions { get; } = [];

    /// <summary>A new campaign's delivery to the contact, with its first attempt started now (a week after the last).</summary>
    public Delivery Send()
    {
        Time.Advance(TimeSpan.FromDays(7));
        var delivery = EntityIds.Set(Delivery.Create(_nextCampaignId++, Contact.Id, Time.GetUtcNow()), _nextDeliveryId++);
        delivery.BeginAttempt(Time.GetUtcNow(), $"<{delivery.Id}@mail.example.org>", "192.0.2.10", "relay.example.org");
        return delivery;
    }

    /// <summary>The relay accepts the current attempt.</summary>
    public void Accept(Delivery delivery) => Rules.RecordAccepted(delivery, Contact, "250 2.0.0 Ok: queued");

    /// <summary>Moves the clock to the delivery's next attempt and starts it.</summary>
    public void Retry(Delivery delivery)
    {
        var due = delivery.NextAttemptAt ?? throw new InvalidOperationException($"Delivery {delivery.Id} has no next attempt.");
        Time.SetUtcNow(due);
        delivery.BeginAttempt(Time.GetUtcNow(), delivery.MessageId!);
    }

    /// <summary>Builds a matched event for the delivery; <see cref="Apply"/> applies it.</summary>
    public BounceEvent Event(
        Delivery? delivery,
        bool permanent,
        BounceReason reason,
        MessageKind kind = MessageKind.Bounce,
        string? feedbackType = null,
        string? key = null,
        string? recipient = null)
    {
        var id = _nextEventId++;
        var hard = BounceReasons.IsHard(reason, permanent);
        var status = EnhancedStatusCode.Create(permanent ? 5 : 4, hard ? 1 : 2, hard ? 1 : 2);
        return EntityIds.Set(
            BounceEvent.Create(
                BounceSource.Mailbox,
                kind,
                recipient ?? Contact.Email,
                reason,
                permanent,
                status,
                permanent ? "550" : "450",
                $"{reason.ToCode()} reported by the test",
                "mx.example.com",
                "test",
                feedbackType,
                Time.GetUtcNow(),
                key ?? $"test:{id}",
                delivery?.Id),
            id);
    }

    /// <summary>Applies an event and keeps the suppression entry it adds, as the caller's transaction would.</summary>
    public BounceApplication Apply(BounceEvent bounce, Delivery? delivery, Contact? contact = null)
    {
        var result = Rules.ApplyBounce(bounce, delivery, contact ?? (delivery is null ? null : Contact), Suppression);
        if (result.NewSuppression is { } added)
        {
            AddedSuppressions.Add(added);
            Suppression = added;
        }

        return result;
    }

    /// <summary>A failure of the delivery's current attempt.</summary>
    public BounceApplication Fail(Delivery delivery, bool permanent, BounceReason? reason = null) =>
        Apply(Event(delivery, permanent, reason ?? (permanent ? BounceReason.Blocked : BounceReason.MailboxFull)), delivery);

    /// <summary>A new campaign whose delivery fails transiently at every attempt: final soft bounced.</summary>
    public Delivery SoftBouncedCampaign()
    {
        var delivery = Send();
        while (true)
        {
            Fail(delivery, permanent: false);
            if (delivery.State != DeliveryState.AwaitingRetry)
            {
                return delivery;
            }

            Retry(delivery);
        }
    }

    /// <summary>A new campaign whose delivery fails permanently for a reason other than a bad address (blocked).</summary>
    public Delivery HardBouncedCampaign()
    {
        var delivery = Send();
        Fail(delivery, permanent: true, BounceReason.Blocked);
        return delivery;
    }

    /// <summary>A new campaign whose delivery fails permanently naming a bad address (5.1.1 user unknown).</summary>
    public Delivery BadAddressCampaign()
    {
        var delivery = Send();
        Fail(delivery, permanent: true, BounceReason.UserUnknown);
        return delivery;
    }

    /// <summary>A new campaign delivered without a bounce.</summary>
    public Delivery DeliveredCampaign()
    {
        var delivery = Send();
        Accept(delivery);
        return delivery;
    }

    public TrackingApplication Track(Delivery delivery, TrackingEventKind kind)
    {
        Time.Advance(TimeSpan.FromHours(1));
        var tracking = kind == TrackingEventKind.Open
            ? TrackingEvent.Open(delivery.Id, Time.GetUtcNow())
            : TrackingEvent.Click(delivery.Id, "https://example.org/offer", Time.GetUtcNow());
        return BounceRules.ApplyTracking(tracking, delivery, Contact);
    }
}

/// <summary>Gives an entity the id the database would, through its private setter (the seeder's <see cref="EntityIds{TEntity}"/>, with the type inferred).</summary>
public static class EntityIds
{
    public static T Set<T>(T entity, long id)
        where T : class => EntityIds<T>.Assign(entity, id);
}
