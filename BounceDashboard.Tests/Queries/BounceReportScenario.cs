using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;

namespace BounceDashboard.Tests.Queries;

/// <summary>
/// Two campaigns from two sending domains, sent through two IPs, and bounces saved through the real SaveChanges path
/// (origin and report-cell interceptors) into a migrated SQLite database.
/// </summary>
internal sealed class BounceReportScenario(SqliteDatabase database)
{
    public static readonly DateTimeOffset Sent = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private int _key;

    public Campaign Spring { get; private set; } = default!;

    public Campaign Winter { get; private set; } = default!;

    public async Task<BounceReportScenario> WithCampaignsAsync()
    {
        Spring = Campaign.Create("Spring sale", CampaignKind.Regular, "news@mail.spring.example", "Spring", Sent);
        Winter = Campaign.Create("Winter news", CampaignKind.Regular, "hello@winter.example", "Winter", Sent);
        await database.SeedAsync(Spring, Winter);
        return this;
    }

    /// <summary>A delivery of the campaign to a new contact, first attempted from <paramref name="ip"/>.</summary>
    public async Task<Delivery> DeliveryAsync(Campaign campaign, string ip)
    {
        var contact = Contact.Create($"p{Interlocked.Increment(ref _key)}-{Guid.NewGuid():N}@example.org", Sent);
        await database.SeedAsync(contact);
        var delivery = Delivery.Create(campaign.Id, contact.Id, Sent);
        delivery.BeginAttempt(Sent, $"<{Guid.NewGuid():N}@{campaign.FromDomain}>", ip, "relay.example.com");
        await database.SeedAsync(delivery);
        return delivery;
    }

    /// <summary>A bounce saved on its own, as ingest saves it.</summary>
    public async Task<BounceEvent> BounceAsync(
        Delivery? delivery,
        DateTimeOffset at,
        string diagnostic,
        BounceReason reason = BounceReason.UserUnknown,
        string recipient = "someone@example.org",
        MessageKind kind = MessageKind.Bounce)
    {
        var permanent = diagnostic.StartsWith('5');
        var bounce = BounceEvent.Create(
            BounceSource.Mailbox, kind, recipient, reason, permanent, null, null, diagnostic, "mx.example.org", "test", null, at,
            $"Mailbox:test/{Interlocked.Increment(ref _key)}:{recipient}", delivery?.Id);
        await database.SeedAsync(bounce);
        return bounce;
    }
}
