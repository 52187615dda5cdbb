using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Queries;

/// <summary>The audiences' read side over a real SQLite database with the app's migrations.</summary>
public sealed class AudienceQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private SqliteDatabase _database = default!;
    private Audience _spring = default!;
    private Audience _autumn = default!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _spring = Audience.Create("Spring list", Start, "Spring news");
        _autumn = Audience.Create("Autumn list", Start.AddDays(1));
        await _database.SeedAsync(_spring, _autumn);

        // Spring: two Active (one suppressed), one Error, one Opted out, one Confirmed bounce. Autumn: one of them.
        var ada = Contact.Create("ada@example.com", Start, "Ada");
        var grace = Contact.Create("grace@example.org", Start, "Grace");
        var error = Contact.Create("error@example.net", Start);
        error.MarkError(ContactErrorCause.BadAddress, Start.AddHours(1));
        var optedOut = Contact.Create("optout@example.com", Start);
        optedOut.OptOut(Start.AddHours(1));
        var confirmed = Contact.Create("confirmed@example.com", Start);
        confirmed.MarkConfirmedBounce(Start.AddHours(1));
        var outsider = Contact.Create("outsider@example.com", Start);
        await _database.SeedAsync(ada, grace, error, optedOut, confirmed, outsider);
        await _database.SeedAsync(
            AudienceMember.Create(_spring.Id, ada.Id, Start.AddMinutes(1)),
            AudienceMember.Create(_spring.Id, grace.Id, Start.AddMinutes(2)),
            AudienceMember.Create(_spring.Id, error.Id, Start.AddMinutes(3)),
            AudienceMember.Create(_spring.Id, optedOut.Id, Start.AddMinutes(4)),
            AudienceMember.Create(_spring.Id, confirmed.Id, Start.AddMinutes(5)),
            AudienceMember.Create(_autumn.Id, ada.Id, Start.AddMinutes(6)),
            SuppressionEntry.Create("grace@example.org", SuppressionReason.Manual, SuppressionSource.Admin, Start, "admin@example.org", "asked"),
            SuppressionEntry.Create("outsider@example.com", SuppressionReason.Manual, SuppressionSource.Admin, Start, "admin@example.org", "asked"));
        // A lifted suppression no longer counts.
        var lifted = SuppressionEntry.Create("ada@example.com", SuppressionReason.HardBounce, SuppressionSource.Rules, Start, SuppressionEntry.SystemActor);
        lifted.Lift(Start.AddHours(2), "admin@example.org", "fixed", complaintConfirmed: false);
        await _database.SeedAsync(lifted);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private AudienceQueries CreateQueries() => new(_database.Factory);

    [Fact]
    public async Task ListAsync_ShouldCountMembersByStatusAndSuppression_WhenAudiencesHaveMembers()
    {
        var result = await CreateQueries().ListAsync(new PageRequest(0, 25));

        Assert.Equal(2, result.TotalCount);
        Assert.Equal(["Autumn list", "Spring list"], result.Items.Select(a => a.Name));
        var spring = result.Items[1];
        Assert.Equal(new AudienceCounts(Active: 2, Error: 1, OptedOut: 1, ConfirmedBounce: 1, Suppressed: 1), spring.Counts);
        Assert.Equal(5, spring.Counts.Members);
        Assert.Equal("Spring news", spring.Description);
        Assert.Equal(new AudienceCounts(1, 0, 0, 0, 0), result.Items[0].Counts);
    }

    [Fact]
    public async Task ListAsync_ShouldGiveAnEmptyPage_WhenThereAreNoAudiences()
    {
        await using var empty = await SqliteDatabase.CreateAsync();

        var result = await new AudienceQueries(empty.Factory).ListAsync(new PageRequest(0, 25));

        Assert.Equal(0, result.TotalCount);
        Assert.Empty(result.Items);
    }

    [Fact]
    public async Task GetAsync_ShouldGiveNull_WhenThereIsNoSuchAudience()
    {
        Assert.Null(await CreateQueries().GetAsync(4242));
        Assert.Equal(5, (await CreateQueries().GetAsync(_spring.Id))!.Counts.Members);
    }

    [Fact]
    public async Task MembersAsync_ShouldPageNewestFirstWithStatusAndSuppression_WhenNoFilterIsSet()
    {
        var first = await CreateQueries().MembersAsync(_spring.Id, new AudienceMemberFilter(), new PageRequest(0, 2));
        var second = await CreateQueries().MembersAsync(_spring.Id, new AudienceMemberFilter(), new PageRequest(1, 2));

        Assert.Equal(5, first.TotalCount);
        Assert.Equal(["confirmed@example.com", "optout@example.com"], first.Items.Select(m => m.Email));
        Assert.Equal(["error@example.net", "grace@example.org"], second.Items.Select(m => m.Email));
        var grace = second.Items[1];
        Assert.Equal((ContactStatus.Active, true, "Grace"), (grace.Status, grace.Suppressed, grace.DisplayName));
        Assert.False(second.Items[0].Suppressed);
    }

    [Fact]
    public async Task MembersAsync_ShouldFilterByAddressAndStatus_WhenBothAreSet()
    {
        var queries = CreateQueries();

        var byAddress = await queries.MembersAsync(_spring.Id, new AudienceMemberFilter(" EXAMPLE.COM "), new PageRequest(0, 25));
        var byStatus = await queries.MembersAsync(_spring.Id, new AudienceMemberFilter(null, ContactStatus.Active), new PageRequest(0, 25));
        var both = await queries.MembersAsync(_spring.Id, new AudienceMemberFilter("example.com", ContactStatus.Active), new PageRequest(0, 25));

        Assert.Equal(["confirmed@example.com", "optout@example.com", "ada@example.com"], byAddress.Items.Select(m => m.Email));
        Assert.Equal(["grace@example.org", "ada@example.com"], byStatus.Items.Select(m => m.Email));
        Assert.Equal((3, 2), (byAddress.TotalCount, byStatus.TotalCount));
        Assert.Equal("ada@example.com", Assert.Single(both.Items).Email);
        Assert.Equal(1, both.TotalCount);
    }

    [Fact]
    public async Task Migrations_ShouldCreateTheAddedAtIndex_SoTheNewestMembersAreReadWithoutSortingTheAudience()
    {
        await using var command = _database.Connection.CreateCommand();
        command.CommandText =
            "EXPLAIN QUERY PLAN SELECT c.Email FROM AudienceMembers AS m JOIN Contacts AS c ON c.Id = m.ContactId " +
            $"WHERE m.AudienceId = {_spring.Id} ORDER BY m.AddedAt DESC, m.ContactId LIMIT 25 OFFSET 50";
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        Assert.Contains(plan, step => step.Contains("IX_AudienceMembers_AudienceId_AddedAt_ContactId", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StreamMembersAsync_ShouldGiveEveryMemberOnce_InContactOrder()
    {
        var rows = new List<AudienceMemberRow>();
        await foreach (var row in CreateQueries().StreamMembersAsync(_spring.Id))
        {
            rows.Add(row);
        }

        Assert.Equal(5, rows.Count);
        Assert.Equal(rows.OrderBy(r => r.ContactId).Select(r => r.ContactId), rows.Select(r => r.ContactId));
        Assert.DoesNotContain(rows, r => r.Email == "outsider@example.com");
    }

    [Fact]
    public async Task CampaignsAsync_ShouldListTheCampaignsToTheAudienceNewestFirst_WhenSomeGoToSeveralAudiences()
    {
        var news = Campaign.Create("Spring news", CampaignKind.Regular, "news@mail.example.org", "News", Start, [_spring.Id]);
        news.SetContent(null, "<p>Hi</p>", null);
        news.StartSending(Start.AddDays(2));
        var both = Campaign.Create("Both lists", CampaignKind.Regular, "news@mail.example.org", "Both", Start.AddDays(3), [_autumn.Id, _spring.Id]);
        var other = Campaign.Create("Autumn only", CampaignKind.Regular, "news@mail.example.org", "Autumn", Start, [_autumn.Id]);
        await _database.SeedAsync(news, both, other);

        var page = await new AudienceQueries(_database.Factory).CampaignsAsync(_spring.Id, new PageRequest(0, 10));

        Assert.Equal(2, page.TotalCount);
        Assert.Equal(
            [
                new AudienceCampaignRow(both.Id, "Both lists", CampaignKind.Regular, CampaignState.Draft, Start.AddDays(3), 2),
                new AudienceCampaignRow(news.Id, "Spring news", CampaignKind.Regular, CampaignState.InProgress, Start.AddDays(2), 1),
            ],
            page.Items);
    }

    [Fact]
    public async Task CampaignsAsync_ShouldBeEmpty_WhenNoCampaignUsesTheAudience()
    {
        var page = await new AudienceQueries(_database.Factory).CampaignsAsync(_spring.Id, new PageRequest(0, 10));

        Assert.Equal((0, 0), (page.TotalCount, page.Items.Count));
    }
}
