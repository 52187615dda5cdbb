using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Components.Pages.Deliveries;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Deliveries;

public sealed class DeliveryPageTests : MudTestContext
{
    private static readonly DateTimeOffset At = TestData.Now;

    private readonly FakeDeliveryQueries _queries = new();

    public DeliveryPageTests() => Services.AddSingleton<IDeliveryQueries>(_queries);

    private IRenderedComponent<DeliveryPage> RenderPage(long id) => Render<DeliveryPage>(p => p.Add(c => c.Id, id));

    private static DeliveryTimeline Timeline(params TimelineEntry[] entries) => new(
        new DeliveryHeader(7, "carol@gmail.com", ContactStatus.Error, 5, "Spring <sale>", DeliveryState.HardBounced,
            BounceReason.UserUnknown, 1, At.AddMinutes(-1)),
        entries,
        TrackingTruncated: false);

    private static BounceEntry Bounce(string diagnostic, ProviderHelpLink? help) => new(
        At.AddMinutes(30), 99, BounceSource.Mailbox, MessageKind.Bounce, BounceReason.UserUnknown, Hard: true, Permanent: true,
        "5.1.1", "550", "gmail-smtp-in.l.google.com", diagnostic, "rfc3464.status", BounceEffect.HardBounced, help,
        "Refused at RCPT with 550 5.1.1 <'the account does not exist'>: the mailbox does not exist (rule rfc3464.status).");

