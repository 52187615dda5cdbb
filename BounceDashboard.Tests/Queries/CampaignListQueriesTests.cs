using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Queries;

/// <summary>The response list's tabs, filters and sorting over a real SQLite database with the app's migrations.</summary>
public sealed class CampaignListQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private SqliteDatabase _database = default!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private CampaignQueries CreateQueries() => new(_database.Factory);

    /// <summary>A campaign taken to <paramref name="state"/> through its real transitions, started <paramref name="startedDaysIn"/> days after <see cref="Start"/>.</summary>
    private static Campaign NewCampaign(string name, CampaignState state, CampaignKind kind = CampaignKind.Regular, string from = "news@mail.example.com", int startedDaysIn = 0)
    {
        var campaign = Campaign.Create(name, kind, from, $"{name} subject", Start);
        campaign.SetContent(null, "<p>Hello</p>", null);
        var at = Start.AddDays(startedDaysIn);
        switch (state)
        {
            case CampaignState.Draft:
                break;
            case CampaignState.Scheduled:
                campaign.Schedule(at.AddDays(1), Start);
                break;
            case CampaignState.InProgress:
                campaign.StartSending(at);
                break;
            case CampaignState.Paused:
                campaign.StartSending(at);
                campaign.Pause("Too many hard bounces", at.AddHours(1), automatic: true);
                break;
            case CampaignState.Sent:
                campaign.StartSending(at);
                campaign.MarkSent(at.AddHours(2));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }

        return campaign;
    }

    private async Task SeedEveryTabAsync() =>
        await _database.SeedAsync(
            NewCampaign("Spring sale", CampaignState.Sent),
            NewCampaign("Summer sale", CampaignState.Sent, startedDaysIn: 10),
            NewCampaign("Autumn sale", CampaignState.InProgress, startedDaysIn: 20),
            NewCampaign("Winter sale", CampaignState.Paused, startedDaysIn: 30),
            NewCampaign("Welcome series", CampaignState.InProgress, CampaignKind.Automated),
            NewCampaign("Birthday", CampaignState.Draft, CampaignKind.Automated),
            NewCampaign("Test of spring", CampaignState.Sent, CampaignKind.Test),
            NewCampaign("Next newsletter", CampaignState.Draft),
            NewCampaign("Holiday teaser", CampaignState.Scheduled, from: "promo@offers.example.net"));

    private async Task<List<string>> NamesAsync(CampaignTab tab, CampaignFilter? filter = null, CampaignSortField sortBy = CampaignSortField.Date, bool descending = true) =>
        (await CreateQueries().ListAsync(new CampaignListRequest(tab, new PageRequest(0, 25), filter, sortBy, descending)))
            .Items.Select(c => c.Name).ToList();

    [Fact]
    public async Task ListAsync_ShouldPutEachCampaignInExactlyOneTab_WhenKindsAndStatesMix()
    {
        await SeedEveryTabAsync();

        Assert.Equal(["Summer sale", "Spring sale"], await NamesAsync(CampaignTab.Sent));
        Assert.Equal(["Winter sale", "Autumn sale"], await NamesAsync(CampaignTab.InProgress));
        Assert.Equal(["Birthday", "Welcome series"], await NamesAsync(CampaignTab.Automated, sortBy: CampaignSortField.Name, descending: false));
        Assert.Equal(["Test of spring"], await NamesAsync(CampaignTab.Test));
        Assert.Equal(["Holiday teaser", "Next newsletter"], await NamesAsync(CampaignTab.Drafts, sortBy: CampaignSortField.Name, descending: false));
    }

    [Fact]
    public async Task CountTabsAsync_ShouldCountEveryTab_WhenNoFilterIsSet()
    {
        await SeedEveryTabAsync();

        var counts = await CreateQueries().CountTabsAsync(CampaignFilter.None);

        Assert.Equal(new CampaignTabCounts(Sent: 2, InProgress: 2, Automated: 2, Test: 1, Drafts: 2), counts);
    }

    [Fact]
    public async Task ListAsync_ShouldFindByPartOfTheNameInAnyCase_WhenSearching()
    {
        await SeedEveryTabAsync();
        var filter = new CampaignFilter(Search: "SPRING");

        Assert.Equal(["Spring sale"], await NamesAsync(CampaignTab.Sent, filter));
        Assert.Equal(new CampaignTabCounts(1, 0, 0, 1, 0), await CreateQueries().CountTabsAsync(filter));
    }

    [Fact]
    public async Task ListAsync_ShouldTreatLikeWildcardsAsText_WhenTheSearchContainsThem()
    {
        await _database.SeedAsync(NewCampaign("50% off", CampaignState.Sent), NewCampaign("500 offers", CampaignState.Sent));

        Assert.Equal(["50% off"], await NamesAsync(CampaignTab.Sent, new CampaignFilter(Search: "50%")));
    }

    [Fact]
    public async Task ListAsync_ShouldKeepOneSendingDomain_WhenTheDomainFilterIsSet()
    {
        await SeedEveryTabAsync();

        var names = await NamesAsync(CampaignTab.Drafts, new CampaignFilter(SendingDomain: "offers.example.net"));

        Assert.Equal(["Holiday teaser"], names);
        Assert.Equal(["mail.example.com", "offers.example.net"], await CreateQueries().SendingDomainsAsync());
    }

    [Fact]
    public async Task ListAsync_ShouldKeepCampaignsStartedInTheRange_WhenADateRangeIsSet()
    {
        await SeedEveryTabAsync();
        var filter = new CampaignFilter(From: Start.AddDays(5), To: Start.AddDays(25));

        Assert.Equal(["Summer sale"], await NamesAsync(CampaignTab.Sent, filter));
        Assert.Equal(["Autumn sale"], await NamesAsync(CampaignTab.InProgress, filter));
    }

    [Fact]
    public async Task ListAsync_ShouldSortByNameOrDateBothWays_WhenAsked()
    {
        await SeedEveryTabAsync();

        Assert.Equal(["Spring sale", "Summer sale"], await NamesAsync(CampaignTab.Sent, sortBy: CampaignSortField.Name, descending: false));
        Assert.Equal(["Summer sale", "Spring sale"], await NamesAsync(CampaignTab.Sent, sortBy: CampaignSortField.Name, descending: true));
        Assert.Equal(["Spring sale", "Summer sale"], await NamesAsync(CampaignTab.Sent, sortBy: CampaignSortField.Date, descending: false));
    }

    [Fact]
    public async Task ListAsync_ShouldReturnTheStartAsTheDateAndItsCounts_WhenACampaignWasSent()
    {
        var campaign = NewCampaign("Spring sale", CampaignState.Sent, startedDaysIn: 3);
        await _database.SeedAsync(campaign);
        var contact = Contact.Create("reader@example.org", Start);
        await _database.SeedAsync(contact);
        await _database.SeedAsync(new DeliveryBuilder(campaign.Id, contact.Id).At(Start.AddDays(3)).Delivered().Build());

        var page = await CreateQueries().ListAsync(new CampaignListRequest(CampaignTab.Sent, new PageRequest(0, 25)));

        var summary = Assert.Single(page.Items);
        Assert.Equal(Start.AddDays(3), summary.Date);
        Assert.Equal(1, summary.Counts.Delivered);
        Assert.Equal(1.0, summary.Counts.DeliveredRate());
        Assert.Equal(0.0, summary.Counts.OpenRate());
    }

    [Fact]
    public void Rates_ShouldBeNull_WhenThereIsNothingToDivideBy()
    {
        var nothingDelivered = new CampaignCounts(Sent: 4, Delivered: 0, InProgress: 0, SoftBounced: 1, HardBounced: 3, UniqueOpens: 0, UniqueClicks: 0);

        Assert.Null(CampaignCounts.Empty.DeliveredRate());
        Assert.Null(CampaignCounts.Empty.BounceRate());
        Assert.Equal(1.0, nothingDelivered.BounceRate());
        Assert.Null(nothingDelivered.OpenRate());
        Assert.Null(nothingDelivered.ClickRate());
    }
}
