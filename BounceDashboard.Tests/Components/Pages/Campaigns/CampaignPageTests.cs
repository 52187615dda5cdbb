using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Components;
using BounceDashboard.Web.Components.Pages.Campaigns;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Notifications;
using BounceDashboard.Web.Queries;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Campaigns;

public sealed class CampaignPageTests : MudTestContext
{
    private const long CampaignId = 5;
    private static readonly DateTimeOffset Started = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeResponseQueries _queries = new();
    private readonly FakeTimeProvider _time = new(Started.AddHours(3));
    private readonly DashboardNotifier _notifier = new(NullLogger<DashboardNotifier>.Instance);
    private SqliteDatabase? _database;

    public CampaignPageTests()
    {
        Services.AddSingleton<ICampaignResponseQueries>(_queries);

        // The recipients grid has its own tests (CampaignRecipientsTests); here it is a stub.
        ComponentFactories.AddStub<CampaignRecipients>();
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton(_notifier);
        Services.AddSingleton(sp => new DbCommandRunner(new DeferredFactory(() => Database().Factory), NullLogger<DbCommandRunner>.Instance));
        Services.AddSingleton(sp => new CampaignCommands(sp.GetRequiredService<DbCommandRunner>(), _time, NullLogger<CampaignCommands>.Instance));
        AddAuthorization().SetAuthorized(BounceDashboardApp.MarketerEmail).SetRoles(Roles.Marketer);
    }

    /// <summary>Only the pause test writes; the others never open the database.</summary>
    private SqliteDatabase Database() => _database ?? throw new InvalidOperationException("This test has no database.");

    private static CampaignHeader Header(CampaignState state, string? pauseReason = null, bool automatic = false) =>
        new(CampaignId, "Spring sale", CampaignKind.Regular, state, "Spring is here", "news@mail.example.com", "Example News", "mail.example.com",
            [new AudienceRef(4, "Buyers"), new AudienceRef(3, "Newsletter readers")], Started.AddDays(-1), null, state is CampaignState.Draft ? null : Started, state == CampaignState.Sent ? Started.AddHours(2) : null,
            state == CampaignState.Paused ? Started.AddHours(1) : null, pauseReason, automatic);

    private static CampaignResponse Response(CampaignState state, CampaignCounts counts, string? pauseReason = null, bool automatic = false) =>
        new(
            Header(state, pauseReason, automatic),
            counts,
            new CampaignTimeline(TimelineBucket.Hour, [new TimelinePoint(Started, 10, 1, 0, 0), new TimelinePoint(Started.AddHours(1), 5, 0, 3, 1)]),
            [
                new ReasonBreakdownRow(BounceReason.UserUnknown, BounceKind.Hard, 60, 0.6),
                new ReasonBreakdownRow(BounceReason.MailboxFull, BounceKind.Soft, 40, 0.4),
            ],
            [
                new DomainBreakdownRow("gmail.com", 800, 56),
                new DomainBreakdownRow(CampaignResponseQueries.OthersLabel, 400, 50, IsOthers: true),
            ]);

    private static readonly CampaignCounts SpringCounts = new(1200, 1100, 0, 40, 60, 500, 120);

    private IRenderedComponent<CampaignPage> RenderPage() => Render<CampaignPage>(p => p.Add(c => c.Id, CampaignId));

    private static string Figure(IRenderedComponent<CampaignPage> page, string card) => page.Find($"#card-{card} .figure").TextContent.Trim();

    [Fact]
    public void Render_ShouldShowTheLoadingIndicator_WhenTheQueryHasNotAnsweredYet()
    {
        _queries.Pending = new TaskCompletionSource<CampaignResponse?>();

        var page = RenderPage();

        Assert.NotNull(page.Find("#campaign-loading"));
    }