    [Fact]
    public void Render_ShouldShowTheHeaderAndEveryEntryInOrder_WhenTheDeliveryHasAHistory()
    {
        _queries.Timelines[7] = Timeline(
            new AttemptEntry(At, 1, At.AddSeconds(2), DeliveryAttemptOutcome.Accepted, "relay.example.com", "192.0.2.10", "250 2.0.0 OK"),
            Bounce("smtp; 550-5.1.1 The email account that you tried to reach does not exist.", ProviderHelp.ForDomain("gmail.com")),
            new TrackingEntry(At.AddHours(1), TrackingEventKind.Open, null),
            new TrackingEntry(At.AddHours(2), TrackingEventKind.Click, "https://shop.example.com/sale?x=1"));

        var page = RenderPage(7);

        page.WaitForAssertion(() =>
        {
            Assert.Equal("carol@gmail.com", page.Find("#delivery-address").TextContent.Trim());
            Assert.Equal("/campaigns/5", page.Find("#delivery-campaign").GetAttribute("href"));
            Assert.Equal("Spring <sale>", page.Find("#delivery-campaign").TextContent.Trim());
            Assert.Contains("Contact status: Error", page.Find("#delivery-contact-status").TextContent, StringComparison.Ordinal);
            Assert.Equal("/contacts?search=carol%40gmail.com", page.Find("#delivery-contact-link").GetAttribute("href"));
            Assert.Equal("HardBounced", page.Find(".delivery-state").GetAttribute("data-state"));
            var items = page.FindAll("#delivery-timeline .mud-timeline-item");
            Assert.Equal(4, items.Count);
            Assert.Contains("timeline-attempt", items[0].ClassName, StringComparison.Ordinal);
            Assert.Contains("Attempt 1", items[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("relay.example.com", items[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("192.0.2.10", items[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("timeline-bounce", items[1].ClassName, StringComparison.Ordinal);
            Assert.Equal("5.1.1", items[1].QuerySelector(".bounce-status")!.TextContent);
            Assert.Equal("550", items[1].QuerySelector(".bounce-reply-code")!.TextContent);
            Assert.Equal("rfc3464.status", items[1].QuerySelector(".bounce-rule")!.TextContent);
            // The engine's sentence, as text (its quotes and angle brackets are not markup).
            Assert.Equal(
                "Refused at RCPT with 550 5.1.1 <'the account does not exist'>: the mailbox does not exist (rule rfc3464.status).",
                items[1].QuerySelector(".bounce-explanation")!.TextContent);
            Assert.Contains("gmail-smtp-in.l.google.com", items[1].TextContent, StringComparison.Ordinal);
            Assert.Contains("delivery hard bounced", items[1].TextContent, StringComparison.Ordinal);
            Assert.Equal("true", items[1].QuerySelector(".bounce-reason")!.GetAttribute("data-hard"));
            Assert.Contains("timeline-open", items[2].ClassName, StringComparison.Ordinal);
            Assert.Contains("timeline-click", items[3].ClassName, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldLinkToTheProvidersErrorPageSafely_WhenTheProviderIsKnown()
    {
        _queries.Timelines[7] = Timeline(Bounce("550 5.1.1 no such user", ProviderHelp.ForDomain("gmail.com")));

        var page = RenderPage(7);

        page.WaitForAssertion(() =>
        {
            var link = page.Find("a.provider-help");
            Assert.Equal("What Gmail says about this error", link.TextContent.Trim());
            Assert.Equal("https://support.google.com/a/answer/3726730", link.GetAttribute("href"));
            Assert.Equal("_blank", link.GetAttribute("target"));
            Assert.Equal("noopener noreferrer nofollow", link.GetAttribute("rel"));
        });
    }

    [Fact]
    public void Render_ShouldShowNoProviderLink_WhenTheProviderIsUnknown()
    {
        _queries.Timelines[7] = Timeline(Bounce("550 5.1.1 no such user", help: null));

        var page = RenderPage(7);

        page.WaitForAssertion(() => Assert.NotNull(page.Find(".bounce-diagnostic")));
        Assert.Empty(page.FindAll("a.provider-help"));
    }

    [Fact]
    public void Render_ShouldShowTextFromBouncesAsText_WhenItContainsMarkup()
    {
        _queries.Timelines[7] = Timeline(
            new AttemptEntry(At, 1, At, DeliveryAttemptOutcome.PermanentFailure, null, null, "550 <b>bold</b> reply"),
            Bounce("550 <script>alert('x')</script> <a href=\"https://evil.example\">click</a>", help: null));

        var page = RenderPage(7);

        page.WaitForAssertion(() =>
        {
            Assert.Equal("550 <script>alert('x')</script> <a href=\"https://evil.example\">click</a>", page.Find(".bounce-diagnostic").TextContent);
            Assert.Empty(page.FindAll(".bounce-diagnostic script, .bounce-diagnostic a"));
            Assert.Empty(page.FindAll(".smtp-reply b"));
            Assert.Contains("&lt;script&gt;", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldLinkOnlyWebClickUrls_WhenAClickUrlIsNotHttp()
    {
        _queries.Timelines[7] = Timeline(
            new TrackingEntry(At, TrackingEventKind.Click, "https://shop.example.com/a"),
            new TrackingEntry(At.AddMinutes(1), TrackingEventKind.Click, "javascript:alert(1)"));

        var page = RenderPage(7);

        page.WaitForAssertion(() =>
        {
            var urls = page.FindAll(".click-url");
            Assert.Equal(2, urls.Count);
            Assert.Equal("A", urls[0].TagName);
            Assert.Equal("noopener noreferrer nofollow", urls[0].GetAttribute("rel"));
            Assert.Equal("_blank", urls[0].GetAttribute("target"));
            Assert.Equal("SPAN", urls[1].TagName);
            Assert.Equal("javascript:alert(1)", urls[1].TextContent);
        });
    }

    [Fact]
    public void Render_ShouldShowTheEmptyState_WhenNoSuchDeliveryExists()
    {
        var page = RenderPage(404);

        page.WaitForAssertion(() =>
        {
            var empty = page.Find("#delivery-not-found");
            Assert.Contains("No delivery 404", empty.TextContent, StringComparison.Ordinal);
            Assert.Contains("Go to campaigns", empty.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldSayWhatHappensNext_WhenNothingHappenedYet()
    {
        _queries.Timelines[7] = Timeline();

        var page = RenderPage(7);

        page.WaitForAssertion(() =>
            Assert.Contains("waiting for its first attempt", page.Find("#delivery-timeline-empty").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ShouldShowLoadingThenTheDelivery_WhileTheQueryRuns()
    {
        _queries.Gate = new TaskCompletionSource();
        _queries.Timelines[7] = Timeline();

        var page = RenderPage(7);

        Assert.NotNull(page.Find("#delivery-loading"));
        _queries.Gate.SetResult();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#delivery-address")));
        Assert.Empty(page.FindAll("#delivery-loading"));
    }

    [Fact]
    public void Render_ShouldShowAClearErrorWithoutDetails_WhenTheQueryFails()
    {
        _queries.Failure = new InvalidOperationException("SQLite Error 5: database is locked");

        var page = RenderPage(7);

        page.WaitForAssertion(() =>
        {
            Assert.Contains("could not be loaded", page.Find("#delivery-error").TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldSayOnlyTheFirstOpensAreShown_WhenTheTimelineWasCut()
    {
        _queries.Timelines[7] = Timeline(new TrackingEntry(At, TrackingEventKind.Open, null)) with { TrackingTruncated = true };

        var page = RenderPage(7);

        page.WaitForAssertion(() =>
            Assert.Contains("Only the first 200", page.Find("#delivery-tracking-truncated").TextContent, StringComparison.Ordinal));
    }
}
