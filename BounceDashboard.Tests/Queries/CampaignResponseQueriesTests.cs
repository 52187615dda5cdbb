using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Queries;

/// <summary>The campaign page's figures, chart and breakdowns over a real SQLite database with the app's migrations.</summary>
public sealed class CampaignResponseQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start.AddHours(5));
    private SqliteDatabase _database = default!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private CampaignResponseQueries CreateQueries() => new(_database.Factory, _time);

    private async Task<Campaign> StartedCampaignAsync(long? audienceId = null)
    {
        var campaign = Campaign.Create("Spring sale", CampaignKind.Regular, "news@mail.example.com", "Spring is here", Start.AddDays(-1), audienceId is { } id ? [id] : null);
        campaign.SetContent("Example News", "<p>Hello</p>", null);
        campaign.StartSending(Start);
        await _database.SeedAsync(campaign);
        return campaign;
    }

    private async Task<Contact> ContactAsync(string email)
    {
        var contact = Contact.Create(email, Start.AddDays(-10));
        await _database.SeedAsync(contact);
        return contact;
    }

    private static Delivery Attempted(long campaignId, Contact contact, DateTimeOffset at)
    {
        var delivery = Delivery.Create(campaignId, contact.Id, Start);
        delivery.BeginAttempt(at, $"<{Guid.NewGuid():N}@mail.example.com>");
        return delivery;
    }

    /// <summary>
    /// Two to gmail.com (one delivered, opened and clicked; one hard bounced), one to outlook.com soft bounced, one to
    /// yahoo.com still queued.
    /// </summary>
    private async Task<Campaign> SeedMixedCampaignAsync()
    {
        var audience = Audience.Create("Newsletter readers", Start.AddDays(-5));
        await _database.SeedAsync(audience);
        var campaign = await StartedCampaignAsync(audience.Id);
        var reader = Attempted(campaign.Id, await ContactAsync("reader@gmail.com"), Start.AddMinutes(10));
        reader.MarkDelivered(Start.AddMinutes(11), "250 OK");
        reader.RecordOpen(Start.AddMinutes(90));
        reader.RecordClick(Start.AddMinutes(130));
        var gone = Attempted(campaign.Id, await ContactAsync("gone@gmail.com"), Start.AddMinutes(20));
        gone.MarkHardBounced(Start.AddMinutes(21), "550 5.1.1 User unknown", BounceReason.UserUnknown, permanent: true);
        var full = Attempted(campaign.Id, await ContactAsync("full@outlook.com"), Start.AddMinutes(65));
        full.MarkSoftBounced(Start.AddMinutes(70), "452 4.2.2 Mailbox full", BounceReason.MailboxFull);
        var waiting = Delivery.Create(campaign.Id, (await ContactAsync("later@yahoo.com")).Id, Start);
        await _database.SeedAsync(reader, gone, full, waiting);

        // What the chart counts, as the app records it: a bounce event per bounce, a tracking event per open or click.
        await _database.SeedAsync(
            new BounceEventBuilder().ForDelivery(gone.Id).WithRecipient("gone@gmail.com").WithKey("k-gone").ReceivedAt(Start.AddMinutes(21)).Build(),
            new BounceEventBuilder().ForDelivery(full.Id).WithRecipient("full@outlook.com").WithReason(BounceReason.MailboxFull).WithKey("k-full").ReceivedAt(Start.AddMinutes(70)).Build(),
            TrackingEvent.Open(reader.Id, Start.AddMinutes(90)),
            TrackingEvent.Click(reader.Id, "https://example.com/spring", Start.AddMinutes(130)));
        return campaign;
    }

    [Fact]
    public async Task GetAsync_ShouldReturnNull_WhenTheCampaignDoesNotExist()
    {
        Assert.Null(await CreateQueries().GetAsync(404));
    }

    [Fact]
    public async Task GetAsync_ShouldNameEveryAudienceByName_WhenTheCampaignGoesToSeveral()
    {
        var readers = Audience.Create("Readers", Start.AddDays(-5));
        var buyers = Audience.Create("Buyers", Start.AddDays(-5));
        await _database.SeedAsync(readers, buyers);
        var campaign = Campaign.Create("Spring sale", CampaignKind.Regular, "news@mail.example.com", "Spring is here", Start.AddDays(-1), [readers.Id, buyers.Id]);
        await _database.SeedAsync(campaign);

        var response = await CreateQueries().GetAsync(campaign.Id);

        Assert.NotNull(response);
        Assert.Equal([new AudienceRef(buyers.Id, "Buyers"), new AudienceRef(readers.Id, "Readers")], response.Campaign.Audiences);
    }

    [Fact]
    public async Task GetAsync_ShouldDescribeTheCampaignAndCountItsDeliveries_WhenItIsSending()
    {
        var campaign = await SeedMixedCampaignAsync();

        var response = await CreateQueries().GetAsync(campaign.Id);

        Assert.NotNull(response);
        Assert.Equal("Spring sale", response.Campaign.Name);
        Assert.Equal("Spring is here", response.Campaign.Subject);
        Assert.Equal("Example News", response.Campaign.FromName);
        Assert.Equal(["Newsletter readers"], response.Campaign.Audiences.Select(a => a.Name));
        Assert.Equal(Start, response.Campaign.StartedAt);
        Assert.True(response.Campaign.IsLive);
        Assert.Equal(new CampaignCounts(Sent: 3, Delivered: 1, InProgress: 0, SoftBounced: 1, HardBounced: 1, UniqueOpens: 1, UniqueClicks: 1), response.Counts);
    }

    [Fact]
    public async Task GetAsync_ShouldBucketSentBouncedOpenedAndClickedPerHour_WhenTheSendStartedLessThan72HoursAgo()
    {
        var campaign = await SeedMixedCampaignAsync();

        var timeline = (await CreateQueries().GetAsync(campaign.Id))!.Timeline;

        Assert.Equal(TimelineBucket.Hour, timeline.Bucket);
        Assert.Equal(
            [
                new TimelinePoint(Start, Sent: 2, Bounced: 1, Opened: 0, Clicked: 0),
                new TimelinePoint(Start.AddHours(1), Sent: 1, Bounced: 1, Opened: 1, Clicked: 0),
                new TimelinePoint(Start.AddHours(2), Sent: 0, Bounced: 0, Opened: 0, Clicked: 1),
                new TimelinePoint(Start.AddHours(3), 0, 0, 0, 0),
                new TimelinePoint(Start.AddHours(4), 0, 0, 0, 0),
            ],
            timeline.Points);
    }

    [Fact]
    public async Task GetAsync_ShouldBucketPerDay_WhenTheSendStartedMoreThan72HoursAgo()
    {
        var campaign = await SeedMixedCampaignAsync();
        _time.SetUtcNow(Start.AddDays(9).AddHours(1));

        var timeline = (await CreateQueries().GetAsync(campaign.Id))!.Timeline;

        Assert.Equal(TimelineBucket.Day, timeline.Bucket);
        Assert.Equal(10, timeline.Points.Count);
        Assert.Equal(new TimelinePoint(Start, Sent: 3, Bounced: 2, Opened: 1, Clicked: 1), timeline.Points[0]);
        Assert.All(timeline.Points.Skip(1), p => Assert.Equal(0, p.Sent + p.Bounced + p.Opened + p.Clicked));
    }

    [Fact]
    public async Task GetAsync_ShouldBreakBouncesDownByReasonAndKind_WhenDeliveriesBounced()
    {
        var campaign = await SeedMixedCampaignAsync();

        var reasons = (await CreateQueries().GetAsync(campaign.Id))!.Reasons;

        Assert.Equal(2, reasons.Count);
        Assert.Contains(new ReasonBreakdownRow(BounceReason.UserUnknown, BounceKind.Hard, 1, 0.5), reasons);
        Assert.Contains(new ReasonBreakdownRow(BounceReason.MailboxFull, BounceKind.Soft, 1, 0.5), reasons);
    }

    [Fact]
    public async Task GetAsync_ShouldCountSentAndBouncedPerRecipientDomain_WhenDeliveriesWereAttempted()
    {
        var campaign = await SeedMixedCampaignAsync();

        var domains = (await CreateQueries().GetAsync(campaign.Id))!.Domains;

        // The queued delivery to yahoo.com was not sent, so its domain is not listed.
        Assert.Equal([new DomainBreakdownRow("gmail.com", 2, 1), new DomainBreakdownRow("outlook.com", 1, 1)], domains);
        Assert.Equal(0.5, domains[0].BounceRate);
    }

    [Fact]
    public async Task GetAsync_ShouldListTheTopTenDomainsAndSumTheRestAsOthers_WhenThereAreMoreDomains()
    {
        var campaign = await StartedCampaignAsync();
        var deliveries = new List<Delivery>();
        for (var domain = 1; domain <= 13; domain++)
        {
            // Domain n gets 20 - n deliveries, so the order is known; the last three become "others".
            for (var i = 0; i < 20 - domain; i++)
            {
                var delivery = Attempted(campaign.Id, await ContactAsync($"user{i}@domain{domain:00}.example"), Start.AddMinutes(1));
                delivery.MarkDelivered(Start.AddMinutes(2), "250 OK");
                deliveries.Add(delivery);
            }
        }

        await _database.SeedAsync([.. deliveries]);

        var domains = (await CreateQueries().GetAsync(campaign.Id))!.Domains;

        Assert.Equal(11, domains.Count);
        Assert.Equal("domain01.example", domains[0].Domain);
        Assert.Equal(19, domains[0].Sent);
        Assert.Equal(new DomainBreakdownRow(CampaignResponseQueries.OthersLabel, 9 + 8 + 7, 0, IsOthers: true), domains[^1]);
    }

    [Fact]
    public async Task GetAsync_ShouldReturnAnEmptyChartAndBreakdowns_WhenADraftHasNoDeliveries()
    {
        var draft = Campaign.Create("Next newsletter", CampaignKind.Regular, "news@mail.example.com", "Soon", Start);
        await _database.SeedAsync(draft);

        var response = await CreateQueries().GetAsync(draft.Id);

        Assert.NotNull(response);
        Assert.False(response.Campaign.IsLive);
        Assert.Empty(response.Campaign.Audiences);
        Assert.Equal(CampaignCounts.Empty, response.Counts);
        Assert.Empty(response.Timeline.Points);
        Assert.Empty(response.Reasons);
        Assert.Empty(response.Domains);
    }
}
