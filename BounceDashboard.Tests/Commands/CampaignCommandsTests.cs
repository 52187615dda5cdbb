using System.Security.Claims;
using BounceDashboard.Domain.Audit;
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

/// <summary><see cref="CampaignCommands"/> on a real SQLite database with the real migrations and a fake clock.</summary>
public class CampaignCommandsTests : CommandScenario
{
    private const string Html =
        "<html><body><p>Hello</p><a href=\"https://example.org/spring\">Spring</a> <a href=\"mailto:help@example.org\">Help</a>"
        + " <a href=\"http://example.org/shop?a=1&amp;b=2\">Shop</a> <a href=\"#top\">Top</a></body></html>";

    private CampaignCommands? _campaigns;

    private CampaignCommands Campaigns => _campaigns ??= new CampaignCommands(Runner, Time, Logs.CreateLogger<CampaignCommands>());

    private static ClaimsPrincipal Marketer => User("marketer@example.org", Roles.Marketer);

    private static ClaimsPrincipal Anonymous => new(new ClaimsIdentity());

    [Fact]
    public async Task StartAsync_ShouldCreateADeliveryPerMemberAndTheLinks_WhenADraftStarts()
    {
        var (audience, members) = await SeedAudienceAsync(3);
        await SeedContactAsync("outsider@example.com");
        var campaign = await SeedCampaignAsync(audience.Id);

        var result = await Campaigns.StartAsync(campaign.Id);

        Assert.Equal(new StartResult(campaign.Id, CampaignState.InProgress, 3), result);
        await using var db = Database.CreateContext();
        var stored = await db.Campaigns.SingleAsync();
        Assert.Equal((CampaignState.InProgress, (DateTimeOffset?)Time.GetUtcNow(), (DateTimeOffset?)Time.GetUtcNow()), (stored.State, stored.StartedAt, stored.DeliveriesQueuedAt));
        var deliveries = await db.Deliveries.OrderBy(d => d.ContactId).ToListAsync();
        Assert.Equal(members.Select(m => m.Id), deliveries.Select(d => d.ContactId));
        Assert.All(deliveries, d => Assert.Equal((campaign.Id, DeliveryState.Queued, (DateTimeOffset?)Time.GetUtcNow()), (d.CampaignId, d.State, d.NextAttemptAt)));
        var links = await db.CampaignLinks.OrderBy(l => l.Number).ToListAsync();
        Assert.Equal([(1, "https://example.org/spring"), (2, "http://example.org/shop?a=1&b=2")], links.Select(l => (l.Number, l.Url)));
        Assert.All(links, l => Assert.Equal(campaign.Id, l.CampaignId));
    }

    [Fact]
    public async Task StartAsync_ShouldCreateOneDeliveryPerContact_WhenAContactIsInTwoAudiences()
    {
        var contacts = await SeedContactsAsync(3);
        var readers = await SeedMembersAsync("Readers", contacts[0], contacts[1]);
        var buyers = await SeedMembersAsync("Buyers", contacts[1], contacts[2]);
        var campaign = await SeedCampaignAsync([readers.Id, buyers.Id]);

        var result = await Campaigns.StartAsync(campaign.Id);

        Assert.Equal(3, result.DeliveriesCreated);
        await using var db = Database.CreateContext();
        Assert.Equal(contacts.Select(c => c.Id), await db.Deliveries.OrderBy(d => d.ContactId).Select(d => d.ContactId).ToListAsync());
    }

    [Fact]
    public async Task StartAsync_ShouldCreateEachDeliveryOnce_WhenOverlappingAudiencesHoldMoreThanOneBatch()
    {
        var contacts = await SeedContactsAsync(CampaignCommands.DeliveryBatchSize + 600);
        var first = await SeedMembersAsync("First", [.. contacts.Take(1500)]);
        var second = await SeedMembersAsync("Second", [.. contacts.Skip(1000)]);
        var campaign = await SeedCampaignAsync([first.Id, second.Id]);

        var result = await Campaigns.StartAsync(campaign.Id);
        var again = await Campaigns.StartAsync(campaign.Id);

        Assert.Equal((contacts.Count, 0), (result.DeliveriesCreated, again.DeliveriesCreated));
        await using var db = Database.CreateContext();
        Assert.Equal(contacts.Count, await db.Deliveries.Select(d => d.ContactId).Distinct().CountAsync());
        Assert.Equal(contacts.Count, await db.Deliveries.CountAsync());
    }

