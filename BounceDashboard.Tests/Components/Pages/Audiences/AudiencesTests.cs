using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Audiences;

public sealed class AudiencesTests : MudTestContext
{
    private static readonly DateTimeOffset Created = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeAudienceQueries _queries = new();
    private readonly FakeAudienceCommands _commands = new();
    private IRenderedComponent<MudDialogProvider> _dialogs = default!;

    public AudiencesTests()
    {
        Services.AddSingleton<IAudienceQueries>(_queries);
        Services.AddSingleton<IAudienceCommands>(_commands);
        AddAuthorization().SetAuthorized(BounceDashboardApp.MarketerEmail).SetRoles(Roles.Marketer);
    }

    private IRenderedComponent<Web.Components.Pages.Audiences.Audiences> RenderPage()
    {
        _dialogs = Render<MudDialogProvider>();
        return Render<Web.Components.Pages.Audiences.Audiences>();
    }

    [Fact]
    public void Render_ShouldListEachAudienceWithItsCountsByStatus_WhenTheQueryReturnsAudiences()
    {
        _queries.Audiences.Add(new AudienceSummary(2, "Spring list", "Spring news", Created, new AudienceCounts(1200, 3, 40, 5, 17)));
        _queries.Audiences.Add(new AudienceSummary(1, "Autumn list", null, Created, AudienceCounts.Empty));

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("#audiences-grid tbody tr.mud-table-row");
            Assert.Equal(2, rows.Count);
            var cells = rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
            Assert.Equal(["Spring list", "Spring news", "1,248", "1,200", "3", "40", "5", "17"], cells[..8]);
            Assert.Equal("/audiences/2", rows[0].QuerySelector("td.audience-name a")!.GetAttribute("href"));
            var headers = page.FindAll("#audiences-grid thead th").Select(th => th.TextContent.Trim()).ToList();
            Assert.Contains("Opted out", headers);
            Assert.Contains("Confirmed bounce", headers);
        });
    }

    [Fact]
    public void Render_ShouldShowTheLoadingText_WhileTheQueryRuns()
    {
        _queries.Pending = new TaskCompletionSource();

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#audiences-loading")));
        Assert.Empty(page.FindAll("#audiences-empty"));
    }

    [Fact]
    public void Render_ShouldSayWhatToDoNext_WhenThereAreNoAudiences()
    {
        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("New audience", page.Find("#audiences-empty").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ShouldShowAClearErrorWithoutTheException_WhenTheQueryFails()
    {
        _queries.Failure = new InvalidOperationException("SQLite Error 1: no such table: Audiences");

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var alert = page.Find("#audiences-error");
            Assert.Contains("could not be loaded", alert.TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Create_ShouldRunTheCommandAsTheSignedInUser_WhenTheDialogIsSaved()
    {
        var page = RenderPage();

        page.Find("#new-audience").Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find(".audience-name-dialog")));
        _dialogs.Find(".audience-name-dialog input").Input("Winter list");
        _dialogs.Find("#audience-save").Click();

        page.WaitForAssertion(() =>
        {
            var created = Assert.Single(_commands.Created);
            Assert.Equal("Winter list", created.Name);
            Assert.Equal(BounceDashboardApp.MarketerEmail, created.User.Identity!.Name);
            Assert.Empty(_dialogs.FindAll(".audience-name-dialog"));
        });
    }

    [Fact]
    public void Create_ShouldKeepTheDialogOpenWithTheReason_WhenTheNameIsTaken()
    {
        _commands.CreateResult = new AudienceCommandResult(CommandStatus.Invalid, "An audience named \"Spring list\" already exists. Choose another name.");
        var page = RenderPage();

        page.Find("#new-audience").Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find(".audience-name-dialog")));
        _dialogs.Find(".audience-name-dialog input").Input("Spring list");
        _dialogs.Find("#audience-save").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("already exists", _dialogs.Find("#audience-name-error").TextContent, StringComparison.Ordinal));
    }
}
