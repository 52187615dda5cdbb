using BounceDashboard.Domain.Audit;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Queries;

/// <summary>The audit log's read side on real SQLite with the real migrations.</summary>
public sealed class AuditLogQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private SqliteDatabase _database = default!;
    private AuditLogQueries _queries = default!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _queries = new AuditLogQueries(_database.Factory);
        await _database.SeedAsync(
            AuditLogEntry.Record(Start, "admin@example.org", AuditAction.ReactivateAddress, "jane@example.com", "Mailbox recreated", "Error -> Active"),
            AuditLogEntry.Record(Start.AddDays(1), "ops@example.org", AuditAction.SuppressAddress, "jane@example.com", "Asked by phone"),
            AuditLogEntry.Record(Start.AddDays(2), "admin@example.org", AuditAction.CreateUser, "new@example.org", null, "Role Marketer"),
            AuditLogEntry.Record(Start.AddDays(3), "system", AuditAction.PauseCampaign, "Campaign 7", "Hard bounce rate above 5 %"),
            AuditLogEntry.Record(Start.AddDays(4), "admin@example.org", AuditAction.DismissReviewItem, "BounceEvent 42", "Spam"),
            AuditLogEntry.Record(Start.AddDays(5), "ops@example.org", AuditAction.ReactivateAddress, "janet@example.com", "Typo fixed"));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task PageAsync_ShouldListNewestFirstWithTheTotal_WhenNothingIsFiltered()
    {
        var first = await _queries.PageAsync(AuditLogFilter.None, new PageRequest(0, 4));
        var second = await _queries.PageAsync(AuditLogFilter.None, new PageRequest(1, 4));

        Assert.Equal(6, first.TotalCount);
        Assert.Equal(["janet@example.com", "BounceEvent 42", "Campaign 7", "new@example.org"], first.Items.Select(r => r.Target));
        Assert.Equal(["jane@example.com", "jane@example.com"], second.Items.Select(r => r.Target));
        var oldest = second.Items[^1];
        Assert.Equal(
            (Start, "admin@example.org", AuditAction.ReactivateAddress, "Mailbox recreated", "Error -> Active"),
            (oldest.At, oldest.Actor, oldest.Action, oldest.Reason, oldest.Details));
    }

    [Fact]
    public async Task PageAsync_ShouldKeepOnlyTheActorsEntries_WhenFilteredByActor()
    {
        var page = await _queries.PageAsync(new AuditLogFilter(Actor: "ops@example.org"), new PageRequest(0, 25));

        Assert.Equal(2, page.TotalCount);
        Assert.All(page.Items, r => Assert.Equal("ops@example.org", r.Actor));
    }

    [Fact]
    public async Task PageAsync_ShouldKeepOnlyThatAction_WhenFilteredByAction()
    {
        var page = await _queries.PageAsync(new AuditLogFilter(Action: AuditAction.ReactivateAddress), new PageRequest(0, 25));

        Assert.Equal(["janet@example.com", "jane@example.com"], page.Items.Select(r => r.Target));
    }

    [Theory]
    [InlineData("jane@", new[] { "jane@example.com", "jane@example.com" })]
    [InlineData("jane", new[] { "janet@example.com", "jane@example.com", "jane@example.com" })]
    [InlineData("JANE@Example", new[] { "jane@example.com", "jane@example.com" })]
    [InlineData("BounceEvent", new[] { "BounceEvent 42" })]
    [InlineData("zz", new string[0])]
    public async Task PageAsync_ShouldMatchTheStartOfTheTarget_WhenFilteredByTargetPrefix(string prefix, string[] expected)
    {
        var page = await _queries.PageAsync(new AuditLogFilter(TargetPrefix: prefix), new PageRequest(0, 25));

        Assert.Equal(expected, page.Items.Select(r => r.Target));
        Assert.Equal(expected.Length, page.TotalCount);
    }

    [Fact]
    public async Task PageAsync_ShouldIncludeFromAndExcludeTo_WhenFilteredByPeriod()
    {
        var filter = new AuditLogFilter(From: Start.AddDays(1), To: Start.AddDays(3));

        var page = await _queries.PageAsync(filter, new PageRequest(0, 25));

        Assert.Equal([AuditAction.CreateUser, AuditAction.SuppressAddress], page.Items.Select(r => r.Action));
    }

    [Fact]
    public async Task PageAsync_ShouldCombineFilters_WhenSeveralAreGiven()
    {
        var filter = new AuditLogFilter("admin@example.org", AuditAction.ReactivateAddress, "jane", Start, Start.AddDays(10));

        var page = await _queries.PageAsync(filter, new PageRequest(0, 25));

        Assert.Equal("Mailbox recreated", Assert.Single(page.Items).Reason);
    }

    [Fact]
    public async Task ActorsAsync_ShouldListEveryActorOnceInOrder_WhenTheyActedSeveralTimes()
    {
        Assert.Equal(["admin@example.org", "ops@example.org", "system"], await _queries.ActorsAsync());
    }

    [Fact]
    public async Task StreamAsync_ShouldYieldEveryMatchingEntryNewestFirst_WhenFiltered()
    {
        var rows = new List<AuditLogRow>();
        await foreach (var row in _queries.StreamAsync(new AuditLogFilter(Actor: "admin@example.org")))
        {
            rows.Add(row);
        }

        Assert.Equal([AuditAction.DismissReviewItem, AuditAction.CreateUser, AuditAction.ReactivateAddress], rows.Select(r => r.Action));
    }
}
