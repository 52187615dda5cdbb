using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>Test data with sensible defaults, changed only where a test cares (eShop Ordering.UnitTests/Builders.cs).</summary>
public static class TestData
{
    /// <summary>The fixed "now" of test data.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
}

public sealed class ContactBuilder
{
    private string _email = "ann.smith@example.com";
    private string? _displayName = "Ann Smith";
    private DateTimeOffset _createdAt = TestData.Now;

    public ContactBuilder WithEmail(string email)
    {
        _email = email;
        return this;
    }

    public ContactBuilder WithDisplayName(string? displayName)
    {
        _displayName = displayName;
        return this;
    }

    public ContactBuilder CreatedAt(DateTimeOffset createdAt)
    {
        _createdAt = createdAt;
        return this;
    }

    public Contact Build() => Contact.Create(_email, _createdAt, _displayName);
}

public sealed class CampaignBuilder
{
    private string _name = "Spring newsletter";
    private CampaignKind _kind = CampaignKind.Regular;
    private string _from = "news@mail.example.com";
    private string _subject = "What's new this spring";
    private long[] _audienceIds = [];
    private DateTimeOffset _createdAt = TestData.Now;

    public CampaignBuilder WithName(string name)
    {
        _name = name;
        return this;
    }

    public CampaignBuilder WithKind(CampaignKind kind)
    {
        _kind = kind;
        return this;
    }

    public CampaignBuilder From(string fromAddress)
    {
        _from = fromAddress;
        return this;
    }

    public CampaignBuilder ForAudience(long audienceId)
    {
        _audienceIds = [audienceId];
        return this;
    }

    public CampaignBuilder ForAudiences(params long[] audienceIds)
    {
        _audienceIds = audienceIds;
        return this;
    }

    public CampaignBuilder CreatedAt(DateTimeOffset createdAt)
    {
        _createdAt = createdAt;
        return this;
    }

    public Campaign Build() => Campaign.Create(_name, _kind, _from, _subject, _createdAt, _audienceIds);
}

/// <summary>A delivery of a saved campaign to a saved contact, taken through its real transitions.</summary>
public sealed class DeliveryBuilder(long campaignId, long contactId)
{
    private readonly List<Action<Delivery>> _steps = [];
    private DateTimeOffset _at = TestData.Now;

    /// <summary>First attempt from the given IP, accepted by the relay.</summary>
    public DeliveryBuilder Delivered(string sendingIp = "192.0.2.10")
    {
        var at = _at;
        _steps.Add(d =>
        {
            d.BeginAttempt(at, $"<{campaignId}.{contactId}@mail.example.com>", sendingIp, "relay.example.com");
            d.MarkDelivered(at.AddSeconds(1), "250 2.0.0 OK queued");
        });
        return this;
    }

    /// <summary>First attempt refused with a permanent failure.</summary>
    public DeliveryBuilder HardBounced(BounceReason reason = BounceReason.UserUnknown, string sendingIp = "192.0.2.10")
    {
        var at = _at;
        _steps.Add(d =>
        {
            d.BeginAttempt(at, $"<{campaignId}.{contactId}@mail.example.com>", sendingIp, "relay.example.com");
            d.MarkHardBounced(at.AddSeconds(1), "550 5.1.1 <x@example.com>: Recipient address rejected: User unknown", reason, permanent: true);
        });
        return this;
    }

    public DeliveryBuilder Opened(DateTimeOffset at)
    {
        _steps.Add(d => d.RecordOpen(at));
        return this;
    }

    public DeliveryBuilder At(DateTimeOffset at)
    {
        _at = at;
        return this;
    }

    public Delivery Build()
    {
        var delivery = Delivery.Create(campaignId, contactId, _at);
        foreach (var step in _steps)
        {
            step(delivery);
        }

        return delivery;
    }
}

public sealed class BounceEventBuilder
{
    private long? _deliveryId;
    private string _recipient = "ann.smith@example.com";
    private BounceReason _reason = BounceReason.UserUnknown;
    private string _key = "Mailbox:inbox/1/42:ann.smith@example.com";
    private DateTimeOffset _receivedAt = TestData.Now;

    public BounceEventBuilder ForDelivery(long? deliveryId)
    {
        _deliveryId = deliveryId;
        return this;
    }

    public BounceEventBuilder WithRecipient(string recipient)
    {
        _recipient = recipient;
        return this;
    }

    public BounceEventBuilder WithReason(BounceReason reason)
    {
        _reason = reason;
        return this;
    }

    public BounceEventBuilder WithKey(string idempotencyKey)
    {
        _key = idempotencyKey;
        return this;
    }

    public BounceEventBuilder ReceivedAt(DateTimeOffset receivedAt)
    {
        _receivedAt = receivedAt;
        return this;
    }

    public BounceEvent Build() => BounceEvent.Create(
        BounceSource.Mailbox,
        MessageKind.Bounce,
        _recipient,
        _reason,
        permanent: true,
        EnhancedStatusCode.Parse("5.1.1"),
        "550",
        "smtp; 550 5.1.1 user unknown",
        "mx.example.com",
        "rfc3464",
        feedbackType: null,
        _receivedAt,
        _key,
        _deliveryId);
}

public sealed class SuppressionEntryBuilder
{
    private string _email = "ann.smith@example.com";
    private SuppressionReason _reason = SuppressionReason.HardBounce;
    private DateTimeOffset _createdAt = TestData.Now;

    public SuppressionEntryBuilder WithEmail(string email)
    {
        _email = email;
        return this;
    }

    public SuppressionEntryBuilder WithReason(SuppressionReason reason)
    {
        _reason = reason;
        return this;
    }

    public SuppressionEntryBuilder CreatedAt(DateTimeOffset createdAt)
    {
        _createdAt = createdAt;
        return this;
    }

    public SuppressionEntry Build() =>
        SuppressionEntry.Create(_email, _reason, SuppressionSource.Rules, _createdAt, SuppressionEntry.SystemActor);
}
