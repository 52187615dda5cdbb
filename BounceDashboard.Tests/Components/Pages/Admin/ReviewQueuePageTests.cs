using System.Reflection;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Components.Pages.Admin;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Admin;

public sealed class ReviewQueuePageTests : MudTestContext
{
    private const string HostileRaw = "Subject: hello\n\n<script>alert('x')</script><img src=http://tracker.example/p.gif> <b>bold</b>\n";

    private static readonly DateTimeOffset Received = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeReviewQueueQueries _queries = new();
    private readonly FakeReviewCommands _commands;

    public ReviewQueuePageTests()
    {
        _commands = new FakeReviewCommands(_queries);
        Services.AddSingleton<IReviewQueueQueries>(_queries);
        Services.AddSingleton<IReviewCommands>(_commands);
        AddAuthorization().SetAuthorized(BounceDashboardApp.AdminEmail).SetRoles(Roles.Admin);
    }

    [Fact]
    public void Page_ShouldBeForAdminsOnly_WhenRouted()
    {
        var authorize = typeof(ReviewQueuePage).GetCustomAttributes<AuthorizeAttribute>().ToList();

        Assert.Contains(authorize, a => a.Roles == Roles.Admin);
    }

    [Fact]
    public void Render_ShouldShowTheLoadingIndicator_WhileTheQueueLoads()
    {
        _queries.Gate = new TaskCompletionSource();

        var page = RenderPage();

        Assert.NotNull(page.Find("#review-loading"));
    }

