using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>
/// AudienceStatistics kept by triggers, on a real SQLite database with the real migrations: after every kind of write
/// (EF inserts and updates, set-based UPDATE and DELETE, suppressions added, lifted and removed, contacts and
/// audiences deleted) it equals counting the members joined to their contacts and the suppressions in force.
/// </summary>
public sealed class AudienceStatisticsTriggersTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = TestData.Now;

    private SqliteDatabase _database = default!;
    private Audience _news = default!;
    private Audience _buyers = default!;
    private List<Contact> _contacts = default!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _news = Audience.Create("Newsletter", T0);
        _buyers = Audience.Create("Buyers", T0);
        _contacts = Enumerable.Range(0, 6).Select(i => Contact.Create($"c{i}@example.org", T0)).ToList();

        // An address suppressed before its contact joins any audience, and one whose entry is already lifted.
        var lifted = SuppressionEntry.Create("c5@example.org", SuppressionReason.Manual, SuppressionSource.Admin, T0, "admin");
        lifted.Lift(T0.AddHours(1), "admin", "came back", complaintConfirmed: false);
        await _database.SeedAsync(
            [_news, _buyers, .. _contacts, lifted,
             SuppressionEntry.Create("c0@example.org", SuppressionReason.Manual, SuppressionSource.Admin, T0, "admin")]);
        await using var db = _database.CreateContext();
        (await db.Contacts.SingleAsync(c => c.Id == _contacts[1].Id)).OptOut(T0);
        db.AudienceMembers.AddRange(_contacts.Select(c => AudienceMember.Create(_news.Id, c.Id, T0)));
        db.AudienceMembers.AddRange(_contacts.Take(3).Select(c => AudienceMember.Create(_buyers.Id, c.Id, T0)));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Insert_ShouldCountMembersByStatusAndSuppression_WhenMembersAreAddedThroughEf()
    {
        await AssertStatisticsMatchTheMembersAsync();
        var counts = await new AudienceQueries(_database.Factory).GetAsync(_news.Id);
        Assert.Equal(new AudienceCounts(Active: 5, Error: 0, OptedOut: 1, ConfirmedBounce: 0, Suppressed: 1), counts!.Counts);
    }

    [Fact]
    public async Task ContactUpdate_ShouldMoveTheMembershipsBetweenStatuses_WhenTheStatusChangesThroughTheDomain()
    {
        await using (var db = _database.CreateContext())
        {
            var contacts = await db.Contacts.OrderBy(c => c.Id).ToListAsync();
            contacts[0].MarkConfirmedBounce(T0.AddDays(1));
            contacts[2].MarkError(ContactErrorCause.BadAddress, T0.AddDays(1));
            contacts[1].Reactivate(T0.AddDays(1));
            await db.SaveChangesAsync();
        }

        await AssertStatisticsMatchTheMembersAsync();
        var counts = (await new AudienceQueries(_database.Factory).GetAsync(_buyers.Id))!.Counts;
        Assert.Equal(new AudienceCounts(Active: 1, Error: 1, OptedOut: 0, ConfirmedBounce: 1, Suppressed: 1), counts);
    }

    [Fact]
    public async Task ContactUpdate_ShouldMoveTheMemberships_WhenStatusOrAddressChangesThroughASetBasedUpdate()
    {
        await using (var db = _database.CreateContext())
        {
            await db.Contacts.Where(c => c.Email != "c3@example.org").ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, ContactStatus.OptedOut));

            // Onto an address whose suppression is in force, and off one.
            await db.Contacts.Where(c => c.Email == "c0@example.org").ExecuteUpdateAsync(u => u.SetProperty(c => c.Email, "c0-new@example.org"));
            await db.Contacts.Where(c => c.Email == "c4@example.org").ExecuteUpdateAsync(u => u.SetProperty(c => c.Email, "c0@example.org"));
        }

        await AssertStatisticsMatchTheMembersAsync();
    }

    [Fact]
    public async Task Suppression_ShouldMoveTheMembershipsInAndOut_WhenEntriesAreAddedLiftedReinstatedAndDeleted()
    {
        await using (var db = _database.CreateContext())
        {
            db.SuppressionEntries.Add(SuppressionEntry.Create("c1@example.org", SuppressionReason.Manual, SuppressionSource.Admin, T0, "admin"));
            db.SuppressionEntries.Add(SuppressionEntry.Create("c2@example.org", SuppressionReason.Manual, SuppressionSource.Admin, T0, "admin"));
            await db.SaveChangesAsync();
        }

        await AssertStatisticsMatchTheMembersAsync();
        await using (var db = _database.CreateContext())
        {
            var c0 = await db.SuppressionEntries.SingleAsync(s => s.Email == "c0@example.org");
            c0.Lift(T0.AddDays(1), "admin", "asked", complaintConfirmed: false);
            await db.SaveChangesAsync();
        }

        await AssertStatisticsMatchTheMembersAsync();
        await using (var db = _database.CreateContext())
        {
            // Set-based: lift one, reinstate a lifted one, delete one in force.
            await db.SuppressionEntries.Where(s => s.Email == "c1@example.org").ExecuteUpdateAsync(u => u.SetProperty(s => s.LiftedAt, T0.AddDays(2)));
            await db.SuppressionEntries.Where(s => s.Email == "c5@example.org").ExecuteUpdateAsync(u => u.SetProperty(s => s.LiftedAt, (DateTimeOffset?)null));
            await db.SuppressionEntries.Where(s => s.Email == "c2@example.org").ExecuteDeleteAsync();
        }

        await AssertStatisticsMatchTheMembersAsync();
        var counts = (await new AudienceQueries(_database.Factory).GetAsync(_news.Id))!.Counts;
        Assert.Equal(1, counts.Suppressed);
    }

    [Fact]
    public async Task Delete_ShouldUncountTheMembers_WhenMembersContactsOrAudiencesAreDeleted()
    {
        await using (var db = _database.CreateContext())
        {
            var member = await db.AudienceMembers.SingleAsync(m => m.AudienceId == _news.Id && m.ContactId == _contacts[3].Id);
            db.AudienceMembers.Remove(member);
            await db.SaveChangesAsync();
            await db.AudienceMembers.Where(m => m.ContactId == _contacts[4].Id).ExecuteDeleteAsync();
        }

        await AssertStatisticsMatchTheMembersAsync();
        await using (var db = _database.CreateContext())
        {
            // A contact on both audiences, suppressed: its memberships go by cascade.
            await db.Contacts.Where(c => c.Id == _contacts[0].Id).ExecuteDeleteAsync();
        }

        await AssertStatisticsMatchTheMembersAsync();
        await using (var db = _database.CreateContext())
        {
            await db.Audiences.Where(a => a.Id == _buyers.Id).ExecuteDeleteAsync();
            Assert.False(await db.AudienceStatistics.AnyAsync(s => s.AudienceId == _buyers.Id));
        }

        await AssertStatisticsMatchTheMembersAsync();
    }

    [Fact]
    public async Task Fill_ShouldCountWhatIsThere_WhenTheTableIsCountedAgain()
    {
        await using (var db = _database.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE \"AudienceStatistics\" SET \"Members\" = 99;");
            foreach (var sql in Web.Data.Statistics.AudienceStatisticsTriggers.SqliteRebuild())
            {
                await db.Database.ExecuteSqlRawAsync(sql);
            }
        }

        await AssertStatisticsMatchTheMembersAsync();
    }

    private async Task AssertStatisticsMatchTheMembersAsync()
    {
        await using var db = _database.CreateContext();
        var expected = await Count(db);
        var kept = (await db.AudienceStatistics.Where(s => s.Members != 0).ToListAsync())
            .Select(s => (s.AudienceId, s.Status, s.Suppressed, s.Members))
            .Order()
            .ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, kept);
    }

    /// <summary>The truth: members joined to their contacts, grouped by status and whether a suppression is in force.</summary>
    internal static async Task<List<(long AudienceId, ContactStatus Status, bool Suppressed, int Members)>> Count(BounceDbContext db)
    {
        var rows = await (
                from m in db.AudienceMembers
                join c in db.Contacts on m.ContactId equals c.Id
                select new { m.AudienceId, c.Status, Suppressed = db.SuppressionEntries.Any(s => s.Email == c.Email && s.LiftedAt == null) })
            .ToListAsync();
        return rows
            .GroupBy(r => (r.AudienceId, r.Status, r.Suppressed))
            .Select(g => (g.Key.AudienceId, g.Key.Status, g.Key.Suppressed, g.Count()))
            .Order()
            .ToList();
    }
}
