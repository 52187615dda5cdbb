using BounceDashboard.Domain.Bounces;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data.Configurations;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Queries;

/// <summary>The bounce report's queries over a real SQLite database with the app's migrations and interceptors.</summary>
public sealed class BounceReportQueriesTests : IAsyncLifetime
{
    private const string UnknownJohn = "550 5.1.1 <john@x.com>: Recipient address rejected: User unknown in virtual mailbox table";
    private const string UnknownMary = "550 5.1.1 <mary@y.org>: Recipient address rejected: User unknown in virtual mailbox table";
    private const string UnknownPattern = "550 5.1.1 <*>: Recipient address rejected: User unknown in virtual mailbox table";
    private const string Full = "452 4.2.2 <ann@z.net>: mailbox full, quota exceeded";

    private static readonly DateTimeOffset Day0 = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);

    private SqliteDatabase _database = default!;
    private BounceReportScenario _scenario = default!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _scenario = await new BounceReportScenario(_database).WithCampaignsAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private BounceReportQueries CreateQueries() => new(_database.Factory);

    private static BounceReportFilter Period(DateTimeOffset from, DateTimeOffset to, BounceReportGrouping groupBy = BounceReportGrouping.SendingDomain, long? campaign = null) =>
        new(from, to, campaign, groupBy);

    [Fact]
    public async Task SummaryAsync_ShouldGroupTheSameReplyAndCountEveryBounce_WhenAddressesDiffer()
    {
        var spring = await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10");
        var other = await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10");
        await _scenario.BounceAsync(spring, Day0.AddHours(3), UnknownJohn);
        await _scenario.BounceAsync(other, Day0.AddDays(1).AddHours(5), UnknownMary);
        // The same message bouncing again on a later attempt counts again.
        await _scenario.BounceAsync(other, Day0.AddDays(2).AddHours(5), UnknownMary);
        await _scenario.BounceAsync(spring, Day0.AddDays(1), Full, BounceReason.MailboxFull);

        var page = await CreateQueries().SummaryAsync(Period(Day0, Day0.AddDays(7)), new PageRequest(0, 25));

        Assert.Equal(2, page.TotalCount);
        var top = page.Items[0];
        Assert.Equal(("mail.spring.example", UnknownPattern, 3, true, BounceReason.UserUnknown), (top.Group, top.Pattern, top.Amount, top.Hard, top.Reason));
        Assert.Contains(top.Example, new[] { UnknownJohn, UnknownMary });
        Assert.Equal((1, false, BounceReason.MailboxFull), (page.Items[1].Amount, page.Items[1].Hard, page.Items[1].Reason));
    }

    [Fact]
    public async Task SummaryAsync_ShouldGroupBySendingIp_WhenAskedTo()
    {
        var first = await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10");
        var second = await _scenario.DeliveryAsync(_scenario.Winter, "192.0.2.99");
        await _scenario.BounceAsync(first, Day0.AddHours(1), UnknownJohn);
        await _scenario.BounceAsync(second, Day0.AddHours(2), UnknownMary);
        await _scenario.BounceAsync(second, Day0.AddHours(3), UnknownJohn);

        var byDomain = await CreateQueries().SummaryAsync(Period(Day0, Day0.AddDays(1)), new PageRequest(0, 25));
        var byIp = await CreateQueries().SummaryAsync(Period(Day0, Day0.AddDays(1), BounceReportGrouping.SendingIp), new PageRequest(0, 25));

        Assert.Equal(new[] { ("winter.example", 2), ("mail.spring.example", 1) }, byDomain.Items.Select(r => (r.Group!, r.Amount)));
        Assert.Equal(new[] { ("192.0.2.99", 2), ("192.0.2.10", 1) }, byIp.Items.Select(r => (r.Group!, r.Amount)));
    }

    [Fact]
    public async Task SummaryAsync_ShouldShowANullGroup_WhenTheBounceIsNotMatchedToASend()
    {
        await _scenario.BounceAsync(null, Day0.AddHours(1), UnknownJohn);

        var page = await CreateQueries().SummaryAsync(Period(Day0, Day0.AddDays(1)), new PageRequest(0, 25));

        var row = Assert.Single(page.Items);
        Assert.Null(row.Group);
        Assert.Equal(1, row.Amount);
    }

    [Fact]
    public async Task SummaryAsync_ShouldMoveTheBounce_WhenALateMatchLinksItToADelivery()
    {
        var delivery = await _scenario.DeliveryAsync(_scenario.Winter, "192.0.2.20");
        var bounce = await _scenario.BounceAsync(null, Day0.AddHours(6), UnknownJohn);
        await using (var db = _database.CreateContext())
        {
            var stored = await db.BounceEvents.SingleAsync(e => e.Id == bounce.Id);
            stored.MatchTo(delivery.Id);
            await db.SaveChangesAsync();
        }

        var page = await CreateQueries().SummaryAsync(Period(Day0, Day0.AddDays(2)), new PageRequest(0, 25));

        var row = Assert.Single(page.Items);
        Assert.Equal(("winter.example", 1), (row.Group, row.Amount));
    }

    [Fact]
    public async Task SummaryAsync_ShouldLeaveOutOtherKindsCampaignsAndDays_WhenFiltered()
    {
        var spring = await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10");
        var winter = await _scenario.DeliveryAsync(_scenario.Winter, "192.0.2.10");
        await _scenario.BounceAsync(spring, Day0.AddHours(1), UnknownJohn);
        await _scenario.BounceAsync(winter, Day0.AddHours(1), UnknownJohn);
        await _scenario.BounceAsync(spring, Day0.AddHours(2), "Out of office", BounceReason.Vacation, kind: MessageKind.AutoReply);
        await _scenario.BounceAsync(spring, Day0.AddDays(-1), UnknownJohn);
        await _scenario.BounceAsync(spring, Day0.AddDays(1), UnknownJohn);

        var page = await CreateQueries().SummaryAsync(Period(Day0, Day0.AddDays(1), campaign: _scenario.Spring.Id), new PageRequest(0, 25));

        var row = Assert.Single(page.Items);
        Assert.Equal(("mail.spring.example", 1), (row.Group, row.Amount));
    }

    [Theory]
    [InlineData(0, 0, 10, 0)] // whole UTC days only: cells
    [InlineData(5, 0, 9, 13)] // partial days at both ends: cells plus events
    [InlineData(2, 7, 2, 20)] // within one day: events only
    [InlineData(0, 23, 1, 1)] // two partial days, no whole day
    public async Task SummaryAsync_ShouldCountWhatTheEventsSay_WhateverThePeriodsEdges(int fromDay, int fromHour, int toDay, int toHour)
    {
        var deliveries = new[]
        {
            await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10"),
            await _scenario.DeliveryAsync(_scenario.Winter, "192.0.2.11"),
        };
        var texts = new[] { UnknownJohn, UnknownMary, Full };
        for (var i = 0; i < 60; i++)
        {
            // Every 5 hours over 12.5 days, spread over the campaigns and replies.
            var text = texts[i % 3];
            await _scenario.BounceAsync(deliveries[i % 2], Day0.AddHours(i * 5), text, text == Full ? BounceReason.MailboxFull : BounceReason.UserUnknown);
        }

        var from = Day0.AddDays(fromDay).AddHours(fromHour);
        var to = Day0.AddDays(toDay).AddHours(toHour);
        var page = await CreateQueries().SummaryAsync(Period(from, to, BounceReportGrouping.SendingIp), new PageRequest(0, 25));

        await using var db = _database.CreateContext();
        var expected = (await db.BounceEvents.AsNoTracking()
                .Select(e => new { Ip = EF.Property<string?>(e, BounceEventColumns.SendingIp), e.Pattern, e.ReceivedAt })
                .ToListAsync())
            .Where(e => e.ReceivedAt >= from && e.ReceivedAt < to)
            .GroupBy(e => (e.Ip, e.Pattern))
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.Values.Sum(), page.Items.Sum(r => r.Amount));
        Assert.All(page.Items, r => Assert.Equal(expected[(r.Group, r.Pattern)], r.Amount));
        Assert.Equal(page.Items.OrderByDescending(r => r.Amount).Select(r => r.Amount), page.Items.Select(r => r.Amount));
    }

    [Fact]
    public async Task SummaryAsync_ShouldPageInTheDatabase_WhenThereAreMoreRowsThanAPage()
    {
        var delivery = await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10");
        for (var i = 0; i < 7; i++)
        {
            for (var n = 0; n <= i; n++)
            {
                await _scenario.BounceAsync(delivery, Day0.AddHours(n), $"550 5.7.1 Rejected by rule {(char)('A' + i)}", BounceReason.PolicyViolation);
            }
        }

        var second = await CreateQueries().SummaryAsync(Period(Day0, Day0.AddDays(1)), new PageRequest(1, 3));

        Assert.Equal(7, second.TotalCount);
        int[] expected = [4, 3, 2];
        Assert.Equal(expected, second.Items.Select(r => r.Amount));
    }

    [Fact]
    public async Task DetailsAsync_ShouldListTheRowsBouncesNewestFirst_WhenDrilledDown()
    {
        var spring = await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10");
        var winter = await _scenario.DeliveryAsync(_scenario.Winter, "192.0.2.10");
        await _scenario.BounceAsync(spring, Day0.AddHours(1), UnknownJohn, recipient: "john@x.com");
        await _scenario.BounceAsync(spring, Day0.AddDays(1).AddHours(2), UnknownMary, recipient: "mary@y.org");
        await _scenario.BounceAsync(spring, Day0.AddDays(2).AddHours(3), UnknownMary, recipient: "mary@y.org");
        await _scenario.BounceAsync(winter, Day0.AddHours(4), UnknownMary);
        await _scenario.BounceAsync(spring, Day0.AddHours(5), Full, BounceReason.MailboxFull);
        var filter = Period(Day0.AddHours(-6), Day0.AddDays(3).AddHours(6));
        var queries = CreateQueries();
        var row = (await queries.SummaryAsync(filter, new PageRequest(0, 25))).Items.Single(r => r.Group == "mail.spring.example" && r.Hard);

        var first = await queries.DetailsAsync(filter, row.Key, new PageRequest(0, 2));
        var second = await queries.DetailsAsync(filter, row.Key, new PageRequest(1, 2));

        Assert.Equal(3, first.TotalCount);
        string[] newest = ["mary@y.org", "mary@y.org"];
        Assert.Equal(newest, first.Items.Select(d => d.Recipient));
        Assert.True(first.Items[0].ReceivedAt > first.Items[1].ReceivedAt);
        var last = Assert.Single(second.Items);
        Assert.Equal(("john@x.com", "Spring sale", UnknownJohn, UnknownPattern, "mail.spring.example"), (last.Recipient, last.CampaignName, last.Diagnostic, last.Pattern, last.Group));
    }

    [Fact]
    public async Task DetailsAsync_ShouldFindUnmatchedBounces_WhenTheRowHasNoGroup()
    {
        await _scenario.BounceAsync(null, Day0.AddHours(1), UnknownJohn, recipient: "stray@example.net");
        var filter = Period(Day0, Day0.AddDays(1), BounceReportGrouping.SendingIp);

        var details = await CreateQueries().DetailsAsync(filter, new BounceReportRowKey(null, UnknownPattern, true, BounceReason.UserUnknown), new PageRequest(0, 10));

        var only = Assert.Single(details.Items);
        Assert.Equal(("stray@example.net", (string?)null, (string?)null), (only.Recipient, only.CampaignName, only.Group));
    }

    [Fact]
    public async Task StreamMethods_ShouldGiveEveryRowAndBounce_WhenExporting()
    {
        var delivery = await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10");
        await _scenario.BounceAsync(delivery, Day0.AddHours(1), UnknownJohn);
        await _scenario.BounceAsync(delivery, Day0.AddDays(1).AddHours(1), UnknownMary);
        await _scenario.BounceAsync(delivery, Day0.AddDays(1).AddHours(2), Full, BounceReason.MailboxFull);
        var filter = Period(Day0.AddHours(-1), Day0.AddDays(2).AddHours(1));
        var queries = CreateQueries();

        var rows = await queries.StreamSummaryAsync(filter).ToListAsync();
        var details = await queries.StreamDetailsAsync(filter).ToListAsync();

        int[] amounts = [2, 1];
        Assert.Equal(amounts, rows.Select(r => r.Amount));
        Assert.Equal(3, details.Count);
        Assert.Equal(details.OrderByDescending(d => d.ReceivedAt).Select(d => d.EventId), details.Select(d => d.EventId));
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 2)]
    [InlineData(4, 1)]
    public async Task StreamDetailsAsync_ShouldGiveTheSameRowsInTheSameOrder_WhenReadInParallelSlices(int readers, int sliceRows)
    {
        var spring = await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10");
        var winter = await _scenario.DeliveryAsync(_scenario.Winter, "192.0.2.99");
        // Quiet days, a busy day (cut into stretches of time), bounces at the same instant, and a campaign filter.
        for (var i = 0; i < 30; i++)
        {
            var at = i < 12 ? Day0.AddDays(i % 4).AddHours(i) : Day0.AddDays(5).AddMinutes(i * 7);
            await _scenario.BounceAsync(i % 3 == 0 ? winter : spring, at, i % 2 == 0 ? UnknownJohn : Full, i % 2 == 0 ? BounceReason.UserUnknown : BounceReason.MailboxFull);
        }

        await _scenario.BounceAsync(spring, Day0.AddDays(5).AddMinutes(14), UnknownMary);
        // Parallel slices need a connection each, which the shared in-memory connection cannot give: read a file copy.
        using var file = await SqliteFileDatabase.CopyOfAsync(_database);
        var oneReader = new BounceReportQueries(_database.Factory) { ExportReaders = 1, ExportSliceRows = 1_000 };
        var sliced = new BounceReportQueries(file.Factory) { ExportReaders = readers, ExportSliceRows = sliceRows };

        foreach (var filter in new[]
                 {
                     Period(Day0.AddHours(2), Day0.AddDays(6).AddHours(-3)),
                     Period(Day0, Day0.AddDays(7), BounceReportGrouping.SendingIp, _scenario.Spring.Id),
                 })
        {
            var expected = await oneReader.StreamDetailsAsync(filter).ToListAsync();
            var actual = await sliced.StreamDetailsAsync(filter).ToListAsync();

            Assert.NotEmpty(expected);
            Assert.Equal(expected, actual);
            Assert.Equal(expected.OrderByDescending(d => d.ReceivedAt).ThenByDescending(d => d.EventId), expected);
        }
    }

    [Fact]
    public async Task StreamDetailsAsync_ShouldGiveTheSameRowsAsEf_WhenSqliteStepsTheRowsItself()
    {
        var spring = await _scenario.DeliveryAsync(_scenario.Spring, "192.0.2.10");
        var winter = await _scenario.DeliveryAsync(_scenario.Winter, "192.0.2.99");
        // Unmatched bounces (no campaign, no sending domain or IP), non-ASCII text, the same values again and again.
        for (var i = 0; i < 40; i++)
        {
            var delivery = (i % 4) switch { 0 => winter, 1 => null, _ => spring };
            var diagnostic = (i % 3) switch { 0 => UnknownJohn, 1 => Full, _ => "550 5.7.1 Adresse rejetée : « spam » détecté, code " + i };
            await _scenario.BounceAsync(delivery, Day0.AddHours(i * 3), diagnostic, i % 2 == 0 ? BounceReason.UserUnknown : BounceReason.Filtered, $"r{i}@exämple.org");
        }

        using var file = await SqliteFileDatabase.CopyOfAsync(_database);
        var throughEf = new BounceReportQueries(file.Factory) { UseSqliteReader = false, ExportSliceRows = 7 };
        var stepped = new BounceReportQueries(file.Factory) { ExportSliceRows = 7 };

        foreach (var filter in new[]
                 {
                     Period(Day0, Day0.AddDays(6)),
                     Period(Day0.AddHours(5), Day0.AddDays(4), BounceReportGrouping.SendingIp),
                     Period(Day0, Day0.AddDays(7), BounceReportGrouping.SendingDomain, _scenario.Spring.Id),
                 })
        {
            var expected = await throughEf.StreamDetailsAsync(filter).ToListAsync();
            var actual = await stepped.StreamDetailsAsync(filter).ToListAsync();

            Assert.NotEmpty(expected);
            Assert.Equal(expected, actual);
        }

        var all = await stepped.StreamDetailsAsync(Period(Day0, Day0.AddDays(6))).ToListAsync();
        Assert.Contains(all, r => r.CampaignId is null && r.Group is null && r.CampaignName is null);
        Assert.Contains(all, r => r.CampaignName == "Spring sale" && r.Diagnostic!.Contains("« spam »", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CampaignsAsync_ShouldListCampaignsNewestFirst_WhenTheFilterAsks()
    {
        var options = await CreateQueries().CampaignsAsync();

        string[] names = ["Winter news", "Spring sale"];
        Assert.Equal(names, options.Select(o => o.Name));
    }
}
