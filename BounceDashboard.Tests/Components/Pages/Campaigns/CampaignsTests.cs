using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Campaigns;

public sealed class CampaignsTests : MudTestContext
{
    private static readonly DateTimeOffset Started = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly FakeCampaignQueries _queries = new();

    public CampaignsTests() => Services.AddSingleton<ICampaignQueries>(_queries);

    private static CampaignSummary Summary(long id, string name, CampaignState state, CampaignCounts counts, CampaignKind kind = CampaignKind.Regular) =>
        new(id, name, kind, state, "news.example.com", counts, Started);

    private IRenderedComponent<Web.Components.Pages.Campaigns.Campaigns> RenderPage() => Render<Web.Components.Pages.Campaigns.Campaigns>();

    private static string Cell(AngleSharp.Dom.IElement row, string cellClass) => row.QuerySelector($"td.{cellClass}")!.TextContent.Trim();

    [Fact]
    public void Render_ShouldListEachSentCampaignWithItsCountsAndRates_WhenTheQueryReturnsCampaigns()
    {
        _queries.Campaigns.Add(Summary(2, "Spring sale", CampaignState.Sent, new CampaignCounts(1200, 1100, 0, 40, 60, 500, 120)));
        _queries.Campaigns.Add(Summary(1, "Welcome", CampaignState.Sent, new CampaignCounts(300, 250, 30, 5, 15, 90, 12)));

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("#campaigns-grid tbody tr.mud-table-row");
            Assert.Equal(2, rows.Count);
            Assert.Equal("Spring sale", Cell(rows[0], "campaign-name"));
            Assert.Equal("/campaigns/2", rows[0].QuerySelector("td.campaign-name a")!.GetAttribute("href"));
            Assert.Contains("Sent", rows[0].QuerySelector(".campaign-state")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("1,200", Cell(rows[0], "count-sent"));
            Assert.Equal("1,100", rows[0].QuerySelector("td.count-delivered .count")!.TextContent.Trim());
            Assert.Equal("91.7%", rows[0].QuerySelector("td.count-delivered .rate")!.TextContent.Trim());
            Assert.Equal("0", Cell(rows[0], "count-in-progress"));
            Assert.Equal("40", Cell(rows[0], "count-soft"));
            Assert.Equal("60", Cell(rows[0], "count-hard"));
            Assert.Equal("8.3%", Cell(rows[0], "rate-bounce"));
            Assert.Equal("500", rows[0].QuerySelector("td.count-opens .count")!.TextContent.Trim());
            Assert.Equal("45.5%", rows[0].QuerySelector("td.count-opens .rate")!.TextContent.Trim());
            Assert.Equal("10.9%", rows[0].QuerySelector("td.count-clicks .rate")!.TextContent.Trim());
            Assert.NotNull(rows[0].QuerySelector("td.campaign-date time"));
        });
    }

    [Fact]
    public void Render_ShouldShowADashForRates_WhenNothingWasSent()
    {
        _queries.Campaigns.Add(Summary(1, "Just started", CampaignState.Sent, CampaignCounts.Empty));

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var row = page.Find("#campaigns-grid tbody tr.mud-table-row");
            Assert.Equal("–", Cell(row, "rate-bounce"));
            Assert.Equal("–", row.QuerySelector("td.count-delivered .rate")!.TextContent.Trim());
        });
    }

    [Fact]
    public void Render_ShouldFormatTheCountsTheUsersWay_WhenTheUsersCultureIsGerman()
    {
        using var german = CultureScope.German();
        _queries.Campaigns.Add(Summary(1, "Spring sale", CampaignState.Sent, new CampaignCounts(1_234_567, 1_200_000, 4_567, 10_000, 20_000, 500_000, 1_000)));

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var row = page.Find("#campaigns-grid tbody tr.mud-table-row");
            Assert.Equal("1.234.567", Cell(row, "count-sent"));
            Assert.Equal("20.000", Cell(row, "count-hard"));
            // German percentages: a decimal comma and a no-break space before the sign ("97,2 %").
            Assert.Equal((1_200_000 / 1_234_567.0).ToString("P1", System.Globalization.CultureInfo.GetCultureInfo("de-DE")),
                row.QuerySelector("td.count-delivered .rate")!.TextContent.Trim());
            Assert.StartsWith("97,2", row.QuerySelector("td.count-delivered .rate")!.TextContent.Trim(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldAskForTheFirstPageOfTheSentTabNewestFirst_WhenTheGridLoads()
    {
        _queries.Campaigns.Add(Summary(1, "Only one", CampaignState.Sent, CampaignCounts.Empty));

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var request = Assert.Single(_queries.Requests);
            Assert.Equal(CampaignTab.Sent, request.Tab);
            Assert.Equal(new PageRequest(0, 25), request.Page);
            Assert.Equal(CampaignSortField.Date, request.SortBy);
            Assert.True(request.Descending);
        });
    }

    [Fact]
    public void Render_ShouldShowEachTabsCountInItsLabel_WhenTheCountsAreLoaded()
    {
        _queries.Campaigns.Add(Summary(1, "Spring sale", CampaignState.Sent, CampaignCounts.Empty));
        _queries.Campaigns.Add(Summary(2, "Summer sale", CampaignState.Sent, CampaignCounts.Empty));
        _queries.Campaigns.Add(Summary(3, "Autumn sale", CampaignState.Paused, CampaignCounts.Empty));
        _queries.Campaigns.Add(Summary(4, "Welcome", CampaignState.InProgress, CampaignCounts.Empty, CampaignKind.Automated));

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var tabs = page.FindAll("#campaign-tabs .mud-tab").Select(t => t.TextContent.Trim()).ToList();
            Assert.Equal(["Sent (2)", "In progress (1)", "Automated (1)", "Test (0)", "Drafts & scheduled (0)"], tabs);
        });
    }

    [Fact]
    public void ClickTab_ShouldListThatTabsCampaigns_WhenAnotherTabIsChosen()
    {
        _queries.Campaigns.Add(Summary(1, "Spring sale", CampaignState.Sent, CampaignCounts.Empty));
        _queries.Campaigns.Add(Summary(3, "Autumn sale", CampaignState.Paused, CampaignCounts.Empty));
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal("Spring sale", page.Find("#campaigns-grid td.campaign-name").TextContent.Trim()));

        page.FindAll("#campaign-tabs .mud-tab").Single(t => t.TextContent.Contains("In progress", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() =>
        {
            Assert.Equal(CampaignTab.InProgress, _queries.Requests[^1].Tab);
            Assert.Equal("Autumn sale", page.Find("#campaigns-grid td.campaign-name").TextContent.Trim());
        });
    }

    [Fact]
    public void Search_ShouldAskForMatchingNames_WhenTheMarketerTypes()
    {
        _queries.Campaigns.Add(Summary(1, "Spring sale", CampaignState.Sent, CampaignCounts.Empty));
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Single(_queries.Requests));

        page.Find(".campaign-search input").Input("spring");

        page.WaitForAssertion(() => Assert.Equal("spring", _queries.Requests[^1].Filter?.Search), Patience);
        Assert.Equal("spring", _queries.TabCountFilters[^1].Search);
    }

    [Fact]
    public void Render_ShouldShowTheTotalFromTheQuery_WhenThereAreMoreCampaignsThanOnePage()
    {
        for (var id = 1; id <= 30; id++)
        {
            _queries.Campaigns.Add(Summary(id, $"Campaign {id}", CampaignState.Sent, CampaignCounts.Empty));
        }

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            Assert.Equal(25, page.FindAll("#campaigns-grid tbody tr.mud-table-row").Count);
            Assert.Contains("of 30", page.Find(".mud-table-pagination").TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldSayHowToStart_WhenThereAreNoCampaigns()
    {
        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var empty = page.Find("#campaigns-empty");
            Assert.Contains("No campaigns here yet.", empty.TextContent, StringComparison.Ordinal);
            Assert.Equal("/campaigns/new", empty.QuerySelector("a")!.GetAttribute("href"));
        });
    }

    [Fact]
    public void Render_ShouldShowAClearErrorAndNoDetails_WhenTheQueryFails()
    {
        _queries.Failure = new InvalidOperationException("SQLite Error 1: no such table: Deliveries");

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var alert = page.Find("#campaigns-error");
            Assert.Contains("could not be loaded", alert.TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldOfferTheSendingDomainsThatExist_WhenTheFiltersLoad()
    {
        _queries.Campaigns.Add(Summary(1, "Spring sale", CampaignState.Sent, CampaignCounts.Empty));

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(1, _queries.DomainCalls));
        Assert.NotNull(page.Find(".campaign-domain"));
        Assert.NotNull(page.Find(".campaign-dates"));
    }

    private sealed class FakeCampaignQueries : ICampaignQueries
    {
        public List<CampaignSummary> Campaigns { get; } = [];

        public List<CampaignListRequest> Requests { get; } = [];

        public List<CampaignFilter> TabCountFilters { get; } = [];

        public int DomainCalls { get; private set; }

        public Exception? Failure { get; set; }

        public Task<PagedResult<CampaignSummary>> ListAsync(PageRequest page, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The page lists one tab at a time.");

        public Task<PagedResult<CampaignSummary>> ListAsync(CampaignListRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            if (Failure is not null)
            {
                throw Failure;
            }

            var inTab = Matching(request.Filter).Where(c => CampaignQueries.TabOf(c.Kind, c.State) == request.Tab).ToList();
            var items = inTab.Skip(request.Page.Skip).Take(request.Page.Take).ToList();
            return Task.FromResult(new PagedResult<CampaignSummary>(items, inTab.Count));
        }

        public Task<CampaignTabCounts> CountTabsAsync(CampaignFilter filter, CancellationToken cancellationToken = default)
        {
            TabCountFilters.Add(filter);
            if (Failure is not null)
            {
                throw Failure;
            }

            var tabs = Matching(filter).Select(c => CampaignQueries.TabOf(c.Kind, c.State)).ToList();
            int Count(CampaignTab tab) => tabs.Count(t => t == tab);
            return Task.FromResult(new CampaignTabCounts(
                Count(CampaignTab.Sent), Count(CampaignTab.InProgress), Count(CampaignTab.Automated), Count(CampaignTab.Test), Count(CampaignTab.Drafts)));
        }

        public Task<IReadOnlyList<string>> SendingDomainsAsync(CancellationToken cancellationToken = default)
        {
            DomainCalls++;
            return Task.FromResult<IReadOnlyList<string>>(Campaigns.Select(c => c.FromDomain).Distinct().Order(StringComparer.Ordinal).ToList());
        }

        private IEnumerable<CampaignSummary> Matching(CampaignFilter? filter) =>
            Campaigns.Where(c => string.IsNullOrWhiteSpace(filter?.Search) || c.Name.Contains(filter.Search, StringComparison.OrdinalIgnoreCase));
    }
}
