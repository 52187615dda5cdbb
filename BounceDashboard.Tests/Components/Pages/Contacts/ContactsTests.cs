using BounceDashboard.Domain.Contacts;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using ContactsPage = BounceDashboard.Web.Components.Pages.Contacts.Contacts;

namespace BounceDashboard.Tests.Components.Pages.Contacts;

public sealed class ContactsTests : MudTestContext
{
    private static readonly DateTimeOffset At = TestData.Now;

    private readonly FakeContactQueries _queries = new();

    public ContactsTests() => Services.AddSingleton<IContactQueries>(_queries);

    private IRenderedComponent<ContactsPage> RenderPage(string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("contacts" + query);
        return Render<ContactsPage>();
    }

    private static ContactRow Row(long id, string email, ContactStatus status, ContactErrorCause? cause = null, bool suppressed = false) =>
        new(id, email, null, status, cause, At, status == ContactStatus.Active ? 0 : 2, suppressed);

    private void SeedSome()
    {
        _queries.Counts = new ContactStatusCounts(Active: 2, Error: 1, OptedOut: 0, ConfirmedBounce: 1);
        _queries.Rows.AddRange(
        [
            Row(1, "ann@example.org", ContactStatus.Active),
            Row(2, "bob@example.org", ContactStatus.Error, ContactErrorCause.BadAddress),
            Row(3, "carol@example.org", ContactStatus.ConfirmedBounce, suppressed: true),
            Row(4, "ann@example.org.uk", ContactStatus.Active),
        ]);
    }

    [Fact]
    public void Render_ShouldShowTheLoadingIndicator_WhileTheCountsAreLoading()
    {
        _queries.Gate = new TaskCompletionSource();

        var page = RenderPage();

        Assert.NotNull(page.Find("#contacts-loading"));
    }

    [Fact]
    public void Render_ShouldSayWhereContactsComeFrom_WhenThereAreNone()
    {
        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var empty = page.Find("#contacts-empty");
            Assert.Contains("import a CSV file into an audience", empty.TextContent, StringComparison.Ordinal);
            Assert.Equal("/audiences", empty.QuerySelector("a")!.GetAttribute("href"));
        });
    }

    [Fact]
    public void Render_ShouldShowAClearErrorWithoutDetails_WhenTheQueryFails()
    {
        _queries.Failure = new InvalidOperationException("SQLite Error 1: no such table: Contacts");

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("could not be counted", page.Find("#contacts-error").TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldShowATabPerStatusWithItsCountAndListConfirmedBouncesApart_WhenContactsExist()
    {
        SeedSome();

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var tabs = page.FindAll("#contacts-tabs .mud-tab").Select(t => t.TextContent.Trim()).ToList();
            Assert.Equal(["All (4)", "Active (2)", "Error (1)", "Opted out (0)", "Confirmed bounce (1)"], tabs);
            var rows = page.FindAll("#contacts-grid tbody tr.contact-row");
            Assert.Equal(4, rows.Count);
            Assert.Equal("/contacts/1", rows[0].QuerySelector(".contact-email a")!.GetAttribute("href"));
            Assert.Contains("bad address", rows[2].QuerySelector(".contact-status")!.TextContent, StringComparison.Ordinal);
            Assert.NotNull(rows[3].QuerySelector(".contact-suppressed"));
        });
        var search = _queries.Searches.Last();
        Assert.Equal((null, null, 4), (search.Filter.Search, search.Filter.Status, search.Total));
    }

    [Fact]
    public void ClickTab_ShouldListOnlyThatStatusWithItsCountAsTheTotal_WhenConfirmedBouncesAreChosen()
    {
        SeedSome();
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("#contacts-grid tbody tr.contact-row").Count));

        page.FindAll("#contacts-tabs .mud-tab").Single(t => t.TextContent.Contains("Confirmed bounce", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("#contacts-grid tbody tr.contact-row");
            Assert.Equal("carol@example.org", Assert.Single(rows).QuerySelector(".contact-email a")!.TextContent.Trim());
        });
        var search = _queries.Searches.Last();
        Assert.Equal((ContactStatus.ConfirmedBounce, 1), (search.Filter.Status, search.Total));
        Assert.EndsWith("contacts?status=ConfirmedBounce", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShouldSearchFromTheUrlAndMarkTheExactMatch_WhenLinkedWithAnAddress()
    {
        SeedSome();

        var page = RenderPage("?search=Ann%40Example.org&status=Active");

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("#contacts-grid tbody tr.contact-row");
            Assert.Equal(2, rows.Count);
            Assert.NotNull(rows[0].QuerySelector(".contact-exact"));
            Assert.Null(rows[1].QuerySelector(".contact-exact"));
        });
        var search = _queries.Searches.Last();
        Assert.Equal(("ann@example.org", ContactStatus.Active, (int?)null), (search.Filter.NormalizedSearch, search.Filter.Status, search.Total));
        Assert.Contains("mud-tab-active", page.FindAll("#contacts-tabs .mud-tab")[1].ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void PressEnter_ShouldOpenTheContact_WhenTheTypedTextIsAWholeAddressThatExists()
    {
        SeedSome();
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("#contacts-grid tbody tr.contact-row").Count));
        var navigation = Services.GetRequiredService<NavigationManager>();

        page.Find("#contacts-search").Input("Ann@Example.org");
        page.Find("#contacts-search").KeyUp(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        page.WaitForAssertion(() => Assert.EndsWith("/contacts/1", navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public void PressEnter_ShouldStayOnTheList_WhenTheTypedTextIsOnlyAPrefix()
    {
        SeedSome();
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("#contacts-grid tbody tr.contact-row").Count));
        var navigation = Services.GetRequiredService<NavigationManager>();

        page.Find("#contacts-search").Input("ann");
        page.Find("#contacts-search").KeyUp(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        page.WaitForAssertion(() => Assert.Contains(_queries.Searches, s => s.Page.PageSize == 1 && s.Filter.Search == "ann"));
        Assert.DoesNotContain("/contacts/", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShouldSayNothingMatchesAndWhatToTry_WhenTheSearchFindsNoAddress()
    {
        SeedSome();

        var page = RenderPage("?search=zed");

        page.WaitForAssertion(() =>
            Assert.Contains("No contact's address starts with \"zed\"", page.Find("#contacts-no-match").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ShouldShowAddressesAsText_WhenTheyContainMarkup()
    {
        _queries.Counts = new ContactStatusCounts(1, 0, 0, 0);
        _queries.Rows.Add(Row(9, "\"<b>x</b>\"@example.org", ContactStatus.Active) with { DisplayName = "<script>alert(1)</script>" });

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            Assert.Empty(page.FindAll("#contacts-grid b, #contacts-grid script"));
            Assert.Contains("&lt;script&gt;", page.Markup, StringComparison.Ordinal);
        });
    }
}