    [Fact]
    public async Task StartAsync_ShouldCreateNothingMore_WhenRunTwice()
    {
        var (audience, _) = await SeedAudienceAsync(3);
        var campaign = await SeedCampaignAsync(audience.Id);
        await Campaigns.StartAsync(campaign.Id);
        Time.Advance(TimeSpan.FromMinutes(1));

        var again = await Campaigns.StartAsync(campaign.Id);

        Assert.Equal(new StartResult(campaign.Id, CampaignState.InProgress, 0), again);
        await using var db = Database.CreateContext();
        Assert.Equal(3, await db.Deliveries.CountAsync());
        Assert.Equal(2, await db.CampaignLinks.CountAsync());
        Assert.Equal(Time.GetUtcNow().AddMinutes(-1), (await db.Campaigns.SingleAsync()).StartedAt);
    }

    [Fact]
    public async Task StartAsync_ShouldCreateOnlyTheMissingDeliveries_WhenAnEarlierRunStoppedHalfway()
    {
        var (audience, members) = await SeedAudienceAsync(3);
        var campaign = await SeedCampaignAsync(audience.Id);
        await using (var db = Database.CreateContext())
        {
            var stored = await db.Campaigns.SingleAsync();
            stored.StartSending(Time.GetUtcNow());
            db.Deliveries.Add(Delivery.Create(campaign.Id, members[0].Id, Time.GetUtcNow()));
            await db.SaveChangesAsync();
        }

        var result = await Campaigns.StartAsync(campaign.Id);

        Assert.Equal(2, result.DeliveriesCreated);
        await using var check = Database.CreateContext();
        Assert.Equal(members.Select(m => m.Id), await check.Deliveries.OrderBy(d => d.ContactId).Select(d => d.ContactId).ToListAsync());
        Assert.NotNull((await check.Campaigns.SingleAsync()).DeliveriesQueuedAt);
    }

    [Fact]
    public async Task StartAsync_ShouldThrowAndChangeNothing_WhenTheCampaignHasNoBody()
    {
        var (audience, _) = await SeedAudienceAsync(2);
        var campaign = Campaign.Create("Empty", CampaignKind.Regular, "news@mail.example.org", "Nothing yet", Time.GetUtcNow(), [audience.Id]);
        await Database.SeedAsync(campaign);

        await Assert.ThrowsAsync<DomainException>(() => Campaigns.StartAsync(campaign.Id));

        await using var db = Database.CreateContext();
        var stored = await db.Campaigns.SingleAsync();
        Assert.Equal((CampaignState.Draft, (DateTimeOffset?)null, (DateTimeOffset?)null), (stored.State, stored.StartedAt, stored.DeliveriesQueuedAt));
        Assert.Empty(await db.Deliveries.ToListAsync());
        Assert.Empty(await db.CampaignLinks.ToListAsync());
    }

    [Fact]
    public async Task StartAsync_ShouldThrowAndChangeNothing_WhenALinkCannotBeTracked()
    {
        var (audience, _) = await SeedAudienceAsync(2);
        var campaign = Campaign.Create("Bad link", CampaignKind.Regular, "news@mail.example.org", "Click", Time.GetUtcNow(), [audience.Id]);
        campaign.SetContent(null, "<p><a href=\"https://example.org/ok\">ok</a> <a href=\"https://user:secret@example.org/\">bad</a></p>", null);
        await Database.SeedAsync(campaign);

        await Assert.ThrowsAsync<DomainException>(() => Campaigns.StartAsync(campaign.Id));

        await using var db = Database.CreateContext();
        Assert.Equal(CampaignState.Draft, (await db.Campaigns.SingleAsync()).State);
        Assert.Empty(await db.Deliveries.ToListAsync());
        Assert.Empty(await db.CampaignLinks.ToListAsync());
    }

    [Fact]
    public async Task StartAsync_ShouldThrow_WhenTheCampaignDoesNotExist()
    {
        await Assert.ThrowsAsync<DomainException>(() => Campaigns.StartAsync(404));
    }

    [Fact]
    public async Task StartAsync_ShouldStartAndQueue_WhenScheduled()
    {
        var (audience, _) = await SeedAudienceAsync(1);
        var campaign = await SeedCampaignAsync(audience.Id, schedule: true);

        var result = await Campaigns.StartAsync(campaign.Id);

        Assert.Equal((CampaignState.InProgress, 1), (result.State, result.DeliveriesCreated));
    }

