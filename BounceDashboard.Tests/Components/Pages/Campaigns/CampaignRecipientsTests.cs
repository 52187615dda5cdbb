using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Components.Pages.Campaigns;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Campaigns;

public sealed class CampaignRecipientsTests : MudTestContext
{
    private const long CampaignId = 12;

    private readonly FakeDeliveryQueries _queries = new();
    private readonly FakeTimeProvider _time = new(TestData.Now);

    public CampaignRecipientsTests()
    {
        Services.AddSingleton<IDeliveryQueries>(_queries);
        Services.AddSingleton<TimeProvider>(_time);
    }

    private static RecipientRow Row(long id, string address, DeliveryState state = DeliveryState.Delivered, BounceReason? reason = null,
        string? reply = "250 2.0.0 OK", bool opened = false, bool clicked = false) =>
        new(id, address, state, 1, TestData.Now.AddMinutes(id), reply, reason, opened, clicked);

    private IRenderedComponent<CampaignRecipients> RenderGrid() =>
        Render<CampaignRecipients>(p => p.Add(c => c.CampaignId, CampaignId));

    private static AngleSharp.Dom.IElement SearchBox(IRenderedComponent<CampaignRecipients> grid)
    {
        var element = grid.Find("#recipients-search");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }

    [Fact]
    public void Render_ShouldShowEachRecipientsColumns_WhenTheQueryReturnsRows()
    {
        _queries.Recipients.Add(Row(7, "carol@gmail.com", DeliveryState.HardBounced, BounceReason.UserUnknown,
            "550 5.1.1 <carol@gmail.com>: The email account that you tried to reach does not exist"));
        _queries.Recipients.Add(Row(8, "dan@example.org", opened: true, clicked: true));

        var grid = RenderGrid();

        grid.WaitForAssertion(() =>
        {
            var rows = grid.FindAll("#recipients-grid tbody tr.mud-table-row");
            Assert.Equal(2, rows.Count);
            Assert.Equal("carol@gmail.com", rows[0].QuerySelector(".recipient-link")!.TextContent.Trim());
            Assert.Equal("/deliveries/7", rows[0].QuerySelector(".recipient-link")!.GetAttribute("href"));
            Assert.Equal("HardBounced", rows[0].QuerySelector(".delivery-state")!.GetAttribute("data-state"));
            Assert.Contains("Hard bounced", rows[0].QuerySelector(".delivery-state")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("User unknown", rows[0].QuerySelector(".bounce-reason")!.TextContent, StringComparison.Ordinal);
            // The reply is text (its angle brackets escaped), shown whole and cut by CSS, with the full text in a tooltip.
            Assert.Equal("550 5.1.1 <carol@gmail.com>: The email account that you tried to reach does not exist",
                rows[0].QuerySelector(".smtp-reply")!.TextContent);
            Assert.Contains("&lt;carol@gmail.com&gt;", rows[0].InnerHtml, StringComparison.Ordinal);
            Assert.Null(rows[0].QuerySelector(".recipient-opened"));
            Assert.NotNull(rows[1].QuerySelector(".recipient-opened"));
            Assert.NotNull(rows[1].QuerySelector(".recipient-clicked"));
            Assert.Null(rows[1].QuerySelector(".bounce-reason"));
        });
    }

    [Fact]
    public void Render_ShouldAskForTheFirstPageByAddressWithTheCountedTotal_WhenTheGridLoads()
    {
        for (var i = 1; i <= 30; i++)
        {
            _queries.Recipients.Add(Row(i, $"person{i:D2}@example.org"));
        }

        var grid = RenderGrid();

        grid.WaitForAssertion(() =>
        {
            var request = Assert.Single(_queries.PageRequests);
            Assert.Equal(new RecipientFilter(CampaignId), request.Filter);
            Assert.Equal(RecipientSortField.Address, request.SortBy);
            Assert.False(request.Descending);
            Assert.Equal(new PageRequest(0, 25), request.Page);
            Assert.Equal(30, request.Matching);
            Assert.Equal(25, grid.FindAll("#recipients-grid tbody tr.mud-table-row").Count);
            Assert.Contains("of 30", grid.Find(".mud-table-pagination").TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Paging_ShouldReuseTheTotal_WhenTheFilterIsUnchangedAndCountAgainOnceItIsOld()
    {
        for (var i = 1; i <= 60; i++)
        {
            _queries.Recipients.Add(Row(i, $"person{i:D2}@example.org"));
        }

        var grid = RenderGrid();
        grid.WaitForAssertion(() => Assert.Single(_queries.PageRequests));

        grid.Find("button[aria-label='Next page']").Click();
        grid.WaitForAssertion(() => Assert.Equal(2, _queries.PageRequests.Count));
        Assert.Equal(new PageRequest(1, 25), _queries.PageRequests[1].Page);
        Assert.Single(_queries.CountRequests);

        _time.Advance(CampaignRecipients.CountLifetime);
        grid.Find("button[aria-label='Next page']").Click();
        grid.WaitForAssertion(() => Assert.Equal(3, _queries.PageRequests.Count));
        Assert.Equal(2, _queries.CountRequests.Count);
    }

    [Fact]
    public void Search_ShouldAskForAddressesStartingWithTheText_WhenTheMarketerTypes()
    {
        _queries.Recipients.Add(Row(1, "ann@example.org"));
        _queries.Recipients.Add(Row(2, "bob@example.org"));
        var grid = RenderGrid();
        grid.WaitForAssertion(() => Assert.Equal(2, grid.FindAll("#recipients-grid tbody tr.mud-table-row").Count));

        SearchBox(grid).Input("Ann");
        SearchBox(grid).Blur();

        grid.WaitForAssertion(
            () =>
            {
                Assert.Equal("Ann", _queries.PageRequests[^1].Filter.AddressPrefix);
                var row = Assert.Single(grid.FindAll("#recipients-grid tbody tr.mud-table-row"));
                Assert.Contains("ann@example.org", row.TextContent, StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Render_ShouldSayWhatToDoNext_WhenTheCampaignHasNoRecipients()
    {
        var grid = RenderGrid();

        grid.WaitForAssertion(() =>
            Assert.Contains("no recipients yet", grid.Find(".recipients-empty").TextContent, StringComparison.Ordinal));
        Assert.Empty(_queries.PageRequests);
    }

    [Fact]
    public void Render_ShouldSuggestClearingTheFilters_WhenASearchMatchesNobody()
    {
        _queries.Recipients.Add(Row(1, "ann@example.org"));
        var grid = RenderGrid();
        grid.WaitForAssertion(() => Assert.Single(grid.FindAll("#recipients-grid tbody tr.mud-table-row")));

        SearchBox(grid).Input("zed");
        SearchBox(grid).Blur();

        grid.WaitForAssertion(
            () => Assert.Contains("No recipient matches these filters", grid.Find(".recipients-empty").TextContent, StringComparison.Ordinal),
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Render_ShouldShowAClearErrorWithoutDetails_WhenTheQueryFails()
    {
        _queries.Failure = new InvalidOperationException("SQLite Error 1: no such table: Deliveries");

        var grid = RenderGrid();

        grid.WaitForAssertion(() =>
        {
            var alert = grid.Find("#recipients-error");
            Assert.Contains("could not be loaded", alert.TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", grid.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldShowTheLoadingText_WhileTheFirstPageIsLoading()
    {
        _queries.Gate = new TaskCompletionSource();
        _queries.Recipients.Add(Row(1, "ann@example.org"));

        var grid = RenderGrid();

        grid.WaitForAssertion(() => Assert.NotNull(grid.Find(".recipients-loading")));
        _queries.Gate.SetResult();
        grid.WaitForAssertion(() => Assert.Single(grid.FindAll("#recipients-grid tbody tr.mud-table-row")));
    }

    [Fact]
    public void RowClick_ShouldOpenTheDeliveryPage_WhenARowIsClicked()
    {
        _queries.Recipients.Add(Row(42, "ann@example.org"));
        var grid = RenderGrid();
        grid.WaitForAssertion(() => Assert.Single(grid.FindAll("#recipients-grid tbody tr.mud-table-row")));

        grid.Find("#recipients-grid tbody tr.mud-table-row td.recipient-attempts").Click();

        Assert.EndsWith("/deliveries/42", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }
}
