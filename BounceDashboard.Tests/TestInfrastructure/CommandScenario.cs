using System.Security.Claims;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Security;
using BounceDashboard.Web.Commands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// A real SQLite database with the real migrations, the real rules and commands, a fake clock, and helpers that seed
/// a contact and send it campaigns. One per test class (IAsyncLifetime creates and disposes the database).
/// </summary>
public abstract class CommandScenario : IAsyncLifetime
{
    private int _campaigns;
    private int _events;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    protected RulesOptions Options { get; } = new();

    protected SqliteDatabase Database { get; private set; } = null!;

    /// <summary>Every log line the commands wrote, to check what they log (and that they log no addresses).</summary>
    protected CapturingLoggerProvider Logs { get; } = new();

    protected DbCommandRunner Runner { get; private set; } = null!;

    protected BounceCommands Bounces { get; private set; } = null!;

    protected TrackingCommands Tracking { get; private set; } = null!;

    protected SuppressionCommands Suppression { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await SqliteDatabase.CreateAsync();
        Runner = new DbCommandRunner(Database.Factory, Logs.CreateLogger<DbCommandRunner>());
        Bounces = new BounceCommands(Runner, new BounceRules(Options, Time), Time, Logs.CreateLogger<BounceCommands>());
        Tracking = new TrackingCommands(Runner, new BounceRules(Options, Time), Logs.CreateLogger<TrackingCommands>());
        Suppression = new SuppressionCommands(Runner, new Reactivation(Time), new ManualSuppression(Time), Logs.CreateLogger<SuppressionCommands>());
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();

    protected static ClaimsPrincipal User(string name, params string[] roles) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))],
            authenticationType: "Test"));

    protected static ClaimsPrincipal Admin => User("admin@example.org", Roles.Admin);

    protected async Task<Contact> SeedContactAsync(string email = "jane@example.com")
    {
        var contact = Contact.Create(email, Time.GetUtcNow());
        await Database.SeedAsync(contact);
        return contact;
    }

    /// <summary>A new campaign a week after the last, and its delivery to the contact with the first attempt under way.</summary>
    protected async Task<Delivery> SendAsync(Contact contact)
    {
        Time.Advance(TimeSpan.FromDays(7));
        var campaign = Campaign.Create($"Campaign {++_campaigns}", CampaignKind.Regular, "news@mail.example.org", "News", Time.GetUtcNow());
        await Database.SeedAsync(campaign);
        var delivery = Delivery.Create(campaign.Id, contact.Id, Time.GetUtcNow());
        delivery.BeginAttempt(Time.GetUtcNow(), $"<{campaign.Id}.{contact.Id}@mail.example.org>", "192.0.2.10");
        await Database.SeedAsync(delivery);
        return delivery;
    }

    /// <summary>A contact at the fixture's recipient and a sent delivery to it whose token the test key signed.</summary>
    protected async Task<(Contact Contact, Delivery Delivery)> SeedSentDeliveryAsync()
    {
        var contact = await SeedContactAsync(InboundFixtures.FixtureRecipient);
        var delivery = await SendAsync(contact);
        await using var db = Database.CreateContext();
        var stored = await db.Deliveries.SingleAsync(d => d.Id == delivery.Id);
        stored.AssignToken(InboundFixtures.Signer.Create(delivery.Id));
        await db.SaveChangesAsync();
        return (contact, stored);
    }

    protected BounceEvent Event(
        long? deliveryId,
        bool permanent,
        BounceReason reason,
        MessageKind kind = MessageKind.Bounce,
        string recipient = "jane@example.com",
        string? key = null,
        string? feedbackType = null) =>
        BounceEvent.Create(
            BounceSource.Mailbox,
            kind,
            recipient,
            reason,
            permanent,
            EnhancedStatusCode.Create(permanent ? 5 : 4, BounceReasons.IsHard(reason, permanent) ? 1 : 7, 1),
            permanent ? "550" : "451",
            reason.ToCode(),
            "mx.example.com",
            "test",
            feedbackType,
            Time.GetUtcNow(),
            key ?? BounceEvent.KeyFor(BounceSource.Mailbox, $"box:1:{++_events}", recipient),
            deliveryId,
            $"inbox/{_events}");
}