    [Fact]
    public async Task StartAsync_ShouldLeaveASentCampaignAlone_WhenRunAgain()
    {
        var (audience, _) = await SeedAudienceAsync(2);
        var campaign = await SeedCampaignAsync(audience.Id);
        await using (var db = Database.CreateContext())
        {
            var stored = await db.Campaigns.SingleAsync();
            stored.StartSending(Time.GetUtcNow());
            stored.MarkSent(Time.GetUtcNow());
            await db.SaveChangesAsync();
        }

        var result = await Campaigns.StartAsync(campaign.Id);

        Assert.Equal(new StartResult(campaign.Id, CampaignState.Sent, 0), result);
        await using var check = Database.CreateContext();
        Assert.Empty(await check.Deliveries.ToListAsync());
    }

    [Fact]
    public async Task SendTestAsync_ShouldSendTheSourceContentToTheNamedAddressesOnly_WhenGivenAddresses()
    {
        var (audience, _) = await SeedAudienceAsync(2);
        var source = await SeedCampaignAsync(audience.Id);
        var known = await SeedContactAsync("known@example.com");

        var result = await Campaigns.SendTestAsync(source.Id, [" Known@Example.com ", "New.Person@Example.COM", "new.person@example.com"], Marketer);

        Assert.Equal((CampaignState.InProgress, 2), (result.State, result.DeliveriesCreated));
        Assert.NotEqual(source.Id, result.CampaignId);
        await using var db = Database.CreateContext();
        var test = await db.Campaigns.SingleAsync(c => c.Id == result.CampaignId);
        Assert.Equal(
            (CampaignKind.Test, $"Test of {source.Name}", source.Subject, source.FromAddress, source.FromName, source.HtmlBody, source.TextBody, 0),
            (test.Kind, test.Name, test.Subject, test.FromAddress, test.FromName, test.HtmlBody, test.TextBody, test.AudienceIds.Count));
        Assert.NotNull(test.DeliveriesQueuedAt);
        var created = await db.Contacts.SingleAsync(c => c.Email == "new.person@example.com");
        Assert.Equal(ContactStatus.Active, created.Status);
        var recipients = await db.Deliveries.Where(d => d.CampaignId == test.Id).Select(d => d.ContactId).OrderBy(id => id).ToListAsync();
        Assert.Equal(new[] { known.Id, created.Id }.Order(), recipients);
        Assert.Empty(await db.Deliveries.Where(d => d.CampaignId == source.Id).ToListAsync());
        Assert.Equal(CampaignState.Draft, (await db.Campaigns.SingleAsync(c => c.Id == source.Id)).State);
        Assert.Equal(2, await db.CampaignLinks.CountAsync(l => l.CampaignId == test.Id));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(26)]
    public async Task SendTestAsync_ShouldThrowAndCreateNothing_WhenTheNumberOfAddressesIsOutOfRange(int count)
    {
        var source = await SeedCampaignAsync(audienceId: null);
        var addresses = Enumerable.Range(0, count).Select(i => $"tester{i}@example.com").ToList();

        await Assert.ThrowsAsync<DomainException>(() => Campaigns.SendTestAsync(source.Id, addresses, Admin));

        await AssertOnlyTheSourceAsync();
    }

    [Fact]
    public async Task SendTestAsync_ShouldSend_WhenGivenTheMostAddresses()
    {
        var source = await SeedCampaignAsync(audienceId: null);
        var addresses = Enumerable.Range(0, CampaignCommands.MaxTestRecipients).Select(i => $"tester{i}@example.com").ToList();

        var result = await Campaigns.SendTestAsync(source.Id, addresses, Admin);

        Assert.Equal(25, result.DeliveriesCreated);
    }

    [Fact]
    public async Task SendTestAsync_ShouldThrowAndCreateNothing_WhenAnAddressIsMalformed()
    {
        var source = await SeedCampaignAsync(audienceId: null);

        await Assert.ThrowsAsync<DomainException>(() => Campaigns.SendTestAsync(source.Id, ["ok@example.com", "not-an-address"], Admin));

        await AssertOnlyTheSourceAsync();
    }

    [Fact]
    public async Task SendTestAsync_ShouldThrowAndCreateNothing_WhenTheSourceHasNoBody()
    {
        var source = Campaign.Create("Empty", CampaignKind.Regular, "news@mail.example.org", "Nothing yet", Time.GetUtcNow());
        await Database.SeedAsync(source);

        await Assert.ThrowsAsync<DomainException>(() => Campaigns.SendTestAsync(source.Id, ["tester@example.com"], Admin));

        await AssertOnlyTheSourceAsync();
    }

    [Fact]
    public async Task SendTestAsync_ShouldThrowAndCreateNothing_WhenTheSourceDoesNotExist()
    {
        await Assert.ThrowsAsync<DomainException>(() => Campaigns.SendTestAsync(404, ["tester@example.com"], Admin));

        await using var db = Database.CreateContext();
        Assert.Empty(await db.Campaigns.ToListAsync());
        Assert.Empty(await db.Contacts.ToListAsync());
    }

