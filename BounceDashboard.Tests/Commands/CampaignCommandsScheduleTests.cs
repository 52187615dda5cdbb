using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BounceDashboard.Tests.Commands;

/// <summary>
/// <see cref="CampaignCommands.StartDueAsync"/> (what the recurring dispatch job starts) and
/// <see cref="CampaignCommands.CreateAsync"/> (what <c>send --from ... --to ...</c> creates), on a real SQLite database
/// with the real migrations and a fake clock.
/// </summary>
public sealed class CampaignCommandsScheduleTests : CommandScenario
{
    private static readonly CampaignContent Content = new(
        "news@mail.example.org",
        "News",
        "Spring news",
        "<p>Hello <a href=\"https://example.org/spring\">spring</a></p>",
        "Hello");

    private CampaignCommands? _campaigns;

    private CampaignCommands Campaigns => _campaigns ??= new CampaignCommands(Runner, Time, Logs.CreateLogger<CampaignCommands>());

    /// <summary>A campaign to a new one-member audience, scheduled <paramref name="after"/> from now; without a body when <paramref name="withBody"/> is false.</summary>
    private async Task<Campaign> SeedScheduledAsync(string name, TimeSpan after, bool withBody = true)
    {
        var audience = Audience.Create($"Audience of {name}", Time.GetUtcNow());
        var contact = Contact.Create($"{name.ToLowerInvariant()}@example.com", Time.GetUtcNow());
        await Database.SeedAsync(audience, contact);
        await Database.SeedAsync(AudienceMember.Create(audience.Id, contact.Id, Time.GetUtcNow()));
        var campaign = Campaign.Create(name, CampaignKind.Regular, "news@mail.example.org", "News", Time.GetUtcNow(), [audience.Id]);
        if (withBody)
        {
            campaign.SetContent("News", "<p>Hello <a href=\"https://example.org/a\">a</a></p>", "Hello");
        }

        campaign.Schedule(Time.GetUtcNow() + after, Time.GetUtcNow());
        await Database.SeedAsync(campaign);
        return campaign;
    }

    private async Task<Dictionary<long, CampaignState>> StatesAsync()
    {
        await using var db = Database.CreateContext();
        return await db.Campaigns.ToDictionaryAsync(c => c.Id, c => c.State);
    }

    [Fact]
    public async Task StartDueAsync_ShouldStartOnlyCampaignsWhoseTimeHasCome_WhenTheClockPassesTheirSchedule()
    {
        var first = await SeedScheduledAsync("First", TimeSpan.FromMinutes(30));
        var second = await SeedScheduledAsync("Second", TimeSpan.FromMinutes(90));
        var future = await SeedScheduledAsync("Future", TimeSpan.FromDays(1));
        var draft = Campaign.Create("Draft", CampaignKind.Regular, "news@mail.example.org", "News", Time.GetUtcNow());
        draft.SetContent(null, null, "Hello");
        await Database.SeedAsync(draft);
        Time.Advance(TimeSpan.FromHours(2));

        var started = await Campaigns.StartDueAsync();

        Assert.Equal([first.Id, second.Id], started);
        var states = await StatesAsync();
        Assert.Equal(
            (CampaignState.InProgress, CampaignState.InProgress, CampaignState.Scheduled, CampaignState.Draft),
            (states[first.Id], states[second.Id], states[future.Id], states[draft.Id]));
        await using var db = Database.CreateContext();
        Assert.Equal(
            new[] { first.Id, second.Id },
            await db.Deliveries.OrderBy(d => d.CampaignId).Select(d => d.CampaignId).ToListAsync());
        Assert.All(await db.Campaigns.Where(c => c.State == CampaignState.InProgress).ToListAsync(), c =>
            Assert.Equal((Time.GetUtcNow(), Time.GetUtcNow()), (c.StartedAt, c.DeliveriesQueuedAt)));
    }

    [Fact]
    public async Task StartDueAsync_ShouldStartNothing_WhenNoScheduleHasCome()
    {
        var soon = await SeedScheduledAsync("Soon", TimeSpan.FromMinutes(10));
        Time.Advance(TimeSpan.FromMinutes(9));

        var started = await Campaigns.StartDueAsync();

        Assert.Empty(started);
        Assert.Equal(CampaignState.Scheduled, (await StatesAsync())[soon.Id]);
    }

    [Fact]
    public async Task StartDueAsync_ShouldLogAndSkipACampaignThatCannotStart_WhenOthersAreDueToo()
    {
        var empty = await SeedScheduledAsync("Empty", TimeSpan.FromMinutes(5), withBody: false);
        var good = await SeedScheduledAsync("Good", TimeSpan.FromMinutes(10));
        Time.Advance(TimeSpan.FromHours(1));

        var started = await Campaigns.StartDueAsync();

        Assert.Equal([good.Id], started);
        var states = await StatesAsync();
        Assert.Equal((CampaignState.Scheduled, CampaignState.InProgress), (states[empty.Id], states[good.Id]));
        var error = Assert.Single(Logs.Logs, l => l.Level == LogLevel.Error && l.Category == typeof(CampaignCommands).FullName);
        Assert.Contains($"Scheduled campaign {empty.Id} could not start", error.Message, StringComparison.Ordinal);
        await using var db = Database.CreateContext();
        Assert.Empty(await db.Deliveries.Where(d => d.CampaignId == empty.Id).ToListAsync());
    }

