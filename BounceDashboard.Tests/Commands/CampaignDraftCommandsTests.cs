using System.Security.Claims;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Commands;

/// <summary><see cref="CampaignDraftCommands"/> on a real SQLite database with the real migrations, a fake clock and a recording job client.</summary>
public sealed class CampaignDraftCommandsTests : CommandScenario
{
    private const string Html = "<html><body><h1>Spring sale</h1><p><a href=\"https://shop.example.com/spring\">Shop now</a></p></body></html>";

    private readonly RecordingJobClient _jobs = new();
    private CampaignDraftCommands? _commands;

    private CampaignDraftCommands Commands => _commands ??= new CampaignDraftCommands(
        Runner,
        new CampaignCommands(Runner, Time, Logs.CreateLogger<CampaignCommands>()),
        _jobs,
        Time,
        Logs.CreateLogger<CampaignDraftCommands>());

    private static ClaimsPrincipal Marketer => User("marketer@example.org", Roles.Marketer);

    private static CampaignDraft Draft(long? audienceId = null, string? text = null) =>
        new("Spring", "News team", "News@Mail.Example.org", "Spring is here", Html, text, audienceId is { } id ? [id] : []);

    [Fact]
    public async Task SaveAsync_ShouldCreateADraftWithTheGeneratedTextPart_WhenTheTextIsLeftEmpty()
    {
        var audience = await SeedAudienceAsync(2);

        var id = await Commands.SaveAsync(null, Draft(audience.Id), Marketer);

        await using var db = Database.CreateContext();
        var stored = await db.Campaigns.SingleAsync(c => c.Id == id);
        Assert.Equal(
            (CampaignState.Draft, CampaignKind.Regular, "Spring", "news@mail.example.org", "mail.example.org", "News team", "Spring is here", audience.Id),
            (stored.State, stored.Kind, stored.Name, stored.FromAddress, stored.FromDomain, stored.FromName, stored.Subject, stored.AudienceIds.Single()));
        Assert.Equal(Html, stored.HtmlBody);
        Assert.Equal("Spring sale\n\nShop now (https://shop.example.com/spring)", stored.TextBody);
        Assert.Equal(Time.GetUtcNow(), stored.CreatedAt);
    }

    [Fact]
    public async Task SaveAsync_ShouldKeepTheAuthorsText_WhenOneIsGiven()
    {
        var id = await Commands.SaveAsync(null, Draft(text: "Hello in plain text"), Marketer);

        await using var db = Database.CreateContext();
        Assert.Equal("Hello in plain text", (await db.Campaigns.SingleAsync(c => c.Id == id)).TextBody);
    }

    [Fact]
    public async Task SaveAsync_ShouldUpdateEveryField_WhenTheDraftExists()
    {
        var audience = await SeedAudienceAsync(1);
        var id = await Commands.SaveAsync(null, Draft(), Marketer);

        var again = await Commands.SaveAsync(id, new CampaignDraft("Summer", null, "offers@shop.example.com", "Summer is here", "<p>Hot</p>", "Hot!", [audience.Id]), Admin);

        Assert.Equal(id, again);
        await using var db = Database.CreateContext();
        var stored = await db.Campaigns.SingleAsync();
        Assert.Equal(
            ("Summer", (string?)null, "offers@shop.example.com", "shop.example.com", "Summer is here", "<p>Hot</p>", "Hot!", audience.Id),
            (stored.Name, stored.FromName, stored.FromAddress, stored.FromDomain, stored.Subject, stored.HtmlBody, stored.TextBody, stored.AudienceIds.Single()));
    }

    [Fact]
    public async Task SaveAsync_ShouldRefuseAndChangeNothing_WhenTheCampaignIsNoLongerADraft()
    {
        var id = await Commands.SaveAsync(null, Draft(), Marketer);
        await using (var db = Database.CreateContext())
        {
            (await db.Campaigns.SingleAsync()).StartSending(Time.GetUtcNow());
            await db.SaveChangesAsync();
        }

        var error = await Assert.ThrowsAsync<DomainException>(() => Commands.SaveAsync(id, Draft() with { Name = "Changed" }, Marketer));

        Assert.Equal($"Campaign {id} is InProgress: only a Draft can be edited.", error.Message);
        await using var check = Database.CreateContext();
        Assert.Equal("Spring", (await check.Campaigns.SingleAsync()).Name);
    }

