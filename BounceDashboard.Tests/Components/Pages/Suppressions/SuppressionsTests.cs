using System.Runtime.CompilerServices;
using System.Security.Claims;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Components.Pages.Suppressions;
using BounceDashboard.Web.Imports;
using BounceDashboard.Web.Queries;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Suppressions;

public sealed class SuppressionsTests : MudTestContext
{
    private readonly FakeSuppressionQueries _queries = new();
    private readonly FakeSuppressionCommands _commands = new();
    private readonly BunitAuthorizationContext _auth;

    public SuppressionsTests()
    {
        Services.AddSingleton<ISuppressionQueries>(_queries);
        Services.AddSingleton<ISuppressionCommands>(_commands);
        Services.AddLogging();
        _auth = AddAuthorization();
        _auth.SetAuthorized("admin@example.org");
        _auth.SetRoles(Roles.Admin);
    }

    private static SuppressionRow Row(string email, SuppressionReason reason = SuppressionReason.HardBounce, SuppressionCause? cause = null,
        string createdBy = SuppressionEntry.SystemActor, string? note = null, DateTimeOffset? liftedAt = null) =>
        new(email.Length, email, reason, createdBy == SuppressionEntry.SystemActor ? SuppressionSource.Rules : SuppressionSource.Admin, TestData.Now,
            createdBy, note, liftedAt, liftedAt is null ? null : "admin@example.org", liftedAt is null ? null : "Works again", cause);

    private static readonly SuppressionCause Bounce = new(
        41, TestData.Now, MessageKind.Bounce, BounceReason.UserUnknown, true, "5.1.1",
        "550 5.1.1 <ann@example.com>: <b>no such user</b>", "rfc3464-status", null, 77);

    private IRenderedComponent<Web.Components.Pages.Suppressions.Suppressions> RenderPage(string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("suppressions" + query);
        return Render<Web.Components.Pages.Suppressions.Suppressions>();
    }

    private void SignInAsMarketer()
    {
        _auth.SetAuthorized("marketer@example.org");
        _auth.SetRoles(Roles.Marketer);
    }