    [Fact]
    public async Task SendTestAsync_ShouldCutTheNameToTheLimit_WhenTheSourceNameIsAsLongAsAllowed()
    {
        var source = Campaign.Create(new string('n', Campaign.NameMaxLength), CampaignKind.Regular, "news@mail.example.org", "Hi", Time.GetUtcNow());
        source.SetContent(null, null, "Hello");
        await Database.SeedAsync(source);

        var result = await Campaigns.SendTestAsync(source.Id, ["tester@example.com"], Admin);

        await using var db = Database.CreateContext();
        var name = (await db.Campaigns.SingleAsync(c => c.Id == result.CampaignId)).Name;
        Assert.Equal(Campaign.NameMaxLength, name.Length);
        Assert.StartsWith("Test of nnn", name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendTestAsync_ShouldRefuseAndCreateNothing_WhenTheUserIsAnonymous()
    {
        var source = await SeedCampaignAsync(audienceId: null);

        await Assert.ThrowsAsync<ForbiddenActionException>(() => Campaigns.SendTestAsync(source.Id, ["tester@example.com"], Anonymous));

        await AssertOnlyTheSourceAsync();
    }

    [Fact]
    public async Task SendTestAsync_ShouldRefuseAndCreateNothing_WhenTheUserIsNeitherAdminNorMarketer()
    {
        var source = await SeedCampaignAsync(audienceId: null);

        await Assert.ThrowsAsync<ForbiddenActionException>(() => Campaigns.SendTestAsync(source.Id, ["tester@example.com"], User("viewer@example.org")));

        await AssertOnlyTheSourceAsync();
    }

    [Fact]
    public async Task PauseAsync_ShouldPauseAndAuditWithTheActorsName_WhenAMarketerGivesAReason()
    {
        var campaign = await SeedStartedAsync();
        Time.Advance(TimeSpan.FromMinutes(3));

        var state = await Campaigns.PauseAsync(campaign.Id, "  Wrong price in the subject ", Marketer);

        Assert.Equal(CampaignState.Paused, state);
        await using var db = Database.CreateContext();
        var stored = await db.Campaigns.SingleAsync();
        Assert.Equal((CampaignState.Paused, "Wrong price in the subject", false, (DateTimeOffset?)Time.GetUtcNow()), (stored.State, stored.PauseReason, stored.PausedAutomatically, stored.PausedAt));
        var audit = await db.AuditLogEntries.SingleAsync();
        Assert.Equal(
            ("marketer@example.org", AuditAction.PauseCampaign, $"Campaign {campaign.Id}", "Wrong price in the subject", Time.GetUtcNow()),
            (audit.Actor, audit.Action, audit.Target, audit.Reason, audit.At));
    }

    [Fact]
    public async Task ResumeAsync_ShouldResumeAndAuditWithTheActorsName_WhenPaused()
    {
        var campaign = await SeedStartedAsync();
        await Campaigns.PauseAsync(campaign.Id, "Checking the list", Marketer);
        Time.Advance(TimeSpan.FromHours(1));

        var state = await Campaigns.ResumeAsync(campaign.Id, "List checked", Admin);

        Assert.Equal(CampaignState.InProgress, state);
        await using var db = Database.CreateContext();
        var stored = await db.Campaigns.SingleAsync();
        Assert.Equal((CampaignState.InProgress, (DateTimeOffset?)null, "Checking the list"), (stored.State, stored.PausedAt, stored.PauseReason));
        var audits = await db.AuditLogEntries.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(
            [("marketer@example.org", AuditAction.PauseCampaign, "Checking the list"), ("admin@example.org", AuditAction.ResumeCampaign, "List checked")],
            audits.Select(a => (a.Actor, a.Action, a.Reason!)));
        Assert.Equal(Time.GetUtcNow(), audits[1].At);
    }

    [Fact]
    public async Task PauseAsync_ShouldRefuseAndChangeNothing_WhenTheUserIsAnonymous()
    {
        var campaign = await SeedStartedAsync();

        await Assert.ThrowsAsync<ForbiddenActionException>(() => Campaigns.PauseAsync(campaign.Id, "Stop", Anonymous));

        await AssertStateWithoutAuditAsync(CampaignState.InProgress);
    }

    [Fact]
    public async Task ResumeAsync_ShouldRefuseAndChangeNothing_WhenTheUserIsAnonymous()
    {
        var campaign = await SeedStartedAsync();
        await Campaigns.PauseAsync(campaign.Id, "Checking the list", Marketer);

        await Assert.ThrowsAsync<ForbiddenActionException>(() => Campaigns.ResumeAsync(campaign.Id, "Go", Anonymous));

        await using var db = Database.CreateContext();
        Assert.Equal(CampaignState.Paused, (await db.Campaigns.SingleAsync()).State);
        Assert.Single(await db.AuditLogEntries.ToListAsync());
    }

    [Fact]
    public async Task PauseAsync_ShouldRefuseAndChangeNothing_WhenTheUserIsNeitherAdminNorMarketer()
    {
        var campaign = await SeedStartedAsync();

        await Assert.ThrowsAsync<ForbiddenActionException>(() => Campaigns.PauseAsync(campaign.Id, "Stop", User("viewer@example.org")));

        await AssertStateWithoutAuditAsync(CampaignState.InProgress);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task PauseAsync_ShouldThrowAndChangeNothing_WhenNoReasonIsGiven(string reason)
    {
        var campaign = await SeedStartedAsync();

        await Assert.ThrowsAsync<DomainException>(() => Campaigns.PauseAsync(campaign.Id, reason, Marketer));

        await AssertStateWithoutAuditAsync(CampaignState.InProgress);
    }

    [Fact]
    public async Task ResumeAsync_ShouldThrowAndWriteNoAudit_WhenTheCampaignIsNotPaused()
    {
        var campaign = await SeedStartedAsync();

        await Assert.ThrowsAsync<DomainException>(() => Campaigns.ResumeAsync(campaign.Id, "Go", Marketer));

        await AssertStateWithoutAuditAsync(CampaignState.InProgress);
    }

    [Fact]
    public async Task PauseAsync_ShouldThrow_WhenTheCampaignDoesNotExist()
    {
        await Assert.ThrowsAsync<DomainException>(() => Campaigns.PauseAsync(404, "Stop", Marketer));
    }

    private async Task<List<Contact>> SeedContactsAsync(int count)
    {
        var contacts = Enumerable.Range(0, count).Select(i => Contact.Create($"reader{i}@example.com", Time.GetUtcNow())).ToList();
        await Database.SeedAsync([.. contacts]);
        return contacts;
    }

    private async Task<Audience> SeedMembersAsync(string name, params Contact[] members)
    {
        var audience = Audience.Create(name, Time.GetUtcNow());
        await Database.SeedAsync(audience);
        await Database.SeedAsync([.. members.Select(c => AudienceMember.Create(audience.Id, c.Id, Time.GetUtcNow()))]);
        return audience;
    }

    private async Task<(Audience Audience, List<Contact> Members)> SeedAudienceAsync(int members)
    {
        var audience = Audience.Create("Newsletter", Time.GetUtcNow());
        var contacts = Enumerable.Range(0, members).Select(i => Contact.Create($"member{i}@example.com", Time.GetUtcNow())).ToList();
        await Database.SeedAsync([audience, .. contacts]);
        await Database.SeedAsync([.. contacts.Select(c => AudienceMember.Create(audience.Id, c.Id, Time.GetUtcNow()))]);
        return (audience, contacts);
    }

    private Task<Campaign> SeedCampaignAsync(long? audienceId, bool schedule = false) =>
        SeedCampaignAsync(audienceId is { } id ? [id] : [], schedule);

    private async Task<Campaign> SeedCampaignAsync(long[] audienceIds, bool schedule = false)
    {
        var campaign = Campaign.Create("Spring", CampaignKind.Regular, "news@mail.example.org", "Spring is here", Time.GetUtcNow(), audienceIds);
        campaign.SetContent("News team", Html, "Hello\nhttps://example.org/spring");
        if (schedule)
        {
            campaign.Schedule(Time.GetUtcNow(), Time.GetUtcNow());
        }

        await Database.SeedAsync(campaign);
        return campaign;
    }

    private async Task<Campaign> SeedStartedAsync()
    {
        var campaign = await SeedCampaignAsync(audienceId: null);
        await Campaigns.StartAsync(campaign.Id);
        return campaign;
    }

    private async Task AssertOnlyTheSourceAsync()
    {
        await using var db = Database.CreateContext();
        Assert.Single(await db.Campaigns.ToListAsync());
        Assert.Empty(await db.Deliveries.ToListAsync());
        Assert.Empty(await db.Contacts.ToListAsync());
    }

    private async Task AssertStateWithoutAuditAsync(CampaignState state)
    {
        await using var db = Database.CreateContext();
        Assert.Equal(state, (await db.Campaigns.SingleAsync()).State);
        Assert.Empty(await db.AuditLogEntries.ToListAsync());
    }
}
