using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Queries;

public sealed class SuppressionQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = TestData.Now;
    private static readonly PageRequest FirstPage = new(0, 25);

    private SqliteDatabase _database = null!;
    private SuppressionQueries _queries = null!;
    private long _deliveryId;
    private long _bounceEventId;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _queries = new SuppressionQueries(_database.Factory);

        var contact = new ContactBuilder().WithEmail("ann.smith@example.com").Build();
        var campaign = new CampaignBuilder().Build();
        await _database.SeedAsync(contact, campaign);
        var delivery = new DeliveryBuilder(campaign.Id, contact.Id).Build();
        await _database.SeedAsync(delivery);
        var bounce = new BounceEventBuilder().ForDelivery(delivery.Id).WithRecipient("ann.smith@example.com").Build();
        await _database.SeedAsync(bounce);
        _deliveryId = delivery.Id;
        _bounceEventId = bounce.Id;

        var lifted = SuppressionEntry.Create("old@example.com", SuppressionReason.HardBounce, SuppressionSource.Rules, Day.AddDays(-30), SuppressionEntry.SystemActor);
        lifted.Lift(Day.AddDays(-20), "admin@example.org", "Mailbox works again", complaintConfirmed: false);
        await _database.SeedAsync(
            SuppressionEntry.Create("ann.smith@example.com", SuppressionReason.HardBounce, SuppressionSource.Rules, Day.AddDays(-1), SuppressionEntry.SystemActor, bounceEventId: bounce.Id),
            SuppressionEntry.Create("annabel@other.org", SuppressionReason.Complaint, SuppressionSource.Rules, Day.AddDays(-2), SuppressionEntry.SystemActor),
            SuppressionEntry.Create("bob@example.com", SuppressionReason.Manual, SuppressionSource.Admin, Day.AddDays(-3), "admin@example.org", "Asked by phone"),
            SuppressionEntry.Create("carl@notexample.com", SuppressionReason.Imported, SuppressionSource.Import, Day.AddDays(-10), "admin@example.org", "Old ESP list"),
            SuppressionEntry.Create("example.committee@club.org", SuppressionReason.Unsubscribe, SuppressionSource.Rules, Day.AddDays(-40), SuppressionEntry.SystemActor),
            lifted);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<IReadOnlyList<string>> EmailsAsync(SuppressionFilter filter, SuppressionSortField sort = SuppressionSortField.CreatedAt, bool descending = true) =>
        (await _queries.ListAsync(filter, sort, descending, FirstPage)).Items.Select(r => r.Email).ToList();

    [Fact]
    public async Task ListAsync_ShouldListTheEntriesInForceNewestFirst_WhenNothingIsFiltered()
    {
        var page = await _queries.ListAsync(SuppressionFilter.None, SuppressionSortField.CreatedAt, descending: true, FirstPage);

        Assert.Equal(5, page.TotalCount);
        Assert.Equal(
            ["ann.smith@example.com", "annabel@other.org", "bob@example.com", "carl@notexample.com", "example.committee@club.org"],
            page.Items.Select(r => r.Email));
    }

    [Fact]
    public async Task ListAsync_ShouldAddLiftedEntriesWithWhoAndWhy_WhenLiftedAreIncluded()
    {
        var page = await _queries.ListAsync(new SuppressionFilter(IncludeLifted: true), SuppressionSortField.CreatedAt, descending: true, FirstPage);

        Assert.Equal(6, page.TotalCount);
        var lifted = Assert.Single(page.Items, r => !r.IsActive);
        Assert.Equal(("old@example.com", "admin@example.org", "Mailbox works again"), (lifted.Email, lifted.LiftedBy, lifted.LiftReason));
    }

    [Theory]
    [InlineData("ann", new[] { "ann.smith@example.com", "annabel@other.org" })]
    [InlineData(" ANN.S ", new[] { "ann.smith@example.com" })]
    [InlineData("ann.smith@ex", new[] { "ann.smith@example.com" })]
    [InlineData("zed", new string[0])]
    public async Task ListAsync_ShouldMatchTheStartOfTheAddress_WhenTheSearchIsAPrefix(string search, string[] expected)
    {
        Assert.Equal(expected, await EmailsAsync(new SuppressionFilter(search), SuppressionSortField.Email, descending: false));
    }

    [Theory]
    [InlineData("@example.com")]
    [InlineData("@EXAMPLE.COM ")]
    public async Task ListAsync_ShouldMatchEveryAddressAtTheDomainOnly_WhenTheSearchStartsWithAt(string search)
    {
        // carl@notexample.com ends with "example.com" but is not at that domain.
        Assert.Equal(["ann.smith@example.com", "bob@example.com"], await EmailsAsync(new SuppressionFilter(search), SuppressionSortField.Email, descending: false));
    }

    [Fact]
    public async Task ListAsync_ShouldMatchTheDomainOrThePrefix_WhenTheSearchLooksLikeADomainWithoutAt()
    {
        Assert.Equal(
            ["ann.smith@example.com", "bob@example.com", "example.committee@club.org"],
            await EmailsAsync(new SuppressionFilter("example.com"), SuppressionSortField.Email, descending: false));
    }

    [Fact]
    public async Task ListAsync_ShouldTreatLikeWildcardsAsText_WhenTheDomainHoldsThem()
    {
        Assert.Empty(await EmailsAsync(new SuppressionFilter("@%.com")));
        Assert.Empty(await EmailsAsync(new SuppressionFilter("@exampl_.com")));
    }

    [Fact]
    public async Task ListAsync_ShouldFilterByReasonSourceAndDate_WhenGiven()
    {
        Assert.Equal(["annabel@other.org"], await EmailsAsync(new SuppressionFilter(Reason: SuppressionReason.Complaint)));
        Assert.Equal(["carl@notexample.com"], await EmailsAsync(new SuppressionFilter(Source: SuppressionSource.Import)));
        Assert.Equal(
            ["annabel@other.org", "bob@example.com"],
            await EmailsAsync(new SuppressionFilter(From: Day.AddDays(-3), To: Day.AddDays(-1))));
        Assert.Equal(["old@example.com"], await EmailsAsync(new SuppressionFilter("old", IncludeLifted: true)));
    }

    [Fact]
    public async Task ListAsync_ShouldShowTheBounceThatCausedIt_WhenTheEntryHasOne()
    {
        var page = await _queries.ListAsync(new SuppressionFilter("ann.smith"), SuppressionSortField.CreatedAt, descending: true, FirstPage);

        var row = Assert.Single(page.Items);
        var cause = Assert.IsType<SuppressionCause>(row.Cause);
        Assert.Equal(_bounceEventId, cause.BounceEventId);
        Assert.Equal(_deliveryId, cause.DeliveryId);
        Assert.Equal((BounceReason.UserUnknown, true, "5.1.1"), (cause.Reason, cause.Hard, cause.EnhancedStatus));
        Assert.Equal("smtp; 550 5.1.1 user unknown", cause.Diagnostic);
        Assert.Equal("rfc3464", cause.Rule);
        Assert.Equal(SuppressionEntry.SystemActor, row.CreatedBy);
    }

    [Fact]
    public async Task ListAsync_ShouldShowTheNoteAndWhoAddedIt_WhenAnAdminAddedIt()
    {
        var row = Assert.Single((await _queries.ListAsync(new SuppressionFilter("bob@"), SuppressionSortField.CreatedAt, true, FirstPage)).Items);

        Assert.Null(row.Cause);
        Assert.Equal(("admin@example.org", "Asked by phone", SuppressionSource.Admin), (row.CreatedBy, row.Note, row.Source));
    }

    [Fact]
    public async Task ListAsync_ShouldSortAndPageInTheDatabase_WhenAskedForALaterPage()
    {
        var page = await _queries.ListAsync(SuppressionFilter.None, SuppressionSortField.Email, descending: true, new PageRequest(1, 2));

        Assert.Equal(5, page.TotalCount);
        Assert.Equal(["bob@example.com", "annabel@other.org"], page.Items.Select(r => r.Email));
        Assert.Equal(
            ["annabel@other.org", "ann.smith@example.com", "carl@notexample.com", "bob@example.com", "example.committee@club.org"],
            await EmailsAsync(SuppressionFilter.None, SuppressionSortField.Reason, descending: false));
    }

    [Fact]
    public async Task SelectionAsync_ShouldCountTheEntriesInForceAndTheComplaints_WhateverTheLiftedSwitch()
    {
        Assert.Equal(new SuppressionSelection(5, 1), await _queries.SelectionAsync(new SuppressionFilter(IncludeLifted: true)));
        Assert.Equal(new SuppressionSelection(2, 0), await _queries.SelectionAsync(new SuppressionFilter("@example.com")));
        Assert.Equal(new SuppressionSelection(0, 0), await _queries.SelectionAsync(new SuppressionFilter("nobody")));
    }

    [Fact]
    public async Task StreamAsync_ShouldYieldEveryMatchingEntryNewestFirst_WhenDownloading()
    {
        var rows = new List<SuppressionRow>();
        await foreach (var row in _queries.StreamAsync(new SuppressionFilter(IncludeLifted: true)))
        {
            rows.Add(row);
        }

        Assert.Equal(6, rows.Count);
        Assert.Equal("ann.smith@example.com", rows[0].Email);
        Assert.NotNull(rows[0].Cause);
        Assert.Equal("example.committee@club.org", rows[^1].Email);
    }

    [Theory]
    [InlineData(null, SuppressionSearchKind.None, null)]
    [InlineData("  ", SuppressionSearchKind.None, null)]
    [InlineData("ann", SuppressionSearchKind.AddressPrefix, null)]
    [InlineData("ann@ex", SuppressionSearchKind.AddressPrefix, null)]
    [InlineData("@Example.com", SuppressionSearchKind.Domain, "example.com")]
    [InlineData("example.com", SuppressionSearchKind.PrefixOrDomain, "example.com")]
    public void SearchKind_ShouldReadTheSearch_AsAPrefixOrADomain(string? search, SuppressionSearchKind kind, string? domain)
    {
        var filter = new SuppressionFilter(search);

        Assert.Equal((kind, domain), (filter.SearchKind, filter.Domain));
    }
}