    [Fact]
    public void Render_ShouldSayTheCampaignDoesNotExistAndLinkToTheList_WhenTheIdIsUnknown()
    {
        _queries.Next = null;

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var empty = page.Find("#campaign-not-found");
            Assert.Contains("There is no campaign 5", empty.TextContent, StringComparison.Ordinal);
            Assert.Equal("/campaigns", empty.QuerySelector("a")!.GetAttribute("href"));
        });
    }

    [Fact]
    public void Render_ShouldShowAClearErrorAndNoDetails_WhenTheQueryFails()
    {
        _queries.Failure = new InvalidOperationException("SQLite Error 1: no such table: Campaigns");

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("could not be loaded", page.Find("#campaign-error").TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldShowTheHeaderCardsAndBreakdowns_WhenTheCampaignWasSent()
    {
        _queries.Next = Response(CampaignState.Sent, SpringCounts);

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Spring sale", page.Find("#campaign-name").TextContent.Trim());
            Assert.Equal("Spring is here", page.Find("#campaign-subject").TextContent.Trim());
            Assert.Equal("Example News <news@mail.example.com>", page.Find("#campaign-from").TextContent.Trim());
            var audiences = page.FindAll("#campaign-audience a.campaign-audience-link");
            Assert.Equal(["Buyers", "Newsletter readers"], audiences.Select(a => a.TextContent.Trim()));
            Assert.Equal(["/audiences/4", "/audiences/3"], audiences.Select(a => a.GetAttribute("href")));
            Assert.Equal("1,200", Figure(page, "sent"));
            Assert.Equal("1,100", Figure(page, "delivered"));
            Assert.Equal("91.7% of sent", page.Find("#card-delivered .rate").TextContent.Trim());
            Assert.Equal("8.3%", Figure(page, "bounce-rate"));
            Assert.Equal("60", Figure(page, "hard-bounced"));
            Assert.Equal("45.5% of delivered", page.Find("#card-opens .rate").TextContent.Trim());
            Assert.Equal("10.9% of delivered", page.Find("#card-clicks .rate").TextContent.Trim());

            var reasons = page.FindAll("#reason-breakdown tr.reason-row");
            Assert.Equal(2, reasons.Count);
            Assert.StartsWith("User unknown", reasons[0].QuerySelector(".bounce-reason")!.TextContent.Trim(), StringComparison.Ordinal);
            Assert.Contains("hard", reasons[0].QuerySelector(".bounce-kind")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("60.0%", reasons[0].QuerySelector(".rate")!.TextContent.Trim());
            Assert.Contains("soft", reasons[1].QuerySelector(".bounce-kind")!.TextContent, StringComparison.Ordinal);

            var domains = page.FindAll("#domain-breakdown tr.domain-row");
            Assert.Equal(["gmail.com", "Others"], domains.Select(d => d.QuerySelector(".domain")!.TextContent.Trim()));
            Assert.Equal("7.0%", domains[0].QuerySelector(".rate")!.TextContent.Trim());
            Assert.NotNull(page.Find("#campaign-chart svg"));
            Assert.Single(page.FindComponents<Stub<CampaignRecipients>>());
            Assert.Empty(page.FindAll("#pause-campaign, #resume-campaign, #edit-campaign, #live-indicator"));
        });
    }

    [Fact]
    public void Render_ShouldSayWhatToExpect_WhenNothingWasSentYet()
    {
        _queries.Next = Response(CampaignState.Draft, CampaignCounts.Empty) with { Timeline = CampaignTimeline.Empty, Reasons = [], Domains = [] };

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("chart fills in once sending starts", page.Find("#chart-empty").TextContent, StringComparison.Ordinal);
            Assert.Contains("No bounces so far.", page.Find("#reason-breakdown").TextContent, StringComparison.Ordinal);
            Assert.Equal("/campaigns/5/edit", page.Find("#edit-campaign").GetAttribute("href"));
            Assert.Equal("–", page.Find("#card-delivered .rate").TextContent.Trim()[..1]);
        });
    }

    [Fact]
    public void Render_ShouldOfferPause_WhenTheCampaignIsInProgress()
    {
        _queries.Next = Response(CampaignState.InProgress, SpringCounts);

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            Assert.NotNull(page.Find("#pause-campaign"));
            Assert.Empty(page.FindAll("#resume-campaign"));
            Assert.NotNull(page.Find("#live-indicator"));
        });
    }

    [Fact]
    public void Render_ShouldOfferResumeAndShowTheGuardsReason_WhenTheCampaignWasPausedAutomatically()
    {
        _queries.Next = Response(CampaignState.Paused, SpringCounts, "12 of the last 50 attempts failed permanently", automatic: true);

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            Assert.NotNull(page.Find("#resume-campaign"));
            Assert.Empty(page.FindAll("#pause-campaign"));
            var banner = page.Find("#pause-reason-banner").TextContent;
            Assert.Contains("Paused automatically by the hard-bounce guard", banner, StringComparison.Ordinal);
            Assert.Contains("12 of the last 50 attempts failed permanently", banner, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Notify_ShouldRerenderTheNewFigures_WhenEventsAreCommittedForTheCampaign()
    {
        _queries.Next = Response(CampaignState.InProgress, SpringCounts);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(1, _notifier.SubscriberCount));
        Assert.Equal("1,200", Figure(page, "sent"));

        _queries.Next = Response(CampaignState.InProgress, SpringCounts with { Sent = 1300, Delivered = 1190, HardBounced = 70 });
        _ = _notifier.NotifyAsync(CampaignId);
        _time.Advance(CampaignPage.RefreshInterval);

        page.WaitForAssertion(() =>
        {
            Assert.Equal("1,300", Figure(page, "sent"));
            Assert.Equal("70", Figure(page, "hard-bounced"));
        });
    }

    [Fact]
    public async Task Notify_ShouldReloadOnceInTwoSeconds_WhenManyEventsArriveTogether()
    {
        _queries.Next = Response(CampaignState.InProgress, SpringCounts);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(1, _notifier.SubscriberCount));
        Assert.Equal(1, _queries.Calls);

        for (var i = 0; i < 10; i++)
        {
            await _notifier.NotifyAsync(CampaignId);
        }

        await _notifier.NotifyAsync(CampaignId + 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _queries.Calls);
        _time.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(2, _queries.Calls));
        _time.Advance(TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        Assert.Equal(2, _queries.Calls);
    }

    [Fact]
    public void Render_ShouldNotSubscribe_WhenTheCampaignIsSent()
    {
        _queries.Next = Response(CampaignState.Sent, SpringCounts);

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#card-sent")));
        Assert.Equal(0, _notifier.SubscriberCount);
    }

    [Fact]
    public async Task Dispose_ShouldUnsubscribe_WhenThePageGoesAway()
    {
        _queries.Next = Response(CampaignState.Paused, SpringCounts, "Checking the list");
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(1, _notifier.SubscriberCount));

        await DisposeComponentsAsync();

        Assert.Equal(0, _notifier.SubscriberCount);
    }

    [Fact]
    public async Task Pause_ShouldPauseTheCampaignWithTheGivenReason_WhenTheMarketerConfirms()
    {
        await using var database = await SqliteDatabase.CreateAsync();
        _database = database;
        var campaign = Campaign.Create("Spring sale", CampaignKind.Regular, "news@mail.example.com", "Spring is here", Started);
        campaign.SetContent(null, "<p>Hello</p>", null);
        campaign.StartSending(Started);
        await _database.SeedAsync(campaign);
        _queries.Next = Response(CampaignState.InProgress, SpringCounts) with { Campaign = Header(CampaignState.InProgress) with { Id = campaign.Id } };
        var dialogs = Render<MudDialogProvider>();
        var page = Render<CampaignPage>(p => p.Add(c => c.Id, campaign.Id));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#pause-campaign")));

        // The page's click handler awaits the dialog's answer, so it completes only after the confirm click.
        var pausing = page.Find("#pause-campaign").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#pause-reason")));
        dialogs.Find("#pause-reason").Input("Wrong link in the footer");
        await dialogs.Find("#pause-confirm").ClickAsync(new());
        await pausing.WaitAsync(TimeSpan.FromSeconds(10));

        await using var db = _database.CreateContext();
        page.WaitForAssertion(() => Assert.True(_queries.Calls >= 2));
        var saved = await db.Set<Campaign>().AsNoTracking().SingleAsync(c => c.Id == campaign.Id);
        Assert.Equal(CampaignState.Paused, saved.State);
        Assert.Equal("Wrong link in the footer", saved.PauseReason);
        Assert.False(saved.PausedAutomatically);
    }

    [Fact]
    public void ChartLabels_ShouldLabelEverySixthHourInTheBrowsersZone_WhenTheChartHasMoreThanADayOfHours()
    {
        var zone = new BrowserTimeZone();
        zone.Set("Europe/Berlin");
        var points = Enumerable.Range(0, 30).Select(i => new TimelinePoint(Started.AddHours(i), 0, 0, 0, 0)).ToList();

        var labels = CampaignPage.ChartLabels(new CampaignTimeline(TimelineBucket.Hour, points), zone);

        Assert.Equal(30, labels.Length);
        Assert.Equal(5, labels.Count(l => l.Length > 0));
        Assert.Equal(zone.Format(Started, "g"), labels[0]);
        Assert.Contains("10:00", labels[0], StringComparison.Ordinal);
        Assert.Equal(string.Empty, labels[1]);
    }

    /// <summary>Opens the test's database only when a command runs.</summary>
    private sealed class DeferredFactory(Func<IDbContextFactory<BounceDbContext>> factory) : IDbContextFactory<BounceDbContext>
    {
        public BounceDbContext CreateDbContext() => factory().CreateDbContext();
    }

    private sealed class FakeResponseQueries : ICampaignResponseQueries
    {
        private int _calls;

        public CampaignResponse? Next { get; set; }

        public TaskCompletionSource<CampaignResponse?>? Pending { get; set; }

        public Exception? Failure { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public Task<CampaignResponse?> GetAsync(long campaignId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            if (Failure is not null)
            {
                throw Failure;
            }

            return Pending?.Task ?? Task.FromResult(Next);
        }
    }
}
