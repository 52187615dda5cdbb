using AngleSharp.Dom;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Components.Pages.Campaigns;
using BounceDashboard.Web.Queries;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Campaigns;

/// <summary>
/// The campaign editor with the real queries and commands on a real SQLite database (real migrations), a fake clock and
/// a job client that records what was enqueued; fake queries only for the loading and error states.
/// </summary>
public sealed class CampaignEditorTests : MudTestContext, IAsyncLifetime
{
    private const string Html = "<html><body><h1>Spring sale</h1><script>alert('x')</script><p>\"Quoted\" &amp; more</p></body></html>";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingJobClient _jobs = new();
    private BunitAuthorizationContext _auth = null!;
    private SqliteDatabase _database = null!;

    public new async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        var runner = new DbCommandRunner(_database.Factory, NullLogger<DbCommandRunner>.Instance);
        var campaigns = new CampaignCommands(runner, _time, NullLogger<CampaignCommands>.Instance);
        Services.AddSingleton(new CampaignDraftCommands(runner, campaigns, _jobs, _time, NullLogger<CampaignDraftCommands>.Instance));
        _auth = AddAuthorization();
        _auth.SetAuthorized("marketer@example.org");
        _auth.SetRoles(Roles.Marketer);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
    }

    private IEnumerable<string> Snackbars => Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message ?? string.Empty);

    [Fact]
    public void Render_ShouldShowTheLoadingIndicator_WhileTheCampaignLoads()
    {
        var pending = new TaskCompletionSource<CampaignDraftView?>();
        Services.AddSingleton<ICampaignEditorQueries>(new StubQueries(() => pending.Task));

        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, 5));

        Assert.NotNull(page.Find("#editor-loading"));
        Assert.Empty(page.FindAll("#campaign-form"));
    }

    [Fact]
    public void Render_ShouldShowAClearErrorAndNoForm_WhenLoadingFails()
    {
        Services.AddSingleton<ICampaignEditorQueries>(new StubQueries(() => throw new InvalidOperationException("database is locked")));

        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, 5));

        page.WaitForAssertion(() =>
        {
            var alert = page.Find("#editor-error").TextContent;
            Assert.Contains("could not be loaded", alert, StringComparison.Ordinal);
            Assert.DoesNotContain("database is locked", page.Markup, StringComparison.Ordinal);
            Assert.Empty(page.FindAll("#campaign-form"));
        });
    }

    [Fact]
    public void Render_ShouldSayTheCampaignDoesNotExist_WhenTheIdIsUnknown()
    {
        UseRealQueries();

        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, 404));

        page.WaitForAssertion(() => Assert.Contains("Campaign 404 does not exist", page.Find("#editor-not-found").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ShouldShowAnEmptyFormAndSayHowToGetAnAudience_WhenCreatingTheFirstCampaign()
    {
        UseRealQueries();

        var page = Render<CampaignEditor>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("New campaign", page.Find("#editor-title").TextContent);
            Assert.Equal(string.Empty, Field(page, "campaign-name").GetAttribute("value") ?? string.Empty);
            Assert.Contains("No audiences yet", page.Find("#no-audiences").TextContent, StringComparison.Ordinal);
            Assert.NotNull(page.Find("#preview-html-empty"));
            Assert.NotNull(page.Find("#save-draft"));
        });
    }

    [Fact]
    public async Task Save_ShouldShowAMessageUnderEachInvalidFieldAndSaveNothing_WhenFieldsAreMissingOrWrong()
    {
        UseRealQueries();
        var page = Render<CampaignEditor>();
        page.WaitForAssertion(() => page.Find("#campaign-form"));

        Field(page, "campaign-from-address").Change("not-an-address");
        await page.Find("#save-draft").ClickAsync(new());

        page.WaitForAssertion(() =>
        {
            var errors = page.FindAll(".mud-input-error .mud-input-helper-text, .mud-input-helper-text.mud-input-error").Select(e => e.TextContent.Trim()).ToList();
            Assert.Contains("A campaign name is required.", errors);
            Assert.Contains("'not-an-address' is not a valid e-mail address.", errors);
            Assert.Contains("A subject is required.", errors);
        });
        Assert.Contains("Some fields need attention before the draft can be saved.", Snackbars);
        await using var db = _database.CreateContext();
        Assert.Empty(await db.Campaigns.ToListAsync());
    }

    [Fact]
    public async Task Save_ShouldCreateTheDraftAndMoveToItsEditAddress_WhenTheFormIsValid()
    {
        UseRealQueries();
        var page = Render<CampaignEditor>();
        page.WaitForAssertion(() => page.Find("#campaign-form"));

        Field(page, "campaign-name").Change("Spring");
        Field(page, "campaign-from-address").Change("news@mail.example.org");
        Field(page, "campaign-subject").Change("Spring is here");
        Field(page, "campaign-html").Change(Html);
        await page.Find("#save-draft").ClickAsync(new());

        await using var db = _database.CreateContext();
        var stored = await db.Campaigns.SingleAsync();
        Assert.Equal(("Spring", "mail.example.org", CampaignState.Draft, "Spring sale\n\n\"Quoted\" & more"),
            (stored.Name, stored.FromDomain, stored.State, stored.TextBody));
        page.WaitForAssertion(() => Assert.EndsWith($"/campaigns/{stored.Id}/edit", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        Assert.Contains("Draft saved.", Snackbars);
    }

    [Fact]
    public async Task Render_ShouldLoadTheDraftIntoTheForm_WhenEditingAnExistingDraft()
    {
        UseRealQueries();
        var audience = await SeedAudienceAsync("Newsletter", 3);
        var campaign = await SeedCampaignAsync(audience.Id, text: "Spring sale\n\n\"Quoted\" & more");

        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Edit campaign", page.Find("#editor-title").TextContent);
            Assert.Equal("Spring", Field(page, "campaign-name").GetAttribute("value"));
            Assert.Equal("news@mail.example.org", Field(page, "campaign-from-address").GetAttribute("value"));
            Assert.Contains("Sending domain: mail.example.org", page.Markup, StringComparison.Ordinal);
            Assert.Equal("Newsletter", Field(page, "campaign-audience").GetAttribute("value"));
            Assert.Equal(("3", "3"), (page.Find("#campaign-reach-sendable").TextContent, page.Find("#campaign-reach-members").TextContent));
            Assert.Equal(string.Empty, Field(page, "campaign-text").TextContent + (Field(page, "campaign-text").GetAttribute("value") ?? string.Empty));
            Assert.Empty(page.FindAll("#editor-readonly"));
        });
    }

    [Fact]
    public async Task Render_ShouldShowTheHtmlInASandboxedIframeAndTheTextPart_WhenTheDraftHasABody()
    {
        UseRealQueries();
        var campaign = await SeedCampaignAsync(audienceId: null, text: null);

        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));

        page.WaitForAssertion(() =>
        {
            var iframe = page.Find("iframe#preview-html");
            Assert.Equal(string.Empty, iframe.GetAttribute("sandbox"));
            Assert.Equal(Html, iframe.GetAttribute("srcdoc"));
            Assert.Single(page.FindAll("iframe"));
            Assert.Empty(page.FindAll("script"));
        });
        page.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Text preview", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() =>
        {
            Assert.Equal("Spring sale\n\n\"Quoted\" & more", page.Find("#preview-text").TextContent);
            Assert.NotNull(page.Find("#preview-text-generated"));
        });
    }

    [Theory]
    [InlineData(CampaignState.Sent, "sent")]
    [InlineData(CampaignState.InProgress, "in progress")]
    public async Task Render_ShouldBeReadOnlyWithANote_WhenTheCampaignIsNoLongerADraft(CampaignState state, string text)
    {
        UseRealQueries();
        var campaign = await SeedCampaignAsync(audienceId: null, text: null, state: state);

        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));

        page.WaitForAssertion(() =>
        {
            Assert.Contains($"This campaign is {text}", page.Find("#editor-readonly").TextContent, StringComparison.Ordinal);
            Assert.True(Field(page, "campaign-name").HasAttribute("readonly"));
            Assert.Empty(page.FindAll("#save-draft"));
            Assert.Empty(page.FindAll("#send-test"));
            Assert.Empty(page.FindAll("#send-now"));
        });
    }

    [Fact]
    public async Task Unschedule_ShouldMakeTheFormEditableAgain_WhenTheCampaignWasScheduled()
    {
        UseRealQueries();
        var audience = await SeedAudienceAsync("Newsletter", 1);
        var campaign = await SeedCampaignAsync(audience.Id, text: null, state: CampaignState.Scheduled);
        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));
        page.WaitForAssertion(() => Assert.Contains("scheduled for", page.Find("#editor-readonly").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#save-draft"));

        await page.Find("#unschedule").ClickAsync(new());

        page.WaitForAssertion(() =>
        {
            Assert.Empty(page.FindAll("#editor-readonly"));
            Assert.NotNull(page.Find("#save-draft"));
        });
        await using var db = _database.CreateContext();
        Assert.Equal(CampaignState.Draft, (await db.Campaigns.SingleAsync()).State);
    }

    [Fact]
    public async Task SendTest_ShouldSendThroughTheCommandAndShowTheSnackbar_WhenTheAddressesAreValid()
    {
        UseRealQueries();
        var campaign = await SeedCampaignAsync(audienceId: null, text: null);
        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));
        page.WaitForAssertion(() => page.Find("#send-test"));

        Field(page, "test-recipients").Change("me@example.org,\ncolleague@example.org");
        await page.Find("#send-test").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Test sent to 2 addresses.", Snackbars));
        await using var db = _database.CreateContext();
        var test = await db.Campaigns.SingleAsync(c => c.Kind == CampaignKind.Test);
        Assert.Equal(2, await db.Deliveries.CountAsync(d => d.CampaignId == test.Id));
        Assert.Equal([$"SendCampaignJob.RunAsync({test.Id})"], _jobs.Calls);
    }

    [Fact]
    public async Task SendTest_ShouldNameTheBadAddressAndSendNothing_WhenOneIsMalformed()
    {
        UseRealQueries();
        var campaign = await SeedCampaignAsync(audienceId: null, text: null);
        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));
        page.WaitForAssertion(() => page.Find("#send-test"));

        Field(page, "test-recipients").Change("me@example.org, oops");
        await page.Find("#send-test").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("'oops' is not a valid e-mail address.", page.Markup, StringComparison.Ordinal));
        Assert.Empty(_jobs.Calls);
        await using var db = _database.CreateContext();
        Assert.Single(await db.Campaigns.ToListAsync());
    }

    [Fact]
    public async Task SendNow_ShouldConfirmWithTheAudienceAndItsSendableCountThenEnqueue_WhenConfirmed()
    {
        UseRealQueries();
        var audience = await SeedAudienceAsync("Newsletter", 3);
        var campaign = await SeedCampaignAsync(audience.Id, text: null);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));
        page.WaitForAssertion(() => page.Find("#send-now"));

        var click = page.Find("#send-now").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Contains("goes to the audience Newsletter: 3 of its 3 members can be mailed", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(_jobs.Calls);
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Send now").ClickAsync(new());
        await click;

        page.WaitForAssertion(() => Assert.EndsWith($"/campaigns/{campaign.Id}", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        Assert.Equal([$"SendCampaignJob.RunAsync({campaign.Id})"], _jobs.Calls);
    }

    [Fact]
    public async Task Render_ShouldShowTheDistinctReach_WhenTheDraftGoesToTwoOverlappingAudiences()
    {
        UseRealQueries();
        var (readers, buyers) = await SeedOverlappingAudiencesAsync();
        var campaign = await SeedCampaignAsync([readers.Id, buyers.Id], text: null);

        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));

        page.WaitForAssertion(() =>
        {
            Assert.Equal("3", page.Find("#campaign-reach-sendable").TextContent);
            Assert.Equal("4", page.Find("#campaign-reach-members").TextContent);
            Assert.Contains("a contact on several audiences gets one message", page.Find("#campaign-reach-summary").TextContent, StringComparison.Ordinal);
            Assert.Contains("Buyers, Readers", Field(page, "campaign-audience").GetAttribute("value"), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ChoosingAudiences_ShouldUpdateTheDistinctReachAndBeSaved_WhenASecondAudienceIsAdded()
    {
        UseRealQueries();
        var (readers, buyers) = await SeedOverlappingAudiencesAsync();
        var campaign = await SeedCampaignAsync([readers.Id], text: null);
        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));
        page.WaitForAssertion(() => Assert.Equal("2", page.Find("#campaign-reach-members").TextContent));
        var select = page.FindComponent<MudSelect<long>>();

        await page.InvokeAsync(() => select.Instance.SelectedValuesChanged.InvokeAsync([buyers.Id, readers.Id]));

        page.WaitForAssertion(() =>
        {
            Assert.Equal(("3", "4"), (page.Find("#campaign-reach-sendable").TextContent, page.Find("#campaign-reach-members").TextContent));
            Assert.Equal("Buyers, Readers", Field(page, "campaign-audience").GetAttribute("value"));
        });
        await page.Find("#save-draft").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("Draft saved.", Snackbars));
        await using var db = _database.CreateContext();
        Assert.Equal([readers.Id, buyers.Id], (await db.Campaigns.SingleAsync()).AudienceIds);
    }

    [Fact]
    public void Render_ShouldShowNoReach_WhenTheDraftHasNoAudience()
    {
        UseRealQueries();

        var page = Render<CampaignEditor>();

        page.WaitForAssertion(() =>
        {
            Assert.NotNull(page.Find("#campaign-form"));
            Assert.Empty(page.FindAll("#campaign-reach-summary"));
            Assert.Contains("Choose one or more", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task SendNow_ShouldConfirmWithBothAudiencesAndTheDistinctSendableCount_WhenTheDraftGoesToTwo()
    {
        UseRealQueries();
        var (readers, buyers) = await SeedOverlappingAudiencesAsync();
        var campaign = await SeedCampaignAsync([readers.Id, buyers.Id], text: null);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));
        page.WaitForAssertion(() => page.Find("#campaign-reach-summary"));

        var click = page.Find("#send-now").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Contains(
            "goes to the audiences Buyers, Readers: 3 of their 4 distinct members (each contact once) can be mailed",
            dialogs.Markup,
            StringComparison.Ordinal));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Send now").ClickAsync(new());
        await click;

        Assert.Equal([$"SendCampaignJob.RunAsync({campaign.Id})"], _jobs.Calls);
        await using var db = _database.CreateContext();
        Assert.Equal([readers.Id, buyers.Id], (await db.Campaigns.SingleAsync()).AudienceIds);
    }

    [Fact]
    public async Task SendNow_ShouldAskForAnAudienceAndEnqueueNothing_WhenNoneIsChosen()
    {
        UseRealQueries();
        var campaign = await SeedCampaignAsync(audienceId: null, text: null);
        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));
        page.WaitForAssertion(() => page.Find("#send-now"));

        await page.Find("#send-now").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Choose at least one audience before sending.", Snackbars));
        Assert.Empty(_jobs.Calls);
    }

    [Fact]
    public async Task Save_ShouldWorkForAnAdminToo_WhenTheAdminEditsADraft()
    {
        _auth.SetAuthorized("admin@example.org");
        _auth.SetRoles(Roles.Admin);
        UseRealQueries();
        var campaign = await SeedCampaignAsync(audienceId: null, text: null);
        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));
        page.WaitForAssertion(() => page.Find("#campaign-form"));

        Field(page, "campaign-name").Change("Renamed by the admin");
        await page.Find("#save-draft").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Draft saved.", Snackbars));
        await using var db = _database.CreateContext();
        Assert.Equal("Renamed by the admin", (await db.Campaigns.SingleAsync()).Name);
    }

    [Fact]
    public async Task Save_ShouldShowTheRefusal_WhenTheUserHasNeitherRole()
    {
        _auth.SetRoles();
        UseRealQueries();
        var campaign = await SeedCampaignAsync(audienceId: null, text: null);
        var page = Render<CampaignEditor>(p => p.Add(c => c.Id, campaign.Id));
        page.WaitForAssertion(() => page.Find("#campaign-form"));

        Field(page, "campaign-name").Change("Sneaky");
        await page.Find("#save-draft").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Only a signed-in Admin or Marketer can edit a campaign.", Snackbars));
        await using var db = _database.CreateContext();
        Assert.Equal("Spring", (await db.Campaigns.SingleAsync()).Name);
    }

    [Fact]
    public void TryToUtc_ShouldUseTheBrowsersZone_WhenConvertingTheScheduledTime()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        Assert.True(CampaignEditor.TryToUtc(new DateTime(2026, 7, 1, 9, 0, 0), berlin, out var summer));
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 7, 0, 0, TimeSpan.Zero), summer);
        Assert.False(CampaignEditor.TryToUtc(new DateTime(2026, 3, 29, 2, 30, 0), berlin, out _));
    }

    /// <summary>The input or textarea of a MudBlazor field with this id (the id may sit on the element or its wrapper).</summary>
    private static IElement Field(IRenderedComponent<CampaignEditor> page, string id)
    {
        var element = page.Find($"#{id}");
        return element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea")!;
    }

    private void UseRealQueries() => Services.AddSingleton<ICampaignEditorQueries>(new CampaignEditorQueries(_database.Factory));

    private async Task<Audience> SeedAudienceAsync(string name, int members)
    {
        var now = _time.GetUtcNow();
        var contacts = Enumerable.Range(0, members).Select(i => Contact.Create($"{name.ToLowerInvariant()}{i}@example.com", now)).ToList();
        await _database.SeedAsync([.. contacts]);
        return await SeedAudienceAsync(name, contacts);
    }

    private async Task<Audience> SeedAudienceAsync(string name, IReadOnlyList<Contact> contacts)
    {
        var now = _time.GetUtcNow();
        var audience = Audience.Create(name, now);
        await _database.SeedAsync(audience);
        await _database.SeedAsync([.. contacts.Select(c => AudienceMember.Create(audience.Id, c.Id, now))]);
        return audience;
    }

    /// <summary>Two audiences sharing one contact, one of whose three other contacts has opted out: 4 distinct, 3 sendable.</summary>
    private async Task<(Audience Readers, Audience Buyers)> SeedOverlappingAudiencesAsync()
    {
        var now = _time.GetUtcNow();
        string[] addresses = ["ann@example.com", "bob@example.com", "cat@example.com", "dan@example.com"];
        var contacts = addresses.Select(e => Contact.Create(e, now)).ToList();
        contacts[3].OptOut(now);
        await _database.SeedAsync([.. contacts]);
        var readers = await SeedAudienceAsync("Readers", [contacts[0], contacts[1]]);
        var buyers = await SeedAudienceAsync("Buyers", [contacts[1], contacts[2], contacts[3]]);
        return (readers, buyers);
    }

    private Task<Campaign> SeedCampaignAsync(long? audienceId, string? text, CampaignState state = CampaignState.Draft) =>
        SeedCampaignAsync(audienceId is { } id ? [id] : [], text, state);

    private async Task<Campaign> SeedCampaignAsync(IReadOnlyList<long> audienceIds, string? text, CampaignState state = CampaignState.Draft)
    {
        var now = _time.GetUtcNow();
        var campaign = Campaign.Create("Spring", CampaignKind.Regular, "news@mail.example.org", "Spring is here", now, audienceIds);
        campaign.SetContent("News team", Html, text);
        if (state == CampaignState.Scheduled)
        {
            campaign.Schedule(now.AddDays(1), now);
        }
        else if (state != CampaignState.Draft)
        {
            campaign.StartSending(now);
            if (state == CampaignState.Sent)
            {
                campaign.MarkSent(now.AddHours(1));
            }
        }

        await _database.SeedAsync(campaign);
        return campaign;
    }

    private sealed class StubQueries(Func<Task<CampaignDraftView?>> get) : ICampaignEditorQueries
    {
        public Task<CampaignDraftView?> GetAsync(long campaignId, CancellationToken cancellationToken = default) => get();

        public Task<IReadOnlyList<AudienceOption>> ListAudiencesAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<AudienceOption>>([]);

        public Task<CampaignReach?> GetReachAsync(IReadOnlyCollection<long> audienceIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<CampaignReach?>(null);
    }
}
