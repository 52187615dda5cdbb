using BounceDashboard.Domain.Bounces;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Components.Pages.Reports;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Reports;

/// <summary>The bounce report page with a fake read side: its states, its URL filter and its drill-down.</summary>
public sealed class BounceReportTests : MudTestContext
{
    private const string Pattern = "550 5.1.1 <*>: Recipient address rejected: User unknown in virtual mailbox table";
    private const string Example = "550 5.1.1 <john@x.com>: Recipient address rejected: User unknown in virtual mailbox table";

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

    private readonly FakeBounceReportQueries _queries = new();

    public BounceReportTests()
    {
        Services.AddSingleton<IBounceReportQueries>(_queries);
        Services.AddSingleton<IBounceReportOptions>(_queries);
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        Services.AddLogging();
    }

    private IRenderedComponent<BounceReport> RenderReport(string? from = null, string? to = null, long? campaign = null, string? group = null)
    {
        // Query parameters come from the URL, as in the app.
        var query = new List<string>();
        if (from is not null)
        {
            query.Add($"from={from}");
        }

        if (to is not null)
        {
            query.Add($"to={to}");
        }

        if (campaign is not null)
        {
            query.Add(FormattableString.Invariant($"campaign={campaign}"));
        }

        if (group is not null)
        {
            query.Add($"group={group}");
        }

        Services.GetRequiredService<NavigationManager>().NavigateTo("reports/bounces" + (query.Count == 0 ? "" : "?" + string.Join('&', query)));
        return Render<BounceReport>();
    }