    [Fact]
    public async Task StartDueAsync_ShouldStartNothingMore_WhenRunTwice()
    {
        var due = await SeedScheduledAsync("Due", TimeSpan.FromMinutes(5));
        Time.Advance(TimeSpan.FromMinutes(6));
        var first = await Campaigns.StartDueAsync();
        Time.Advance(TimeSpan.FromMinutes(1));

        var second = await Campaigns.StartDueAsync();

        Assert.Equal([due.Id], first);
        Assert.Empty(second);
        await using var db = Database.CreateContext();
        Assert.Equal(1, await db.Deliveries.CountAsync());
        Assert.Equal(Time.GetUtcNow().AddMinutes(-1), (await db.Campaigns.SingleAsync()).StartedAt);
    }

    [Fact]
    public async Task CreateAsync_ShouldThrowAndWriteNothing_WhenOneAddressIsMalformed()
    {
        await Assert.ThrowsAsync<DomainException>(() =>
            Campaigns.CreateAsync("Spring", Content, ["ann@example.com", "not an address", "bob@example.com"]));

        await using var db = Database.CreateContext();
        Assert.Empty(await db.Campaigns.ToListAsync());
        Assert.Empty(await db.Audiences.ToListAsync());
        Assert.Empty(await db.AudienceMembers.ToListAsync());
        Assert.Empty(await db.Contacts.ToListAsync());
    }

    [Fact]
    public async Task CreateAsync_ShouldThrowAndWriteNothing_WhenNoAddressIsGiven()
    {
        await Assert.ThrowsAsync<DomainException>(() => Campaigns.CreateAsync("Spring", Content, []));

        await using var db = Database.CreateContext();
        Assert.Empty(await db.Campaigns.ToListAsync());
        Assert.Empty(await db.Audiences.ToListAsync());
    }

    [Fact]
    public async Task CreateAsync_ShouldCollapseDuplicatesAndReuseKnownContacts_WhenAddressesRepeatOrExist()
    {
        var known = await SeedContactAsync("known@example.com");
        await using (var db = Database.CreateContext())
        {
            var stored = await db.Contacts.SingleAsync(c => c.Id == known.Id);
            stored.MarkConfirmedBounce(Time.GetUtcNow());
            await db.SaveChangesAsync();
        }

        Time.Advance(TimeSpan.FromMinutes(1));

        var id = await Campaigns.CreateAsync("Spring", Content, ["Ann@Example.com", " ann@example.com ", "KNOWN@example.com", "bob@example.com", "bob@example.com"]);

        await using var check = Database.CreateContext();
        var campaign = await check.Campaigns.SingleAsync();
        Assert.Equal(
            (id, CampaignState.Draft, CampaignKind.Regular, "Spring", "Spring news", "News"),
            (campaign.Id, campaign.State, campaign.Kind, campaign.Name, campaign.Subject, campaign.FromName));
        Assert.Equal((Content.HtmlBody, Content.TextBody), (campaign.HtmlBody, campaign.TextBody));
        var audience = await check.Audiences.SingleAsync();
        Assert.Equal([audience.Id], campaign.AudienceIds);
        var members = await check.AudienceMembers.Where(m => m.AudienceId == audience.Id)
            .Join(check.Contacts, m => m.ContactId, c => c.Id, (m, c) => c.Email)
            .OrderBy(e => e)
            .ToListAsync();
        Assert.Equal(["ann@example.com", "bob@example.com", "known@example.com"], members);
        var contacts = await check.Contacts.OrderBy(c => c.Email).ToListAsync();
        Assert.Equal(3, contacts.Count);
        var reused = Assert.Single(contacts, c => c.Email == "known@example.com");
        Assert.Equal((known.Id, ContactStatus.ConfirmedBounce), (reused.Id, reused.Status));
        Assert.All(contacts.Where(c => c.Id != known.Id), c => Assert.Equal(ContactStatus.Active, c.Status));
    }

    [Fact]
    public async Task StartDueAsync_ShouldStart_WhenTheScheduledTimeIsExactlyNow()
    {
        var due = await SeedScheduledAsync("OnTheDot", TimeSpan.FromMinutes(10));
        Time.Advance(TimeSpan.FromMinutes(10));

        var started = await Campaigns.StartDueAsync();

        Assert.Equal([due.Id], started);
    }

    [Fact]
    public async Task CreateAsync_ShouldThrowAndWriteNothing_WhenALinkCannotBeTracked()
    {
        var content = Content with { HtmlBody = "<p><a href=\"https://user:secret@example.org/\">bad</a></p>" };

        await Assert.ThrowsAsync<DomainException>(() => Campaigns.CreateAsync("Spring", content, ["ann@example.com"]));

        await using var db = Database.CreateContext();
        Assert.Empty(await db.Campaigns.ToListAsync());
        Assert.Empty(await db.Audiences.ToListAsync());
        Assert.Empty(await db.Contacts.ToListAsync());
    }

    [Fact]
    public async Task CreateAsync_ShouldReuseKnownContactsInEveryBatch_WhenTheListIsLongerThanOneBatch()
    {
        var count = CampaignCommands.DeliveryBatchSize + 5;
        var addresses = Enumerable.Range(0, count).Select(i => $"reader{i}@example.com").ToList();
        var lateKnown = await SeedContactAsync(addresses[^1]);

        await Campaigns.CreateAsync("Big", Content, addresses);

        await using var db = Database.CreateContext();
        Assert.Equal(count, await db.Contacts.CountAsync());
        Assert.Equal(count, await db.AudienceMembers.CountAsync());
        Assert.True(await db.AudienceMembers.AnyAsync(m => m.ContactId == lateKnown.Id));
    }
}
