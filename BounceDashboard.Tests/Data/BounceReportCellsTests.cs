using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.Queries;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Reports;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>The bounce report's summary table: kept by the interceptor, rebuilt in SQL, filled once after the upgrade.</summary>
public sealed class BounceReportCellsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day0 = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);

    private SqliteDatabase _database = default!;
    private BounceReportScenario _scenario = default!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _scenario = await new BounceReportScenario(_database).WithCampaignsAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<List<(int Day, long CampaignId, string SendingDomain, string SendingIp, long PatternHash, bool Hard, BounceReason Reason, int Amount)>> CellsAsync()
    {
        await using var db = _database.CreateContext();
        return (await db.BounceReportCells.AsNoTracking().Where(c => c.Amount != 0).ToListAsync())
            .Select(c => (c.Day, c.CampaignId, c.SendingDomain, c.SendingIp, c.PatternHash, c.Hard, c.Reason, c.Amount))
            .OrderBy(c => c.Day).ThenBy(c => c.CampaignId).ThenBy(c => c.PatternHash).ThenBy(c => c.Reason)
            .ToList();
    }

    private async Task AddMixAsync()
    {
        var spring = await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10");
        var winter = await _scenario.DeliveryAsync(_scenario.Winter, "192.0.2.11");
        await _scenario.BounceAsync(spring, Day0.AddHours(1), "550 5.1.1 <a@x.com>: User unknown");
        await _scenario.BounceAsync(spring, Day0.AddHours(2), "550 5.1.1 <b@x.com>: User unknown");
        await _scenario.BounceAsync(winter, Day0.AddHours(3), "550 5.1.1 <c@x.com>: User unknown");
        await _scenario.BounceAsync(winter, Day0.AddDays(1), "452 4.2.2 Mailbox full", BounceReason.MailboxFull);
        await _scenario.BounceAsync(null, Day0.AddDays(1), "550 5.1.1 <d@x.com>: User unknown");
        await _scenario.BounceAsync(spring, Day0.AddHours(5), "Out of office", BounceReason.Vacation, kind: MessageKind.AutoReply);
    }

    [Fact]
    public async Task SaveChanges_ShouldCountEachBounceInItsDaysCell_WhenBouncesAreAdded()
    {
        await AddMixAsync();

        var cells = await CellsAsync();

        Assert.Equal(4, cells.Count);
        Assert.Equal(5, cells.Sum(c => c.Amount));
        var spring = Assert.Single(cells, c => c.CampaignId == _scenario.Spring.Id);
        Assert.Equal((BounceReportCell.DayOf(Day0), "mail.spring.example", "192.0.2.10", 2), (spring.Day, spring.SendingDomain, spring.SendingIp, spring.Amount));
        var unmatched = Assert.Single(cells, c => c.CampaignId == 0);
        Assert.Equal((BounceReportCell.None, BounceReportCell.None), (unmatched.SendingDomain, unmatched.SendingIp));
    }

    [Fact]
    public async Task SaveChanges_ShouldMoveTheCount_WhenReclassifyChangesTheReading()
    {
        var delivery = await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10");
        var bounce = await _scenario.BounceAsync(delivery, Day0.AddHours(1), "550 5.7.1 Message rejected", BounceReason.Undefined);
        await using (var db = _database.CreateContext())
        {
            var stored = await db.BounceEvents.SingleAsync(e => e.Id == bounce.Id);
            var reading = new BounceRecipient(
                stored.Recipient, DeliveryAction.Failed, EnhancedStatusCode.Parse("5.7.1"), "550", "Message rejected as spam",
                null, BounceReason.SpamDetected, Permanent: true, Hard: false, "reclassified");
            Assert.True(stored.UpdateReading(MessageKind.Bounce, reading));
            await db.SaveChangesAsync();
        }

        var cell = Assert.Single(await CellsAsync());

        Assert.Equal((BounceReason.SpamDetected, 1, DiagnosticPattern.Hash("550 5.7.1 Message rejected as spam")), (cell.Reason, cell.Amount, cell.PatternHash));
    }

    [Fact]
    public async Task SaveChanges_ShouldNotCount_WhenTheCallersTransactionRollsBack()
    {
        var delivery = await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10");
        await using (var db = _database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.BounceEvents.Add(BounceEvent.Create(
                BounceSource.Mailbox, MessageKind.Bounce, "a@x.com", BounceReason.UserUnknown, true, null, "550", "User unknown", null, "t", null,
                Day0, "Mailbox:rollback:a@x.com", delivery.Id));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.Empty(await CellsAsync());
    }

    [Fact]
    public async Task RebuildAsync_ShouldGiveTheSameCellsAsTheInterceptor_WhenRunOverTheSameEvents()
    {
        await AddMixAsync();
        var kept = await CellsAsync();

        await using (var db = _database.CreateContext())
        {
            await BounceReportCellSql.RebuildAsync(db, CancellationToken.None);
        }

        Assert.Equal(kept, await CellsAsync());
    }

    [Fact]
    public async Task Backfill_ShouldFillPatternsAndBuildTheCells_WhenEventsPredateTheColumns()
    {
        await AddMixAsync();
        var kept = await CellsAsync();
        await using var db = _database.CreateContext();
        // What the migration leaves behind on an existing database: empty patterns, no cells.
        await db.BounceEvents.ExecuteUpdateAsync(s => s.SetProperty(e => e.Pattern, string.Empty).SetProperty(e => e.PatternHash, 0L));
        await db.BounceReportCells.ExecuteDeleteAsync();

        var filled = await BouncePatternBackfill.RunAsync(db, CancellationToken.None);
        var again = await BouncePatternBackfill.RunAsync(db, CancellationToken.None);

        Assert.Equal((6, 0), (filled, again));
        Assert.Equal(kept, await CellsAsync());
        Assert.Contains(await db.BounceEvents.Select(e => e.Pattern).ToListAsync(), p => p == "550 5.1.1 <*>: User unknown");
    }

    [Fact]
    public async Task Backfill_ShouldResume_WhenAnEarlierRunStoppedHalfway()
    {
        await AddMixAsync();
        await using var db = _database.CreateContext();
        var oldest = await db.BounceEvents.MinAsync(e => e.Id);
        // An interrupted run fills the newest events first, so only the oldest are left empty.
        await db.BounceEvents.Where(e => e.Id <= oldest + 1).ExecuteUpdateAsync(s => s.SetProperty(e => e.Pattern, string.Empty));

        Assert.Equal(2, await BouncePatternBackfill.RunAsync(db, CancellationToken.None));
    }
}