    [Fact]
    public void Render_ShouldShowTheRowsWithPatternExampleAndAmount_WhenThereAreBounces()
    {
        _queries.Rows.Add(new BounceReportRow("mail.spring.example", Pattern, Example, 1234, true, BounceReason.UserUnknown));
        _queries.Rows.Add(new BounceReportRow(null, "452 4.2.2 mailbox full", "452 4.2.2 mailbox full", 7, false, BounceReason.MailboxFull));

        var page = RenderReport();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("#bounce-report-grid tbody tr.bounce-report-row");
            Assert.Equal(2, rows.Count);
            Assert.Equal("mail.spring.example", rows[0].QuerySelector(".bounce-group")!.TextContent.Trim());
            Assert.Equal(Pattern, rows[0].QuerySelector(".bounce-pattern")!.TextContent.Trim());
            Assert.Equal($"e.g. {Example}", rows[0].QuerySelector(".bounce-example")!.TextContent.Trim());
            Assert.Equal("1,234", rows[0].QuerySelector(".bounce-amount")!.TextContent.Trim());
            Assert.Equal("true", rows[0].QuerySelector(".bounce-reason")!.GetAttribute("data-hard"));
            Assert.Contains("hard", rows[0].QuerySelector(".bounce-hard .bounce-kind")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("UserUnknown", rows[0].QuerySelector(".bounce-reason")!.GetAttribute("data-reason"));
            Assert.Equal("not matched to a send", rows[1].QuerySelector(".bounce-group")!.TextContent.Trim());
            Assert.Contains("soft", rows[1].QuerySelector(".bounce-hard .bounce-kind")!.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldRenderBounceTextAsText_WhenItHoldsMarkup()
    {
        const string hostile = "550 <script>alert('x')</script> <b>rejected</b>";
        _queries.Rows.Add(new BounceReportRow("mail.example", hostile, hostile, 1, false, BounceReason.Rejected));

        var page = RenderReport();

        page.WaitForAssertion(() =>
        {
            var pattern = page.Find(".bounce-pattern");
            Assert.Equal(hostile, pattern.TextContent.Trim());
            Assert.Empty(pattern.QuerySelectorAll("script, b"));
        });
    }

    [Fact]
    public void Render_ShouldSayWhatToDoNext_WhenThePeriodHasNoBounces()
    {
        var page = RenderReport();

        page.WaitForAssertion(() => Assert.Contains("Choose a longer period", page.Find("#bounce-report-empty").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ShouldShowTheLoadingBar_WhileTheReportLoads()
    {
        _queries.Gate = new TaskCompletionSource();

        var page = RenderReport();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#bounce-report-loading")));
        _queries.Gate.SetResult();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#bounce-report-loading")));
    }

    [Fact]
    public void Render_ShouldShowAClearErrorWithoutDetails_WhenTheQueryFails()
    {
        _queries.Failure = new InvalidOperationException("SQLite Error 1: no such table: BounceReportCells");

        var page = RenderReport();

        page.WaitForAssertion(() =>
        {
            var alert = page.Find("#bounce-report-error");
            Assert.Contains("could not be loaded", alert.TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldAskForTheLast30DaysOfAllCampaignsByDomain_WhenTheUrlHasNoFilter()
    {
        var page = RenderReport();

        page.WaitForAssertion(() =>
        {
            var filter = Assert.Single(_queries.Filters);
            Assert.Equal(new BounceReportFilter(new DateTimeOffset(2026, 11, 8, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero), null, BounceReportGrouping.SendingDomain), filter);
        });
        Assert.Contains("mud-button-filled", page.Find("#preset-last30days").ClassList);
        Assert.Contains("mud-button-filled", page.Find("#group-domain").ClassList);
    }

    [Fact]
    public void Render_ShouldTakeTheFilterFromTheUrl_WhenAViewIsShared()
    {
        _queries.Campaigns.Add(new CampaignOption(12, "Spring sale"));

        var page = RenderReport("2026-10-01", "2026-10-31", 12, "ip");

        page.WaitForAssertion(() =>
        {
            var filter = Assert.Single(_queries.Filters);
            Assert.Equal(new BounceReportFilter(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 12, BounceReportGrouping.SendingIp), filter);
            Assert.Contains("Sending IP", page.Find("#bounce-report-grid thead").TextContent, StringComparison.Ordinal);
        });
        Assert.Contains("mud-button-filled", page.Find("#group-ip").ClassList);
    }

    [Fact]
    public void GroupToggle_ShouldPutTheGroupingInTheUrl_WhenSwitchedToIp()
    {
        var page = RenderReport("2026-10-01", "2026-10-31");

        page.Find("#group-ip").Click();

        Assert.EndsWith("reports/bounces?from=2026-10-01&to=2026-10-31&group=ip", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Preset_ShouldPutTheLast7DaysInTheUrl_WhenClicked()
    {
        var page = RenderReport(campaign: 5);

        page.Find("#preset-last7days").Click();

        Assert.EndsWith("reports/bounces?from=2026-12-01&to=2026-12-07&campaign=5&group=domain", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShouldReloadTheGrid_WhenTheUrlsFilterChanges()
    {
        var page = RenderReport("2026-10-01", "2026-10-31");
        page.WaitForAssertion(() => Assert.Single(_queries.Filters));

        Services.GetRequiredService<NavigationManager>().NavigateTo("reports/bounces?from=2026-10-01&to=2026-10-31&group=ip");
        page.Render();

        page.WaitForAssertion(() => Assert.Equal(BounceReportGrouping.SendingIp, _queries.Filters[^1].GroupBy));
    }

    [Fact]
    public void DrillDown_ShouldListTheRowsBounces_WhenTheRowIsOpened()
    {
        _queries.Rows.Add(new BounceReportRow("mail.spring.example", Pattern, Example, 2, true, BounceReason.UserUnknown));
        _queries.Details.Add(new BounceDetailRow(
            9, Now.AddHours(-2), "mail.spring.example", "john@x.com", 12, "Spring sale", true, BounceReason.UserUnknown, "5.1.1", Example, Pattern));
        var dialogs = Render<MudDialogProvider>();
        var page = RenderReport();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".drill-down")));

        page.Find(".drill-down").Click();

        dialogs.WaitForAssertion(() =>
        {
            var row = dialogs.Find("#bounce-details-grid tbody tr.bounce-detail-row");
            Assert.Equal("john@x.com", row.QuerySelector(".bounce-recipient")!.TextContent.Trim());
            Assert.Contains(Example, row.QuerySelector(".bounce-diagnostic")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("Spring sale", row.TextContent, StringComparison.Ordinal);
        });
        Assert.Equal(new BounceReportRowKey("mail.spring.example", Pattern, true, BounceReason.UserUnknown), Assert.Single(_queries.DrilledDown));
    }
}