    [Fact]
    public void Render_ShouldSayNothingWaitsAndWhatNext_WhenTheQueueIsEmpty()
    {
        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("Nothing waits for review", page.Find("#review-empty").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#review-grid"));
    }

    [Fact]
    public void Render_ShouldShowAClearError_WhenTheQueryFails()
    {
        _queries.Failure = new TimeoutException("database is locked at /var/lib/secret.db");

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var error = page.Find("#review-error").TextContent;
            Assert.Contains("could not be loaded", error, StringComparison.Ordinal);
            Assert.DoesNotContain("secret.db", error, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldShowCountsItemsAndTheOldestItemsReading_WhenItemsWait()
    {
        AddUnmatched(7, Received);
        AddUnparseable(3, Received.AddHours(1));

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("2", page.Find("#review-cause-all").GetAttribute("data-count"));
            Assert.Equal("1", page.Find("#review-cause-Unmatched").GetAttribute("data-count"));
            Assert.Equal("1", page.Find("#review-cause-Unparseable").GetAttribute("data-count"));
            Assert.Equal(2, page.FindAll("#review-grid tbody tr.review-row").Count);
            Assert.Equal("BounceEvent 7", page.Find("#review-detail-title").TextContent.Trim());
            Assert.Equal("nobody@example.net", page.Find(".review-recipient-address").TextContent.Trim());
            Assert.Equal("dsn.status", page.Find(".review-rule").TextContent.Trim());
            Assert.Equal("Refused with 550 5.1.1 <'User unknown'>: the mailbox does not exist (rule dsn.status).", page.Find(".review-explanation").TextContent.Trim());
            Assert.NotNull(page.Find("#review-match"));
        });
    }

    [Fact]
    public void Render_ShouldShowTheRawMessageAsEncodedText_WhenItCarriesMarkup()
    {
        AddUnparseable(3, Received);

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var raw = page.Find("pre#review-raw");
            Assert.Equal(HostileRaw, raw.TextContent);
            Assert.Contains("&lt;script&gt;", raw.InnerHtml, StringComparison.Ordinal);
            Assert.Contains("&lt;img src=http://tracker.example/p.gif&gt;", raw.InnerHtml, StringComparison.Ordinal);
            Assert.Empty(raw.QuerySelectorAll("*"));
            Assert.Empty(page.FindAll("script"));
            Assert.Empty(page.FindAll("img[src^='http']"));
        });
        Assert.Empty(page.FindAll("#review-match"));
    }

    [Fact]
    public void ShowAll_ShouldLoadTheWholeMessage_WhenTheShownTextIsCut()
    {
        AddUnparseable(3, Received, truncated: true);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#review-raw-truncated")));

        page.Find("#review-raw-all").Click();

        page.WaitForAssertion(() => Assert.Equal(
            [ReviewQueueQueries.ShownRawBytes, InboundMessage.MaxContentBytes],
            _queries.DetailRequests.Select(r => r.MaxRawBytes)));
    }

    [Fact]
    public async Task Dismiss_ShouldRunTheCommandAndRefreshTheQueue_WhenTheAdminConfirms()
    {
        AddUnparseable(3, Received);
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#review-dismiss")));

        var dismissing = page.Find("#review-dismiss").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#review-dismiss-note")));
        dialogs.Find("#review-dismiss-note").Input("Newsletter from a vendor");
        await dialogs.Find("#review-dismiss-confirm").ClickAsync(new());
        await dismissing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["dismiss InboundMessage 3: Newsletter from a vendor"], _commands.Calls);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#review-empty")));
        snackbars.WaitForAssertion(() => Assert.Contains("Done.", snackbars.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Match_ShouldShowTheRefusalInTheDialog_WhenTheCommandRefuses()
    {
        AddUnmatched(7, Received);
        _queries.Candidates.Add(new CandidateDelivery(42, 5, "nobody@example.net", ContactStatus.Active, 9, "Spring sale", DeliveryState.Delivered, Received.AddHours(-1), true));
        _commands.Result = new CommandResult(CommandStatus.Forbidden, "Only an Admin can match a review item.");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#review-match")));

        _ = page.Find("#review-match").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#review-match-contact")));
        dialogs.Find("#review-match-note").Input("Support confirmed");
        await dialogs.Find("#review-match-confirm").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Contains("Only an Admin", dialogs.Find("#review-match-error").TextContent, StringComparison.Ordinal));
        Assert.Equal(["match 7 to contact nobody@example.net: Support confirmed"], _commands.Calls);
        Assert.Single(_queries.Items);
    }

    private IRenderedComponent<ReviewQueuePage> RenderPage()
    {
        Render<MudPopoverProvider>();
        return Render<ReviewQueuePage>();
    }

    private void AddUnmatched(long id, DateTimeOffset at)
    {
        var key = new ReviewItemKey(ReviewItemType.BounceEvent, id);
        _queries.Items.Add(new ReviewItemRow(key, ReviewCause.Unmatched, at, MessageKind.Bounce, "nobody@example.net", BounceReason.UserUnknown, true, "550 5.1.1 User unknown"));
        _queries.Details[key] = new ReviewItemDetail(
            key, ReviewCause.Unmatched, true, at, "Imap", "bounces:1:7", MessageKind.Bounce, "rfc3464", null, "2026.11.1",
            [new ReviewRecipient(id, "nobody@example.net", BounceEventState.AwaitingMatch, null, BounceReason.UserUnknown, true, true, "5.1.1", "550", "dsn.status", "User unknown", "mx.example.net", null,
                "Refused with 550 5.1.1 <'User unknown'>: the mailbox does not exist (rule dsn.status).")],
            100, "Return-Path: <>\n", 16);
    }

    private void AddUnparseable(long id, DateTimeOffset at, bool truncated = false)
    {
        var key = new ReviewItemKey(ReviewItemType.InboundMessage, id);
        _queries.Items.Add(new ReviewItemRow(key, ReviewCause.Unparseable, at, MessageKind.Unparseable, null, null, null, "No header"));
        _queries.Details[key] = new ReviewItemDetail(
            key, ReviewCause.Unparseable, true, at, "Imap", "bounces:1:3", MessageKind.Unparseable, null, "No header", "2026.11.1",
            [], id, HostileRaw, truncated ? 100_000 : HostileRaw.Length, truncated);
    }
}