    [Fact]
    public async Task SaveAsync_ShouldNameEachBrokenRule_WhenTheDraftIsInvalid()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            Commands.SaveAsync(null, new CampaignDraft(" ", null, "not-an-address", "Two\nlines", null, null, []), Marketer));

        Assert.Equal("A campaign name is required. 'not-an-address' is not a valid e-mail address. The subject must be one line.", error.Message);
        await using var db = Database.CreateContext();
        Assert.Empty(await db.Campaigns.ToListAsync());
    }

    [Fact]
    public async Task SaveAsync_ShouldReplaceTheAudiences_WhenTheDraftIsSavedWithAnotherChoice()
    {
        var first = await SeedAudienceAsync(1);
        var second = await SeedAudienceAsync(1);
        var third = await SeedAudienceAsync(1);
        var id = await Commands.SaveAsync(null, Draft() with { AudienceIds = [first.Id, second.Id] }, Marketer);

        await Commands.SaveAsync(id, Draft() with { AudienceIds = [third.Id, second.Id] }, Marketer);

        await using var db = Database.CreateContext();
        Assert.Equal([second.Id, third.Id], (await db.Campaigns.SingleAsync()).AudienceIds);
        Assert.Equal(2, await db.CampaignAudiences.CountAsync());
    }

    [Fact]
    public async Task SaveAsync_ShouldRefuseAndChangeNothing_WhenAnAudienceIsChosenTwice()
    {
        var audience = await SeedAudienceAsync(1);
        var id = await Commands.SaveAsync(null, Draft(audience.Id), Marketer);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            Commands.SaveAsync(id, Draft() with { Name = "Changed", AudienceIds = [audience.Id, audience.Id] }, Marketer));

        Assert.Equal($"Audience {audience.Id} is chosen more than once.", error.Message);
        await using var db = Database.CreateContext();
        var stored = await db.Campaigns.SingleAsync();
        Assert.Equal(("Spring", audience.Id), (stored.Name, stored.AudienceIds.Single()));
    }

    [Fact]
    public async Task SaveAsync_ShouldRefuse_WhenTheAudienceDoesNotExist()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => Commands.SaveAsync(null, Draft(audienceId: 99), Marketer));

        Assert.Equal("Audience 99 does not exist.", error.Message);
    }

    [Fact]
    public async Task SaveAsync_ShouldBeForbidden_WhenTheUserIsNotStaff()
    {
        await Assert.ThrowsAsync<ForbiddenActionException>(() => Commands.SaveAsync(null, Draft(), new ClaimsPrincipal(new ClaimsIdentity())));
        await Assert.ThrowsAsync<ForbiddenActionException>(() => Commands.SaveAsync(null, Draft(), User("guest@example.org")));
    }

    [Fact]
    public async Task SendTestAsync_ShouldCreateAStartedTestCampaignAndEnqueueItsSendJob_WhenTheAddressesAreValid()
    {
        var id = await Commands.SaveAsync(null, Draft(), Marketer);

        var count = await Commands.SendTestAsync(id, ["me@example.org", "Colleague@Example.org"], Marketer);

        Assert.Equal(2, count);
        await using var db = Database.CreateContext();
        var test = await db.Campaigns.SingleAsync(c => c.Kind == CampaignKind.Test);
        Assert.Equal(("Test of Spring", CampaignState.InProgress), (test.Name, test.State));
        Assert.Equal(2, await db.Deliveries.CountAsync(d => d.CampaignId == test.Id && d.State == DeliveryState.Queued));
        Assert.Equal([$"SendCampaignJob.RunAsync({test.Id})"], _jobs.Calls);
        Assert.Equal(CampaignState.Draft, (await db.Campaigns.SingleAsync(c => c.Id == id)).State);
    }

    [Fact]
    public async Task SendNowAsync_ShouldEnqueueTheDraftsSendJob_WhenItHasAnAudienceAndABody()
    {
        var audience = await SeedAudienceAsync(2);
        var id = await Commands.SaveAsync(null, Draft(audience.Id), Marketer);

        await Commands.SendNowAsync(id, Marketer);

        Assert.Equal([$"SendCampaignJob.RunAsync({id})"], _jobs.Calls);
    }

    [Fact]
    public async Task SendNowAsync_ShouldRefuseAndEnqueueNothing_WhenNoAudienceIsChosen()
    {
        var id = await Commands.SaveAsync(null, Draft(), Marketer);

        var error = await Assert.ThrowsAsync<DomainException>(() => Commands.SendNowAsync(id, Marketer));

        Assert.Equal("Choose at least one audience before sending.", error.Message);
        Assert.Empty(_jobs.Calls);
    }

    [Fact]
    public async Task SendNowAsync_ShouldRefuse_WhenTheHtmlHasALinkThatCannotBeTracked()
    {
        var audience = await SeedAudienceAsync(1);
        var id = await Commands.SaveAsync(null, Draft(audience.Id) with { HtmlBody = "<a href=\"https://user:pw@example.com/\">x</a>" }, Marketer);

        await Assert.ThrowsAsync<DomainException>(() => Commands.SendNowAsync(id, Marketer));

        Assert.Empty(_jobs.Calls);
    }

    [Fact]
    public async Task ScheduleAsync_ShouldScheduleTheDraft_WhenTheTimeIsInTheFuture()
    {
        var audience = await SeedAudienceAsync(1);
        var id = await Commands.SaveAsync(null, Draft(audience.Id), Marketer);
        var sendAt = Time.GetUtcNow().AddDays(1);

        await Commands.ScheduleAsync(id, sendAt.ToOffset(TimeSpan.FromHours(2)), Marketer);

        await using var db = Database.CreateContext();
        var stored = await db.Campaigns.SingleAsync();
        Assert.Equal((CampaignState.Scheduled, (DateTimeOffset?)sendAt), (stored.State, stored.ScheduledFor));
        Assert.Equal(TimeSpan.Zero, stored.ScheduledFor!.Value.Offset);
        Assert.Empty(_jobs.Calls);
    }

    [Fact]
    public async Task ScheduleAsync_ShouldRefuse_WhenTheTimeIsNotInTheFuture()
    {
        var audience = await SeedAudienceAsync(1);
        var id = await Commands.SaveAsync(null, Draft(audience.Id), Marketer);

        var error = await Assert.ThrowsAsync<DomainException>(() => Commands.ScheduleAsync(id, Time.GetUtcNow().AddMinutes(-1), Marketer));

        Assert.Equal("Choose a time in the future.", error.Message);
        await using var db = Database.CreateContext();
        Assert.Equal(CampaignState.Draft, (await db.Campaigns.SingleAsync()).State);
    }

    [Fact]
    public async Task UnscheduleAsync_ShouldMakeItADraftAgain_WhenItWasScheduled()
    {
        var audience = await SeedAudienceAsync(1);
        var id = await Commands.SaveAsync(null, Draft(audience.Id), Marketer);
        await Commands.ScheduleAsync(id, Time.GetUtcNow().AddHours(3), Marketer);

        await Commands.UnscheduleAsync(id, Marketer);

        await using var db = Database.CreateContext();
        var stored = await db.Campaigns.SingleAsync();
        Assert.Equal((CampaignState.Draft, (DateTimeOffset?)null), (stored.State, stored.ScheduledFor));
    }

    [Fact]
    public async Task SaveAsync_ShouldBeRefusedWithAHint_WhenTheCampaignIsScheduled()
    {
        var audience = await SeedAudienceAsync(1);
        var id = await Commands.SaveAsync(null, Draft(audience.Id), Marketer);
        await Commands.ScheduleAsync(id, Time.GetUtcNow().AddHours(3), Marketer);

        var error = await Assert.ThrowsAsync<DomainException>(() => Commands.SaveAsync(id, Draft(audience.Id), Marketer));

        Assert.Equal($"Campaign {id} is Scheduled: only a Draft can be edited (unschedule it first).", error.Message);
    }

    [Theory]
    [InlineData("a@example.org, b@example.org\nc@example.org; A@example.org", new[] { "a@example.org", "b@example.org", "c@example.org" }, new string[0])]
    [InlineData("a@example.org, nope", new[] { "a@example.org" }, new[] { "'nope' is not a valid e-mail address." })]
    [InlineData(" ", new string[0], new[] { "Enter at least one address." })]
    public void TestRecipientsParse_ShouldSplitNormaliseAndReport_WhenGivenTypedText(string text, string[] addresses, string[] errors)
    {
        var parsed = TestRecipients.Parse(text);

        Assert.Equal(addresses, parsed.Addresses);
        Assert.Equal(errors, parsed.Errors);
    }

    [Fact]
    public void TestRecipientsParse_ShouldRefuse_WhenThereAreTooManyAddresses()
    {
        var parsed = TestRecipients.Parse(string.Join(",", Enumerable.Range(0, CampaignCommands.MaxTestRecipients + 1).Select(i => $"t{i}@example.org")));

        Assert.False(parsed.IsValid);
        Assert.Equal($"A test goes to at most {CampaignCommands.MaxTestRecipients} addresses, not {CampaignCommands.MaxTestRecipients + 1}.", Assert.Single(parsed.Errors));
    }

    private int _seededContacts;

    private async Task<Audience> SeedAudienceAsync(int members)
    {
        var audience = Audience.Create("Newsletter", Time.GetUtcNow());
        var contacts = Enumerable.Range(0, members).Select(_ => Contact.Create($"member{_seededContacts++}@example.com", Time.GetUtcNow())).ToList();
        await Database.SeedAsync([audience, .. contacts]);
        await Database.SeedAsync([.. contacts.Select(c => AudienceMember.Create(audience.Id, c.Id, Time.GetUtcNow()))]);
        return audience;
    }
}
