using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Queries;

/// <summary>The campaign list over a real SQLite database with the app's migrations.</summary>
public sealed class CampaignQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private SqliteDatabase _database = default!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private CampaignQueries CreateQueries() => new(_database.Factory);

    private async Task<Campaign> AddCampaignAsync(string name)
    {
        var campaign = Campaign.Create(name, CampaignKind.Regular, "news@mail.example.com", $"{name} subject", Start);
        await _database.SeedAsync(campaign);
        return campaign;
    }

    private async Task<List<Contact>> AddContactsAsync(int count)
    {
        var contacts = Enumerable.Range(1, count)
            .Select(i => Contact.Create($"person{i}-{Guid.NewGuid():N}@example.org", Start))
            .ToList();
        await _database.SeedAsync([.. contacts]);
        return contacts;
    }

    private static Delivery Attempted(Campaign campaign, Contact contact)
    {
        var delivery = Delivery.Create(campaign.Id, contact.Id, Start);
        delivery.BeginAttempt(Start.AddMinutes(1), $"<{Guid.NewGuid():N}@mail.example.com>");
        return delivery;
    }

    [Fact]
    public async Task ListAsync_ShouldCountEachBucketFromTheDeliveries_WhenTheyAreInEveryState()
    {
        var campaign = await AddCampaignAsync("Spring sale");
        var c = await AddContactsAsync(8);
        var at = Start.AddMinutes(5);

        var queued = Delivery.Create(campaign.Id, c[0].Id, Start);
        var skipped = Delivery.Create(campaign.Id, c[1].Id, Start);
        skipped.Skip(DeliverySkipReason.AddressSuppressed, at);
        var sending = Attempted(campaign, c[2]);
        var clicked = Attempted(campaign, c[3]);
        clicked.MarkDelivered(at, "250 OK");
        clicked.RecordClick(at.AddHours(1));
        var opened = Attempted(campaign, c[4]);
        opened.MarkDelivered(at, "250 OK");
        opened.RecordOpen(at.AddHours(2));
        var retrying = Attempted(campaign, c[5]);
        retrying.ScheduleRetry(at, at.AddHours(1), "452 4.2.2 Mailbox full", BounceReason.MailboxFull);
        var soft = Attempted(campaign, c[6]);
        soft.MarkSoftBounced(at, "452 4.2.2 Mailbox full", BounceReason.MailboxFull);
        var hard = Attempted(campaign, c[7]);
        hard.MarkHardBounced(at, "550 5.1.1 User unknown", BounceReason.UserUnknown, permanent: true);
        await _database.SeedAsync(queued, skipped, sending, clicked, opened, retrying, soft, hard);

        var result = await CreateQueries().ListAsync(new PageRequest(0, 25));

        var summary = Assert.Single(result.Items);
        Assert.Equal("Spring sale", summary.Name);
        Assert.Equal("mail.example.com", summary.FromDomain);
        // Queued and skipped were never attempted, so they are not "sent".
        Assert.Equal(new CampaignCounts(Sent: 6, Delivered: 2, InProgress: 2, SoftBounced: 1, HardBounced: 1, UniqueOpens: 2, UniqueClicks: 1), summary.Counts);
    }

    [Fact]
    public async Task ListAsync_ShouldKeepEachCampaignsCountsApart_WhenCampaignsShareContacts()
    {
        var first = await AddCampaignAsync("First");
        var second = await AddCampaignAsync("Second");
        var contacts = await AddContactsAsync(2);
        var delivered = Attempted(first, contacts[0]);
        delivered.MarkDelivered(Start.AddMinutes(2), "250 OK");
        var bounced = Attempted(second, contacts[0]);
        bounced.MarkHardBounced(Start.AddMinutes(2), "550 5.1.1", BounceReason.UserUnknown, permanent: true);
        var alsoBounced = Attempted(second, contacts[1]);
        alsoBounced.MarkHardBounced(Start.AddMinutes(2), "550 5.1.1", BounceReason.UserUnknown, permanent: true);
        await _database.SeedAsync(delivered, bounced, alsoBounced);

        var result = await CreateQueries().ListAsync(new PageRequest(0, 25));

        var byName = result.Items.ToDictionary(s => s.Name);
        Assert.Equal(new CampaignCounts(1, 1, 0, 0, 0, 0, 0), byName["First"].Counts);
        Assert.Equal(new CampaignCounts(2, 0, 0, 0, 2, 0, 0), byName["Second"].Counts);
    }

    [Fact]
    public async Task ListAsync_ShouldReturnZeroCounts_WhenACampaignHasNoDeliveries()
    {
        await AddCampaignAsync("Draft only");

        var result = await CreateQueries().ListAsync(new PageRequest(0, 25));

        Assert.Equal(CampaignCounts.Empty, Assert.Single(result.Items).Counts);
        Assert.Equal(CampaignState.Draft, result.Items[0].State);
    }

    [Fact]
    public async Task ListAsync_ShouldPageNewestFirstAndReportTheTotal_WhenThereAreMoreCampaignsThanAPage()
    {
        foreach (var name in new[] { "Oldest", "Middle", "Newest" })
        {
            await AddCampaignAsync(name);
        }

        var queries = CreateQueries();
        var first = await queries.ListAsync(new PageRequest(0, 2));
        var second = await queries.ListAsync(new PageRequest(1, 2));

        Assert.Equal(3, first.TotalCount);
        Assert.Equal(["Newest", "Middle"], first.Items.Select(s => s.Name));
        Assert.Equal(3, second.TotalCount);
        Assert.Equal(["Oldest"], second.Items.Select(s => s.Name));
    }

    [Fact]
    public async Task ListAsync_ShouldReturnAnEmptyPage_WhenThereAreNoCampaigns()
    {
        var result = await CreateQueries().ListAsync(new PageRequest(0, 25));

        Assert.Empty(result.Items);
        Assert.Equal(0, result.TotalCount);
    }
}
