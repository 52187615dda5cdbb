using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Components.Pages.Audiences;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Audiences;

public sealed class AudiencePageTests : MudTestContext
{
    private static readonly DateTimeOffset Added = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeAudienceQueries _queries = new();
    private readonly FakeAudienceCommands _commands = new();

    public AudiencePageTests()
    {
        Services.AddSingleton<IAudienceQueries>(_queries);
        Services.AddSingleton<IAudienceCommands>(_commands);
        AddAuthorization().SetAuthorized(BounceDashboardApp.MarketerEmail).SetRoles(Roles.Marketer);
        _queries.Audiences.Add(new AudienceSummary(5, "Spring list", "Spring news", Added, new AudienceCounts(2, 0, 1, 0, 1)));
        _queries.Members.Add(new AudienceMemberRow(1, "ada@example.com", "Ada", ContactStatus.Active, false, Added));
        _queries.Members.Add(new AudienceMemberRow(2, "grace@example.org", "Grace", ContactStatus.Active, true, Added));
        _queries.Members.Add(new AudienceMemberRow(3, "olga@example.com", null, ContactStatus.OptedOut, false, Added));
    }

    private IRenderedComponent<AudiencePage> RenderPage(long id = 5)
    {
        Render<MudPopoverProvider>();
        return Render<AudiencePage>(p => p.Add(x => x.Id, id));
    }

    [Fact]
    public void Render_ShouldShowTheAudienceItsCountsMembersAndExportLink_WhenItExists()
    {
        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Spring list", page.Find("#audience-title").TextContent.Trim());
            Assert.Contains("Members: 3", page.Find("#audience-counts").TextContent, StringComparison.Ordinal);
            Assert.Contains("Opted out: 1", page.Find("#audience-counts").TextContent, StringComparison.Ordinal);
            Assert.Equal("/exports/audiences/5.csv", page.Find("#audience-export").GetAttribute("href"));
            var rows = page.FindAll("#members-grid tbody tr.mud-table-row");
            Assert.Equal(3, rows.Count);
            Assert.Equal("Active", rows[0].QuerySelector(".contact-status")!.TextContent.Trim());
            Assert.NotNull(rows[1].QuerySelector(".member-suppressed"));
            Assert.Equal("Opted out", rows[2].QuerySelector(".contact-status")!.TextContent.Trim());
        });
    }

    [Fact]
    public void Render_ShouldShowTheLoadingIndicator_WhileTheAudienceLoads()
    {
        _queries.Pending = new TaskCompletionSource();

        var page = RenderPage();

        Assert.NotNull(page.Find("#audience-loading"));
    }

    [Fact]
    public void Render_ShouldLeadBackToTheList_WhenTheAudienceDoesNotExist()
    {
        var page = RenderPage(id: 99);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#audience-not-found a[href='/audiences']")));
    }

    [Fact]
    public void Render_ShouldShowAClearError_WhenTheQueryFails()
    {
        _queries.Failure = new TimeoutException("database is locked");

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("could not be loaded", page.Find("#audience-error").TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("locked", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldSayImportComesNext_WhenTheAudienceHasNoMembers()
    {
        _queries.Audiences[0] = _queries.Audiences[0] with { Counts = AudienceCounts.Empty };
        _queries.Members.Clear();

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("Import contacts", page.Find("#members-empty").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Import_ShouldPreviewTheBadRowAndImportAsTheSignedInUser_WhenAFileWithOneBadRowIsUploaded()
    {
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#audience-import")));

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            "email,name\nada@example.com,Ada\nnot-an-address,Nobody\ngrace@example.org,Grace\n", "contacts.csv"));
        page.WaitForAssertion(() => Assert.Contains("3 rows, comma separated", page.Find("#audience-import").TextContent, StringComparison.Ordinal));
        page.Find("#import-check").Click();

        page.WaitForAssertion(() =>
        {
            var bad = page.Find("tr.import-row[data-outcome='InvalidAddress']");
            Assert.Equal("3", bad.GetAttribute("data-line"));
            Assert.Contains("Import 2 contacts", page.Find("#import-confirm").TextContent, StringComparison.Ordinal);
        });
        page.Find("#import-confirm").Click();

        page.WaitForAssertion(() =>
        {
            var import = Assert.Single(_commands.Imports);
            Assert.Equal((5L, 0, (int?)1), (import.Id, import.Mapping.EmailColumn!.Value, import.Mapping.NameColumn));
            Assert.Equal(BounceDashboardApp.MarketerEmail, import.User.Identity!.Name);
            Assert.Empty(page.FindAll("#import-preview"));
        });
    }

    [Fact]
    public void Import_ShouldSayWhyAndOfferNoImport_WhenTheFileIsNotUtf8()
    {
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#audience-import")));

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(
            "email,name\nrenee@example.fr,Ren\u00e9e\n"u8.ToArray().Select(b => b == 0xC3 ? (byte)0xE9 : b).Where(b => b != 0xA9).ToArray(), "latin1.csv"));

        page.WaitForAssertion(() => Assert.Contains("not UTF-8", page.Find("#import-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#import-check"));
        Assert.Empty(_commands.Imports);
    }

    [Fact]
    public void Render_ShouldListTheCampaignsToTheAudienceWithLinks_WhenCampaignsUseIt()
    {
        _queries.Campaigns.Add(new AudienceCampaignRow(12, "Autumn offers", CampaignKind.Regular, CampaignState.Draft, Added, 2));
        _queries.Campaigns.Add(new AudienceCampaignRow(9, "Spring news", CampaignKind.Regular, CampaignState.Sent, Added, 1));

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("#audience-campaigns-table tr.audience-campaign");
            Assert.Equal(2, rows.Count);
            Assert.Equal("/campaigns/12/edit", rows[0].QuerySelector("a.audience-campaign-name")!.GetAttribute("href"));
            Assert.Equal("this and 1 more", rows[0].QuerySelector(".audience-campaign-audiences")!.TextContent.Trim());
            Assert.Equal("/campaigns/9", rows[1].QuerySelector("a.audience-campaign-name")!.GetAttribute("href"));
            Assert.Equal("Sent", rows[1].QuerySelector(".campaign-state")!.GetAttribute("data-state"));
            Assert.Empty(page.FindAll("#audience-campaigns-more"));
        });
    }

    [Fact]
    public void Render_ShouldSayHowToUseTheAudience_WhenNoCampaignUsesIt()
    {
        var page = RenderPage();

        page.WaitForAssertion(() =>
            Assert.NotNull(page.Find("#audience-campaigns-empty a[href='/campaigns/new']")));
    }
}