    [Fact]
    public void Render_ShouldShowTheLoadingText_WhileTheFirstPageIsLoading()
    {
        _queries.Pending = new TaskCompletionSource<PagedResult<SuppressionRow>>();

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.NotNull(page.Find(".suppression-loading")));
    }

    [Fact]
    public void Render_ShouldSayWhatToDoNext_WhenTheListIsEmpty()
    {
        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("The suppression list is empty", page.Find(".suppression-empty").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ShouldSayTheFiltersMatchNothing_WhenAFilteredListIsEmpty()
    {
        var page = RenderPage("?q=zed&reason=Complaint");

        page.WaitForAssertion(() => Assert.Contains("No entry matches these filters", page.Find(".suppression-empty").TextContent, StringComparison.Ordinal));
        Assert.Equal(new SuppressionFilter("zed", SuppressionReason.Complaint), _queries.Filters[0]);
    }

    [Fact]
    public void Render_ShouldShowWhyWhenAndByWhom_WhenThereAreEntries()
    {
        _queries.Rows.Add(Row("ann@example.com", cause: Bounce));
        _queries.Rows.Add(Row("bob@example.com", SuppressionReason.Manual, createdBy: "admin@example.org", note: "Asked by phone"));

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("#suppression-grid tbody tr.suppression-row");
            Assert.Equal(2, rows.Count);
            Assert.Equal("ann@example.com", rows[0].QuerySelector(".suppression-email")!.TextContent.Trim());
            Assert.Equal("HardBounce", rows[0].QuerySelector(".suppression-reason")!.GetAttribute("data-reason"));
            Assert.Contains("User unknown", rows[0].QuerySelector(".bounce-reason")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("rfc3464-status", rows[0].QuerySelector(".suppression-rule")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("/deliveries/77", rows[0].QuerySelector(".suppression-delivery")!.GetAttribute("href"));

            // A stranger's reply is text: its markup is escaped, never rendered.
            var diagnostic = rows[0].QuerySelector(".suppression-diagnostic")!;
            Assert.Equal("550 5.1.1 <ann@example.com>: <b>no such user</b>", diagnostic.TextContent);
            Assert.Null(diagnostic.QuerySelector("b"));
            Assert.Contains("by the rules · Rules", rows[0].QuerySelector(".suppression-by")!.TextContent, StringComparison.Ordinal);

            Assert.Equal("Asked by phone", rows[1].QuerySelector(".suppression-note")!.TextContent.Trim());
            Assert.Contains("admin@example.org", rows[1].QuerySelector(".suppression-by")!.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldShowAClearErrorWithoutDetails_WhenTheQueryFails()
    {
        _queries.Failure = new InvalidOperationException("SQLite Error 1: no such table: SuppressionEntries");

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var alert = page.Find("#suppression-error");
            Assert.Contains("could not be loaded", alert.TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", alert.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldOfferTheAdminActions_WhenTheUserIsAnAdmin()
    {
        _queries.Rows.Add(Row("ann@example.com"));
        _queries.Rows.Add(Row("old@example.com", liftedAt: TestData.Now));

        var page = RenderPage("?lifted=1");

        page.WaitForAssertion(() =>
        {
            Assert.NotNull(page.Find("#suppression-add"));
            Assert.NotNull(page.Find("#suppression-import-toggle"));
            Assert.False(page.Find("#suppression-bulk-reactivate").HasAttribute("disabled"));
            var rows = page.FindAll("#suppression-grid tbody tr.suppression-row");
            Assert.NotNull(rows[0].QuerySelector(".suppression-reactivate"));
            Assert.Null(rows[1].QuerySelector(".suppression-reactivate"));
            Assert.NotNull(rows[1].QuerySelector(".suppression-lifted"));
        });
        Assert.Empty(page.FindAll("#suppression-read-only"));
    }

    [Fact]
    public void Render_ShouldBeReadOnly_WhenTheUserIsAMarketer()
    {
        SignInAsMarketer();
        _queries.Rows.Add(Row("ann@example.com", cause: Bounce));

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("#suppression-grid tbody tr.suppression-row")));
        Assert.NotNull(page.Find("#suppression-read-only"));
        Assert.Empty(page.FindAll("#suppression-add, #suppression-import-toggle, #suppression-bulk-reactivate, .suppression-reactivate"));
        // Downloads stay: reading the list is everyone's.
        Assert.NotNull(page.Find("#suppression-download-csv"));
    }

    [Fact]
    public void Downloads_ShouldCarryThePagesFilter_WhenTheListIsFiltered()
    {
        var page = RenderPage("?q=%40example.com&reason=HardBounce&from=2026-03-01&to=2026-03-02");

        page.WaitForAssertion(() => Assert.Equal(
            "/exports/suppressions.csv?q=%40example.com&reason=HardBounce&from=2026-03-01&to=2026-03-02&tz=UTC",
            page.Find("#suppression-download-csv").GetAttribute("href")));
        Assert.StartsWith("/exports/suppressions.xlsx?", page.Find("#suppression-download-xlsx").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reactivate_ShouldSayWhatWillHappenAndSendTheReason_WhenTheAdminConfirms()
    {
        _queries.Rows.Add(Row("ann@example.com", cause: Bounce));
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotNull(page.Find(".suppression-reactivate")));

        var clicking = page.Find(".suppression-reactivate").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Equal(
            "ann@example.com will be sent to again; its contact returns to Active with counters reset.",
            dialogs.Find("#reactivate-consequence").TextContent.Trim()));
        Assert.True(dialogs.Find("#reactivate-confirm").HasAttribute("disabled"));
        Assert.Empty(dialogs.FindAll("#reactivate-complaint"));
        dialogs.Find("#reactivate-reason").Input("Mailbox recreated");
        await dialogs.Find("#reactivate-confirm").ClickAsync(new());
        await clicking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([("ann@example.com", "Mailbox recreated", false)], _commands.Reactivations);
    }

    [Fact]
    public async Task Reactivate_ShouldNeedASecondExplicitConfirmation_WhenTheEntryIsAComplaint()
    {
        _queries.Rows.Add(Row("kim@example.com", SuppressionReason.Complaint));
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotNull(page.Find(".suppression-reactivate")));

        var clicking = page.Find(".suppression-reactivate").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#reactivate-complaint")));
        dialogs.Find("#reactivate-reason").Input("Customer asked us to write again");
        Assert.True(dialogs.Find("#reactivate-confirm").HasAttribute("disabled"));
        var box = dialogs.Find("#reactivate-complaint-confirm");
        (box.TagName == "INPUT" ? box : box.QuerySelector("input")!).Change(true);
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("#reactivate-confirm").HasAttribute("disabled")));
        await dialogs.Find("#reactivate-confirm").ClickAsync(new());
        await clicking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([("kim@example.com", "Customer asked us to write again", true)], _commands.Reactivations);
    }

    [Fact]
    public async Task BulkReactivate_ShouldCountTheSelectionAndSendTheFilter_WhenTheAdminConfirms()
    {
        _queries.Rows.Add(Row("ann@example.com"));
        _queries.Selection = new SuppressionSelection(2, 0);
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage("?q=%40example.com");
        page.WaitForAssertion(() => Assert.False(page.Find("#suppression-bulk-reactivate").HasAttribute("disabled")));

        var clicking = page.Find("#suppression-bulk-reactivate").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.StartsWith(
            "2 addresses (every address in force that the filter selects) will be sent to again",
            dialogs.Find("#reactivate-consequence").TextContent.Trim(),
            StringComparison.Ordinal));
        dialogs.Find("#reactivate-reason").Input("Domain's mail server fixed");
        await dialogs.Find("#reactivate-confirm").ClickAsync(new());
        await clicking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([(new SuppressionFilter("@example.com"), "Domain's mail server fixed")], _commands.BulkReactivations);
    }

    [Fact]
    public async Task Add_ShouldSendTheAddressAndReason_WhenTheAdminFillsTheDialog()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#suppression-add")));

        var clicking = page.Find("#suppression-add").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#suppress-email")));
        dialogs.Find("#suppress-email").Input("not an address");
        dialogs.Find("#suppress-reason").Input("Asked by phone not to be contacted");
        Assert.True(dialogs.Find("#suppress-confirm").HasAttribute("disabled"));
        dialogs.Find("#suppress-email").Input("Jane@Example.com");
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("#suppress-confirm").HasAttribute("disabled")));
        await dialogs.Find("#suppress-confirm").ClickAsync(new());
        await clicking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([("Jane@Example.com", "Asked by phone not to be contacted")], _commands.Suppressions);
    }

    [Fact]
    public void Import_ShouldPreviewTheBadRowBeforeWriting_WhenAFileWithOneBadRowIsUploaded()
    {
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#suppression-import-toggle")));
        page.Find("#suppression-import-toggle").Click();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            "email,reason\nada@example.com,Old ESP bounce\nnot-an-address,x\ngrace@example.org,\n", "old-esp.csv"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#suppression-import-check")));
        page.Find("#suppression-import-reason").Input("Imported from the old ESP");
        page.Find("#suppression-import-check").Click();

        page.WaitForAssertion(() =>
        {
            var bad = page.Find("tr.suppression-import-row[data-outcome='InvalidAddress']");
            Assert.Equal("3", bad.GetAttribute("data-line"));
            Assert.Contains("Suppress 2 addresses", page.Find("#suppression-import-confirm").TextContent, StringComparison.Ordinal);
            Assert.Contains("Rows with errors: 1", page.Find("#suppression-import-summary").TextContent, StringComparison.Ordinal);
        });
        Assert.Equal(0, _commands.Imports);
    }

    [Fact]
    public void Import_ShouldSayWhyAndOfferNoImport_WhenTheFileIsNotUtf8()
    {
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#suppression-import-toggle")));
        page.Find("#suppression-import-toggle").Click();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([0x65, 0x6D, 0xE9, 0x0A, 0x61, 0x40, 0x62, 0x2E, 0x63], "latin1.csv"));

        page.WaitForAssertion(() => Assert.Contains("not UTF-8", page.Find("#suppression-import-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#suppression-import-check"));
        Assert.Equal(0, _commands.Imports);
    }

    private sealed class FakeSuppressionQueries : ISuppressionQueries
    {
        public List<SuppressionRow> Rows { get; } = [];

        public List<SuppressionFilter> Filters { get; } = [];

        public TaskCompletionSource<PagedResult<SuppressionRow>>? Pending { get; set; }

        public Exception? Failure { get; set; }

        public SuppressionSelection Selection { get; set; } = new(0, 0);

        public Task<PagedResult<SuppressionRow>> ListAsync(
            SuppressionFilter filter, SuppressionSortField sortBy, bool descending, PageRequest page, CancellationToken cancellationToken = default)
        {
            Filters.Add(filter);
            if (Failure is not null)
            {
                return Task.FromException<PagedResult<SuppressionRow>>(Failure);
            }

            return Pending?.Task ?? Task.FromResult(new PagedResult<SuppressionRow>(Rows.Skip(page.Skip).Take(page.Take).ToList(), Rows.Count));
        }

        public Task<SuppressionSelection> SelectionAsync(SuppressionFilter filter, CancellationToken cancellationToken = default) =>
            Task.FromResult(Selection);

        public async IAsyncEnumerable<SuppressionRow> StreamAsync(SuppressionFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            foreach (var row in Rows)
            {
                yield return row;
            }
        }
    }

    private sealed class FakeSuppressionCommands : ISuppressionCommands
    {
        public List<(string Email, string Reason, bool Confirmed)> Reactivations { get; } = [];

        public List<(SuppressionFilter Filter, string Reason)> BulkReactivations { get; } = [];

        public Task<CommandResult> ReactivateAsync(ClaimsPrincipal user, string email, string reason, bool complaintConfirmed, CancellationToken cancellationToken = default)
        {
            Reactivations.Add((email, reason, complaintConfirmed));
            return Task.FromResult(new CommandResult(CommandStatus.Done, $"{email} is active again."));
        }

        public List<(string Email, string Note)> Suppressions { get; } = [];

        public Task<CommandResult> SuppressAsync(ClaimsPrincipal user, string email, string note, CancellationToken cancellationToken = default)
        {
            Suppressions.Add((email, note));
            return Task.FromResult(new CommandResult(CommandStatus.Done, $"{email} is suppressed."));
        }

        public Task<BulkCommandResult> ReactivateManyAsync(ClaimsPrincipal user, SuppressionFilter filter, string reason, bool complaintsConfirmed, CancellationToken cancellationToken = default)
        {
            BulkReactivations.Add((filter, reason));
            return Task.FromResult(new BulkCommandResult(CommandStatus.Done, "2 addresses are active again.", 2));
        }

        public Task<SuppressionImportPreview?> PreviewImportAsync(ClaimsPrincipal user, ContactCsvFile file, SuppressionColumnMapping mapping, string? fileReason, CancellationToken cancellationToken = default) =>
            Task.FromResult<SuppressionImportPreview?>(new SuppressionImportPreview(SuppressionCsvImport.Check(file, mapping, fileReason)));

        public int Imports { get; private set; }

        public Task<BulkCommandResult> ImportAsync(ClaimsPrincipal user, ContactCsvFile file, SuppressionColumnMapping mapping, string? fileReason, string? fileName, CancellationToken cancellationToken = default)
        {
            Imports++;
            return Task.FromResult(new BulkCommandResult(CommandStatus.Done, "Imported.", 1));
        }
    }
}
