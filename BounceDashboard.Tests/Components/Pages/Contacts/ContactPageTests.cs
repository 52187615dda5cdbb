using System.Security.Claims;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Components.Pages.Contacts;
using BounceDashboard.Web.Imports;
using BounceDashboard.Web.Queries;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Contacts;

public sealed class ContactPageTests : MudTestContext
{
    private static readonly DateTimeOffset At = TestData.Now;

    private readonly FakeContactQueries _queries = new();
    private readonly RecordingSuppressionCommands _commands = new();
    private readonly BunitAuthorizationContext _auth;

    public ContactPageTests()
    {
        Services.AddSingleton<IContactQueries>(_queries);
        Services.AddSingleton<ISuppressionCommands>(_commands);
        _auth = AddAuthorization();
        _auth.SetAuthorized("admin@bouncedashboard.local").SetRoles(Roles.Admin);
    }

    private IRenderedComponent<ContactPage> RenderPage(long id) => Render<ContactPage>(p => p.Add(c => c.Id, id));

    private static ContactSuppression Entry(SuppressionReason reason) =>
        new(3, reason, SuppressionSource.Rules, At, SuppressionEntry.SystemActor, null, 99, null, null, null);

    private static ContactDetails Details(ContactStatus status, ContactErrorCause? cause = null, params ContactSuppression[] suppressions) =>
        new(7, "jane@example.com", "Jane <Doe>", status, cause, At.AddDays(-30), At,
            new ContactCounters(0, 2, 2, At, null, 5, 2),
            status == ContactStatus.Active
                ? null
                : new ContactStatusCause(99, 41, At, MessageKind.Bounce, BounceReason.UserUnknown, true, true, "5.1.1",
                    "550 5.1.1 <jane@example.com>: <b>no</b> such user", "rfc3464.status", BounceEffect.HardBounced),
            [new ContactAudience(12, "Newsletter", At.AddDays(-30))],
            MoreAudiences: false,
            suppressions);

    [Fact]
    public void Render_ShouldShowLoadingThenTheContact_WhileTheQueryRuns()
    {
        _queries.Gate = new TaskCompletionSource();
        _queries.Contacts[7] = Details(ContactStatus.Active);

        var page = RenderPage(7);

        Assert.NotNull(page.Find("#contact-loading"));
        _queries.Gate.SetResult();
        page.WaitForAssertion(() => Assert.Equal("jane@example.com", page.Find("#contact-email").TextContent.Trim()));
    }

    [Fact]
    public void Render_ShouldSayThereIsNoSuchContactAndLinkToTheSearch_WhenTheIdIsUnknown()
    {
        var page = RenderPage(404);

        page.WaitForAssertion(() =>
        {
            var empty = page.Find("#contact-not-found");
            Assert.Contains("No contact 404", empty.TextContent, StringComparison.Ordinal);
            Assert.Equal("/contacts", empty.QuerySelector("a")!.GetAttribute("href"));
        });
    }

