using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Queries;

/// <summary><see cref="CampaignEditorQueries"/> on a real SQLite database with the real migrations.</summary>
public sealed class CampaignEditorQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = TestData.Now;

    private SqliteDatabase _database = null!;

    private CampaignEditorQueries Queries => new(_database.Factory);

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task GetAsync_ShouldReturnEveryEditedField_WhenTheCampaignExists()
    {
        var audience = Audience.Create("Newsletter", s_now);
        await _database.SeedAsync(audience);
        var campaign = Campaign.Create("Spring", CampaignKind.Regular, "news@mail.example.org", "Spring is here", s_now, [audience.Id]);
        campaign.SetContent("News team", "<p>Hi</p>", "Hi");
        campaign.Schedule(s_now.AddDays(1), s_now);
        await _database.SeedAsync(campaign);

        var view = await Queries.GetAsync(campaign.Id);

        Assert.NotNull(view);
        Assert.Equal([audience.Id], view.AudienceIds);
        IReadOnlyList<long> none = [];
        Assert.Equal(
            new CampaignDraftView(campaign.Id, "Spring", CampaignKind.Regular, CampaignState.Scheduled, "news@mail.example.org", "News team",
                "Spring is here", "<p>Hi</p>", "Hi", none, s_now.AddDays(1)),
            view with { AudienceIds = none });
        Assert.Null(await Queries.GetAsync(campaign.Id + 1));
    }

    [Fact]
    public async Task ListAudiencesAsync_ShouldListAudiencesByNameWithMemberCounts_WhenSomeHaveMembers()
    {
        var (big, _) = await SeedAudienceAsync("Newsletter", 3);
        var (empty, _) = await SeedAudienceAsync("Attendees", 0);

        var options = await Queries.ListAudiencesAsync();

        Assert.Equal([new AudienceOption(empty.Id, "Attendees", 0), new AudienceOption(big.Id, "Newsletter", 3)], options);
    }

    [Fact]
    public async Task ListAudiencesAsync_ShouldBeEmpty_WhenThereAreNoAudiences() =>
        Assert.Empty(await Queries.ListAudiencesAsync());

    [Fact]
    public async Task GetReachAsync_ShouldCountOnlyActiveUnsuppressedMembers_WhenSomeCannotBeMailed()
    {
        var (audience, members) = await SeedAudienceAsync("Newsletter", 5);
        await using (var db = _database.CreateContext())
        {
            (await db.Contacts.SingleAsync(c => c.Id == members[0].Id)).OptOut(s_now);
            db.SuppressionEntries.Add(SuppressionEntry.Create(members[1].Email, SuppressionReason.Manual, SuppressionSource.Admin, s_now, "admin"));
            var lifted = SuppressionEntry.Create(members[2].Email, SuppressionReason.Manual, SuppressionSource.Admin, s_now, "admin");
            lifted.Lift(s_now.AddHours(1), "admin", "asked to come back", complaintConfirmed: false);
            db.SuppressionEntries.Add(lifted);
            await db.SaveChangesAsync();
        }

        var outsider = Contact.Create("outsider@example.com", s_now);
        await _database.SeedAsync(outsider);

        var reach = await Queries.GetReachAsync([audience.Id]);

        Assert.NotNull(reach);
        Assert.Equal((5, 3), (reach.Members, reach.Sendable));
        Assert.Equal([new AudienceOption(audience.Id, "Newsletter", 5)], reach.Audiences);
        Assert.Null(await Queries.GetReachAsync([audience.Id, audience.Id + 100]));
    }

    [Fact]
    public async Task GetReachAsync_ShouldCountAContactOnSeveralAudiencesOnce_WhenTheAudiencesOverlap()
    {
        var (readers, members) = await SeedAudienceAsync("Readers", 3);
        var (buyers, others) = await SeedAudienceAsync("Buyers", 2);
        await _database.SeedAsync([.. members.Take(2).Select(c => AudienceMember.Create(buyers.Id, c.Id, s_now))]);
        await using (var db = _database.CreateContext())
        {
            (await db.Contacts.SingleAsync(c => c.Id == others[0].Id)).OptOut(s_now);
            await db.SaveChangesAsync();
        }

        var reach = await Queries.GetReachAsync([readers.Id, buyers.Id]);

        Assert.NotNull(reach);
        Assert.Equal((5, 4), (reach.Members, reach.Sendable));
        Assert.Equal([new AudienceOption(buyers.Id, "Buyers", 4), new AudienceOption(readers.Id, "Readers", 3)], reach.Audiences);
        Assert.Equal("Buyers, Readers", reach.Names);
    }

    [Fact]
    public async Task GetReachAsync_ShouldEqualTheDistinctSendableContacts_WhenThreeAudiencesOverlapInEveryWay()
    {
        // 12 contacts; every third opted out, every fourth suppressed; audiences chosen so that contacts are on one,
        // two or all three of them, and a small audience lies wholly inside a larger one.
        var (a, contacts) = await SeedAudienceAsync("Alpha", 12);
        var (b, _) = await SeedAudienceAsync("Beta", 0);
        var (c, _) = await SeedAudienceAsync("Gamma", 2);
        await _database.SeedAsync([
            .. contacts.Where((_, i) => i % 2 == 0).Select(x => AudienceMember.Create(b.Id, x.Id, s_now)),
            .. contacts.Where((_, i) => i % 3 == 0).Select(x => AudienceMember.Create(c.Id, x.Id, s_now))]);
        await using (var db = _database.CreateContext())
        {
            foreach (var contact in await db.Contacts.Where(x => x.Email.StartsWith("alpha")).ToListAsync())
            {
                var i = contacts.FindIndex(x => x.Id == contact.Id);
                if (i % 3 == 1)
                {
                    contact.OptOut(s_now);
                }

                if (i % 4 == 0)
                {
                    db.SuppressionEntries.Add(SuppressionEntry.Create(contact.Email, SuppressionReason.Manual, SuppressionSource.Admin, s_now, "admin"));
                }
            }

            await db.SaveChangesAsync();
        }

        foreach (long[] chosen in new[] { new[] { a.Id, b.Id, c.Id }, [b.Id, c.Id], [c.Id, b.Id], [b.Id], [c.Id] })
        {
            var reach = await Queries.GetReachAsync(chosen);

            await using var db = _database.CreateContext();
            var distinct = db.AudienceMembers.Where(m => chosen.Contains(m.AudienceId)).Select(m => m.ContactId).Distinct();
            var expectedMembers = await distinct.CountAsync();
            var expectedSendable = await db.Contacts
                .Where(x => distinct.Contains(x.Id) && x.Status == ContactStatus.Active
                    && !db.SuppressionEntries.Any(s => s.Email == x.Email && s.LiftedAt == null))
                .CountAsync();
            Assert.NotNull(reach);
            Assert.Equal((expectedMembers, expectedSendable), (reach.Members, reach.Sendable));
        }
    }

    [Fact]
    public async Task GetReachAsync_ShouldReachNobody_WhenNoAudienceIsChosen()
    {
        Assert.Equal(CampaignReach.None, await Queries.GetReachAsync([]));
    }

    [Fact]
    public async Task GetAsync_ShouldListEveryAudience_WhenTheDraftGoesToSeveral()
    {
        var (readers, _) = await SeedAudienceAsync("Readers", 0);
        var (buyers, _) = await SeedAudienceAsync("Buyers", 0);
        var campaign = Campaign.Create("Spring", CampaignKind.Regular, "news@mail.example.org", "Spring is here", s_now, [buyers.Id, readers.Id]);
        await _database.SeedAsync(campaign);

        var view = await Queries.GetAsync(campaign.Id);

        Assert.Equal([readers.Id, buyers.Id], view!.AudienceIds);
    }

    private async Task<(Audience Audience, List<Contact> Members)> SeedAudienceAsync(string name, int members)
    {
        var audience = Audience.Create(name, s_now);
        var contacts = Enumerable.Range(0, members).Select(i => Contact.Create($"{name.ToLowerInvariant()}{i}@example.com", s_now)).ToList();
        await _database.SeedAsync([audience, .. contacts]);
        if (members > 0)
        {
            await _database.SeedAsync([.. contacts.Select(c => AudienceMember.Create(audience.Id, c.Id, s_now))]);
        }

        return (audience, contacts);
    }
}
