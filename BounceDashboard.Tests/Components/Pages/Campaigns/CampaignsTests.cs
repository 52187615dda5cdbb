using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Components.Pages.Campaigns;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Campaigns;

public sealed class CampaignsTests : MudTestContext
{
    private readonly FakeCampaignQueries _queries = new();

    public CampaignsTests() => Services.AddSingleton<ICampaignQueries>(_queries);

    private static CampaignSummary Summary(long id, string name, CampaignState state, CampaignCounts counts) =>
        new(id, name, CampaignKind.Regular, state, "news.example.com", counts);

    [Fact]
    public void Render_ShouldListEachCampaignWithItsCounts_WhenTheQueryReturnsCampaigns()
    {
        _queries.Campaigns.Add(Summary(2, "Spring sale", CampaignState.Sent, new CampaignCounts(1200, 1100, 0, 40, 60, 500, 120)));
        _queries.Campaigns.Add(Summary(1, "Welcome series", CampaignState.InProgress, new CampaignCounts(300, 250, 30, 5, 15, 90, 12)));

        var page = Render<Web.Components.Pages.Campaigns.Campaigns>();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("#campaigns-grid tbody tr.mud-table-row");
            Assert.Equal(2, rows.Count);
            var cells = rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
            Assert.Equal("Spring sale", cells[0]);
            Assert.Equal("Sent", cells[1]);
            Assert.Equal(["1,200", "1,100", "0", "40", "60", "500", "120"], cells[4..11]);
            Assert.Contains("Welcome series", rows[1].TextContent, StringComparison.Ordinal);
            Assert.Contains("In progress", rows[1].TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldFormatTheCountsTheUsersWay_WhenTheUsersCultureIsGerman()
    {
        using var german = CultureScope.German();
        _queries.Campaigns.Add(Summary(1, "Spring sale", CampaignState.Sent, new CampaignCounts(1_234_567, 1_200_000, 4_567, 10_000, 20_000, 500_000, 1_000)));

        var page = Render<Web.Components.Pages.Campaigns.Campaigns>();

        page.WaitForAssertion(() =>
        {
            var cells = page.Find("#campaigns-grid tbody tr.mud-table-row").QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
            Assert.Equal(["1.234.567", "1.200.000", "4.567", "10.000", "20.000", "500.000", "1.000"], cells[4..11]);
        });
    }

    [Fact]
    public void Render_ShouldAskForTheFirstPageOfTwentyFive_WhenTheGridLoads()
    {
        _queries.Campaigns.Add(Summary(1, "Only one", CampaignState.Draft, CampaignCounts.Empty));

        var page = Render<Web.Components.Pages.Campaigns.Campaigns>();

        page.WaitForAssertion(() => Assert.Equal(new PageRequest(0, 25), Assert.Single(_queries.Requests)));
    }

    [Fact]
    public void Render_ShouldShowTheTotalFromTheQuery_WhenThereAreMoreCampaignsThanOnePage()
    {
        for (var id = 1; id <= 30; id++)
        {
            _queries.Campaigns.Add(Summary(id, $"Campaign {id}", CampaignState.Sent, CampaignCounts.Empty));
        }

        var page = Render<Web.Components.Pages.Campaigns.Campaigns>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal(25, page.FindAll("#campaigns-grid tbody tr.mud-table-row").Count);
            Assert.Contains("of 30", page.Find(".mud-table-pagination").TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldShowTheEmptyState_WhenThereAreNoCampaigns()
    {
        var page = Render<Web.Components.Pages.Campaigns.Campaigns>();

        page.WaitForAssertion(() => Assert.Contains("No campaigns yet.", page.Markup, StringComparison.Ordinal));
    }

    private sealed class FakeCampaignQueries : ICampaignQueries
    {
        public List<CampaignSummary> Campaigns { get; } = [];

        public List<PageRequest> Requests { get; } = [];

        public Task<PagedResult<CampaignSummary>> ListAsync(PageRequest page, CancellationToken cancellationToken = default)
        {
            Requests.Add(page);
            var items = Campaigns.Skip(page.Skip).Take(page.Take).ToList();
            return Task.FromResult(new PagedResult<CampaignSummary>(items, Campaigns.Count));
        }
    }
}