    [Fact]
    public void Render_ShouldShowAClearErrorWithoutDetails_WhenTheQueryFails()
    {
        _queries.Failure = new InvalidOperationException("SQLite Error 5: database is locked");

        var page = RenderPage(7);

        page.WaitForAssertion(() =>
        {
            Assert.Contains("could not be loaded", page.Find("#contact-error").TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldShowTheStatusItsCauseCountersAudiencesAndSuppression_WhenTheAddressHardBounced()
    {
        _queries.Contacts[7] = Details(ContactStatus.Error, ContactErrorCause.BadAddress, Entry(SuppressionReason.HardBounce));

        var page = RenderPage(7);

        page.WaitForAssertion(() =>
        {
            var chip = page.Find("#contact-status-line .contact-status");
            Assert.Equal(("Error", "BadAddress"), (chip.GetAttribute("data-status"), chip.GetAttribute("data-cause")));
            Assert.Contains("bad address", chip.TextContent, StringComparison.Ordinal);
            Assert.Equal("HardBounce", page.Find(".contact-suppressed").GetAttribute("data-reason"));
            var cause = page.Find("#contact-cause");
            Assert.Equal("rfc3464.status", cause.QuerySelector(".cause-rule")!.TextContent);
            Assert.Equal("5.1.1", cause.QuerySelector(".cause-status")!.TextContent);
            Assert.Equal("/deliveries/41", cause.QuerySelector(".cause-delivery")!.GetAttribute("href"));
            Assert.Equal("550 5.1.1 <jane@example.com>: <b>no</b> such user", cause.QuerySelector(".cause-diagnostic")!.TextContent);
            Assert.Empty(cause.QuerySelectorAll("b"));
            Assert.Equal("2", page.Find("#contact-counters .counter-hard").TextContent.Trim());
            Assert.Equal("5", page.Find("#contact-counters .counter-deliveries").TextContent.Trim());
            Assert.Equal("/audiences/12", page.Find("#contact-audiences .contact-audience").GetAttribute("href"));
            Assert.Contains("In force", page.Find("#contact-suppression .suppression-active").TextContent, StringComparison.Ordinal);
            Assert.Equal("Jane <Doe>", page.Find("#contact-name").TextContent.Trim());
        });
    }

    [Fact]
    public void Render_ShouldListTheHistoryNewestFirstWithLinksAndTextAsText_WhenEventsExist()
    {
        _queries.Contacts[7] = Details(ContactStatus.Error, ContactErrorCause.BadAddress, Entry(SuppressionReason.HardBounce));
        _queries.Histories[7] =
        [
            new AuditHistoryEntry(At.AddDays(1), 5, "admin@example.org", AuditAction.SuppressAddress, "<i>asked</i>", null),
            new BounceHistoryEntry(At, 99, 41, MessageKind.Bounce, BounceReason.UserUnknown, true, true, "5.1.1", "550 <script>x</script>", "rfc3464.status", BounceEffect.HardBounced),
            new TrackingHistoryEntry(At.AddMinutes(-5), 40, "Spring", TrackingEventKind.Click, "javascript:alert(1)"),
            new DeliveryHistoryEntry(At.AddMinutes(-10), 41, 3, "Spring <sale>", DeliveryState.HardBounced, BounceReason.UserUnknown, 1),
        ];

        var page = RenderPage(7);

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("#contact-history tbody tr");
            Assert.Equal(4, rows.Count);
            Assert.Contains("history-audit", rows[0].ClassName, StringComparison.Ordinal);
            Assert.Equal("<i>asked</i>", rows[0].QuerySelector(".history-reason")!.TextContent);
            Assert.Contains("history-bounce", rows[1].ClassName, StringComparison.Ordinal);
            Assert.Equal("550 <script>x</script>", rows[1].QuerySelector(".history-diagnostic")!.TextContent);
            Assert.Contains("history-click", rows[2].ClassName, StringComparison.Ordinal);
            Assert.Empty(rows[2].QuerySelectorAll("a[href^='javascript']"));
            Assert.Equal("/deliveries/41", rows[3].QuerySelector(".history-delivery-link")!.GetAttribute("href"));
            Assert.Empty(page.FindAll("#contact-history script, #contact-history i"));
            Assert.Empty(page.FindAll("#contact-history-more"));
        });
    }

    [Fact]
    public void ShowMore_ShouldAskForMoreHistory_WhenOlderEntriesExist()
    {
        _queries.Contacts[7] = Details(ContactStatus.Active);
        _queries.Histories[7] = Enumerable.Range(0, ContactPage.HistoryPageSize + 5)
            .Select(i => (ContactHistoryEntry)new DeliveryHistoryEntry(At.AddDays(-i), i + 1, 3, "Spring", DeliveryState.Delivered, null, 1))
            .ToList();
        var page = RenderPage(7);
        page.WaitForAssertion(() => Assert.Equal(ContactPage.HistoryPageSize, page.FindAll("#contact-history tbody tr").Count));

        page.Find("#contact-history-more").Click();

        page.WaitForAssertion(() => Assert.Equal(ContactPage.HistoryPageSize + 5, page.FindAll("#contact-history tbody tr").Count));
        Assert.Equal([ContactPage.HistoryPageSize, ContactPage.HistoryPageSize * 2], _queries.HistoryLimits);
        Assert.Empty(page.FindAll("#contact-history-more"));
    }

    [Fact]
    public void Render_ShouldSayWhatToDo_WhenTheContactHasNoHistory()
    {
        _queries.Contacts[7] = Details(ContactStatus.Active);

        var page = RenderPage(7);

        page.WaitForAssertion(() =>
            Assert.Contains("no campaign has been sent to it", page.Find("#contact-history-empty").TextContent, StringComparison.Ordinal));
        Assert.NotNull(page.Find("#contact-not-suppressed"));
    }

    [Fact]
    public void Render_ShouldOfferNoReactivation_WhenTheUserIsAMarketer()
    {
        _auth.SetRoles(Roles.Marketer);
        _queries.Contacts[7] = Details(ContactStatus.ConfirmedBounce, null, Entry(SuppressionReason.ConfirmedBounce));

        var page = RenderPage(7);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#contact-email")));
        Assert.Empty(page.FindAll("#contact-reactivate"));
    }

    [Fact]
    public void Render_ShouldOfferNoReactivation_WhenTheContactIsActiveAndNotSuppressed()
    {
        _queries.Contacts[7] = Details(ContactStatus.Active);

        var page = RenderPage(7);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#contact-email")));
        Assert.Empty(page.FindAll("#contact-reactivate"));
    }

    [Fact]
    public async Task Reactivate_ShouldSayWhatWillHappenAndSendTheReason_WhenAnAdminConfirms()
    {
        _queries.Contacts[7] = Details(ContactStatus.ConfirmedBounce, null, Entry(SuppressionReason.ConfirmedBounce));
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage(7);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#contact-reactivate")));

        var opening = page.Find("#contact-reactivate").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#reactivate-reason")));
        var effects = dialogs.Find("#reactivate-effects").TextContent;
        Assert.Contains("suppression (confirmed bounce) is lifted", effects, StringComparison.Ordinal);
        Assert.Contains("from Confirmed bounce back to Active", effects, StringComparison.Ordinal);
        Assert.Contains("counters are reset", effects, StringComparison.Ordinal);
        Assert.True(dialogs.Find("#reactivate-confirm").HasAttribute("disabled"));
        dialogs.Find("#reactivate-reason").Input("Mailbox recreated");
        await dialogs.Find("#reactivate-confirm").ClickAsync(new());
        await opening;

        var call = Assert.Single(_commands.Calls);
        Assert.Equal(("jane@example.com", "Mailbox recreated", false), (call.Email, call.Reason, call.ComplaintConfirmed));
        Assert.Equal("admin@bouncedashboard.local", call.User.Identity!.Name);
    }

    [Fact]
    public async Task Reactivate_ShouldAskASecondTimeBeforeLiftingAComplaint_WhenTheAddressComplained()
    {
        _queries.Contacts[7] = Details(ContactStatus.OptedOut, null, Entry(SuppressionReason.Complaint));
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage(7);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#contact-reactivate")));

        var opening = page.Find("#contact-reactivate").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#reactivate-reason")));
        dialogs.Find("#reactivate-reason").Input("Customer called and asked");
        await dialogs.Find("#reactivate-confirm").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#reactivate-complaint-warning")));
        Assert.Empty(_commands.Calls);
        await dialogs.Find("#reactivate-complaint-confirm").ClickAsync(new());
        await opening;

        var call = Assert.Single(_commands.Calls);
        Assert.Equal(("Customer called and asked", true), (call.Reason, call.ComplaintConfirmed));
    }

    [Fact]
    public async Task Reactivate_ShouldShowTheRefusalInTheDialog_WhenTheCommandRefuses()
    {
        _commands.Next = new CommandResult(CommandStatus.Forbidden, "Only an Admin can reactivate an address.");
        _queries.Contacts[7] = Details(ContactStatus.Error, ContactErrorCause.BadAddress, Entry(SuppressionReason.HardBounce));
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage(7);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#contact-reactivate")));

        _ = page.Find("#contact-reactivate").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#reactivate-reason")));
        dialogs.Find("#reactivate-reason").Input("Please");
        await dialogs.Find("#reactivate-confirm").ClickAsync(new());

        dialogs.WaitForAssertion(() =>
            Assert.Contains("Only an Admin", dialogs.Find("#reactivate-error").TextContent, StringComparison.Ordinal));
    }

    /// <summary>Records reactivation calls; answers with <see cref="Next"/>.</summary>
    private sealed class RecordingSuppressionCommands : ISuppressionCommands
    {
        public List<(ClaimsPrincipal User, string Email, string Reason, bool ComplaintConfirmed)> Calls { get; } = [];

        public CommandResult Next { get; set; } = new(CommandStatus.Done, "jane@example.com is active again.");

        public Task<CommandResult> ReactivateAsync(ClaimsPrincipal user, string email, string reason, bool complaintConfirmed, CancellationToken cancellationToken = default)
        {
            Calls.Add((user, email, reason, complaintConfirmed));
            return Task.FromResult(Next);
        }

        public Task<CommandResult> SuppressAsync(ClaimsPrincipal user, string email, string note, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The contact page does not suppress.");

        public Task<BulkCommandResult> ReactivateManyAsync(
            ClaimsPrincipal user, SuppressionFilter filter, string reason, bool complaintsConfirmed, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The contact page reactivates one address.");

        public Task<SuppressionImportPreview?> PreviewImportAsync(
            ClaimsPrincipal user, ContactCsvFile file, SuppressionColumnMapping mapping, string? fileReason, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The contact page does not import.");

        public Task<BulkCommandResult> ImportAsync(
            ClaimsPrincipal user, ContactCsvFile file, SuppressionColumnMapping mapping, string? fileReason, string? fileName, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The contact page does not import.");
    }
}
