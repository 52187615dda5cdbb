using System.Data.Common;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Queries;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Xunit;

namespace BounceDashboard.Tests.Queries;

/// <summary>The recipients grid and the delivery timeline over a real SQLite database with the app's migrations.</summary>
public sealed class DeliveryQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = TestData.Now;

    private SqliteDatabase _database = default!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private DeliveryQueries CreateQueries() => new(_database.Factory);

    private async Task<Campaign> AddCampaignAsync(string name = "Spring newsletter")
    {
        var campaign = new CampaignBuilder().WithName(name).Build();
        await _database.SeedAsync(campaign);
        return campaign;
    }

    private async Task<Contact[]> AddContactsAsync(params string[] emails)
    {
        var contacts = emails.Select(e => new ContactBuilder().WithEmail(e).Build()).ToArray();
        await _database.SeedAsync([.. contacts]);
        return contacts;
    }

    private static Delivery Attempt(Campaign campaign, Contact contact, DateTimeOffset at)
    {
        var delivery = Delivery.Create(campaign.Id, contact.Id, at.AddMinutes(-1));
        delivery.BeginAttempt(at, $"<{campaign.Id}.{contact.Id}@mail.example.com>", "192.0.2.10", "relay.example.com");
        return delivery;
    }

    /// <summary>Five recipients of one campaign in different states, and one of another campaign.</summary>
    private async Task<(Campaign Campaign, Dictionary<string, Delivery> ByAddress)> SeedCampaignAsync()
    {
        var campaign = await AddCampaignAsync();
        var other = await AddCampaignAsync("Other campaign");
        var c = await AddContactsAsync(
            "carol@gmail.com", "ann@example.org", "bob@yahoo.com", "anna@example.net", "dave@example.com", "anne@elsewhere.org");

        var carol = Attempt(campaign, c[0], Start.AddMinutes(3));
        carol.MarkHardBounced(Start.AddMinutes(4), "550 5.1.1 The email account that you tried to reach does not exist", BounceReason.UserUnknown, permanent: true);

        var ann = Attempt(campaign, c[1], Start.AddMinutes(1));
        ann.MarkDelivered(Start.AddMinutes(2), "250 2.0.0 OK");
        ann.RecordClick(Start.AddHours(2));

        var bob = Attempt(campaign, c[2], Start.AddMinutes(2));
        bob.ScheduleRetry(Start.AddMinutes(2), Start.AddHours(1), "452 4.2.2 Mailbox full", BounceReason.MailboxFull);
        bob.BeginAttempt(Start.AddHours(1), "<retry@mail.example.com>", "192.0.2.11", "relay.example.com");
        bob.MarkSoftBounced(Start.AddHours(1).AddSeconds(5), "452 4.2.2 Mailbox full", BounceReason.MailboxFull);

        var anna = Attempt(campaign, c[3], Start.AddMinutes(5));
        anna.MarkDelivered(Start.AddMinutes(6), "250 2.0.0 OK");
        anna.RecordOpen(Start.AddHours(3));

        var dave = Delivery.Create(campaign.Id, c[4].Id, Start);

        var elsewhere = Attempt(other, c[5], Start);
        elsewhere.MarkDelivered(Start.AddMinutes(1), "250 OK");
        await _database.SeedAsync(carol, ann, bob, anna, dave, elsewhere);

        return (campaign, new Dictionary<string, Delivery>
        {
            ["carol@gmail.com"] = carol,
            ["ann@example.org"] = ann,
            ["bob@yahoo.com"] = bob,
            ["anna@example.net"] = anna,
            ["dave@example.com"] = dave,
        });
    }

    private async Task<List<string>> AddressesAsync(
        RecipientFilter filter, RecipientSortField sortBy, bool descending = false, int page = 0, int size = 25, int? matching = null) =>
        (await CreateQueries().RecipientsAsync(filter, sortBy, descending, new PageRequest(page, size), matching)).Select(r => r.Address).ToList();

    [Fact]
    public async Task RecipientsAsync_ShouldListOnlyTheCampaignsRecipientsByAddress_WhenNotFiltered()
    {
        var (campaign, _) = await SeedCampaignAsync();

        var addresses = await AddressesAsync(new RecipientFilter(campaign.Id), RecipientSortField.Address);

        Assert.Equal(["ann@example.org", "anna@example.net", "bob@yahoo.com", "carol@gmail.com", "dave@example.com"], addresses);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(DeliveryQueries.DenseRecipients + 1)]
    public async Task RecipientsAsync_ShouldReturnEachAddressPageInOrder_WhenTheCampaignIsSmallOrLarge(int? matching)
    {
        // A large campaign (by the caller's count) walks the contacts' Email index; a small one sorts its deliveries.
        var (campaign, _) = await SeedCampaignAsync();
        var filter = new RecipientFilter(campaign.Id);

        Assert.Equal(["ann@example.org", "anna@example.net"], await AddressesAsync(filter, RecipientSortField.Address, page: 0, size: 2, matching: matching));
        Assert.Equal(["bob@yahoo.com", "carol@gmail.com"], await AddressesAsync(filter, RecipientSortField.Address, page: 1, size: 2, matching: matching));
        Assert.Equal(["dave@example.com"], await AddressesAsync(filter, RecipientSortField.Address, page: 2, size: 2, matching: matching));
        Assert.Equal(["dave@example.com", "carol@gmail.com"], await AddressesAsync(filter, RecipientSortField.Address, descending: true, size: 2, matching: matching));
        var delivered = filter with { State = DeliveryState.Delivered };
        Assert.Equal(["anna@example.net", "ann@example.org"], await AddressesAsync(delivered, RecipientSortField.Address, descending: true, matching: matching));
    }

    [Fact]
    public async Task RecipientsAsync_ShouldSortInTheDatabase_WhenSortedByLastAttemptAttemptsOrState()
    {
        var (campaign, _) = await SeedCampaignAsync();
        var filter = new RecipientFilter(campaign.Id);

        // Never attempted (no last attempt) sorts first ascending, as NULL does in SQL.
        Assert.Equal(
            ["dave@example.com", "ann@example.org", "carol@gmail.com", "anna@example.net", "bob@yahoo.com"],
            await AddressesAsync(filter, RecipientSortField.LastAttempt));
        Assert.Equal("bob@yahoo.com", (await AddressesAsync(filter, RecipientSortField.Attempts, descending: true))[0]);
        Assert.Equal("dave@example.com", (await AddressesAsync(filter, RecipientSortField.Attempts))[0]);
        // States sort by their stored name: Delivered, Delivered, HardBounced, Queued, SoftBounced.
        Assert.Equal(
            ["ann@example.org", "anna@example.net", "carol@gmail.com", "dave@example.com", "bob@yahoo.com"],
            await AddressesAsync(filter, RecipientSortField.State));
    }

    [Fact]
    public async Task RecipientsAsync_ShouldProjectTheGridsColumns_WhenADeliveryBouncedOrWasOpened()
    {
        var (campaign, byAddress) = await SeedCampaignAsync();

        var rows = (await CreateQueries().RecipientsAsync(new RecipientFilter(campaign.Id), RecipientSortField.Address, false, new PageRequest(0, 25)))
            .ToDictionary(r => r.Address);

        var carol = rows["carol@gmail.com"];
        Assert.Equal(byAddress["carol@gmail.com"].Id, carol.DeliveryId);
        Assert.Equal(DeliveryState.HardBounced, carol.State);
        Assert.Equal(BounceReason.UserUnknown, carol.BounceReason);
        Assert.Equal("550 5.1.1 The email account that you tried to reach does not exist", carol.LastSmtpReply);
        Assert.Equal(1, carol.Attempts);
        Assert.Equal(Start.AddMinutes(3), carol.LastAttemptAt);
        Assert.False(carol.Opened);
        Assert.Equal(2, rows["bob@yahoo.com"].Attempts);
        Assert.True(rows["ann@example.org"].Opened, "a click counts as an open");
        Assert.True(rows["ann@example.org"].Clicked);
        Assert.True(rows["anna@example.net"].Opened);
        Assert.False(rows["anna@example.net"].Clicked);
        Assert.Null(rows["dave@example.com"].LastAttemptAt);
    }

    [Theory]
    [InlineData("ann", new[] { "ann@example.org", "anna@example.net" })]
    [InlineData("ANN@", new[] { "ann@example.org" })]
    [InlineData("  anna ", new[] { "anna@example.net" })]
    [InlineData("gmail", new string[0])]
    [InlineData("z", new string[0])]
    public async Task RecipientsAsync_ShouldMatchTheStartOfTheAddressOnly_WhenSearched(string search, string[] expected)
    {
        var (campaign, _) = await SeedCampaignAsync();
        var filter = new RecipientFilter(campaign.Id, AddressPrefix: search);

        Assert.Equal(expected, await AddressesAsync(filter, RecipientSortField.Address));
        Assert.Equal(expected.Length, await CreateQueries().CountRecipientsAsync(filter));
    }

    [Fact]
    public async Task RecipientsAsync_ShouldNarrowToOneStateOrReason_WhenFiltered()
    {
        var (campaign, _) = await SeedCampaignAsync();
        var queries = CreateQueries();

        var delivered = new RecipientFilter(campaign.Id, State: DeliveryState.Delivered);
        Assert.Equal(["ann@example.org", "anna@example.net"], await AddressesAsync(delivered, RecipientSortField.Address));
        Assert.Equal(2, await queries.CountRecipientsAsync(delivered));

        var full = new RecipientFilter(campaign.Id, Reason: BounceReason.MailboxFull);
        Assert.Equal(["bob@yahoo.com"], await AddressesAsync(full, RecipientSortField.Address));
        Assert.Equal(1, await queries.CountRecipientsAsync(full));

        var none = new RecipientFilter(campaign.Id, AddressPrefix: "ann", State: DeliveryState.HardBounced);
        Assert.Empty(await AddressesAsync(none, RecipientSortField.Address));
        Assert.Equal(0, await queries.CountRecipientsAsync(none));
    }

    [Fact]
    public async Task CountRecipientsAsync_ShouldCountTheCampaignsDeliveriesOnly_WhenNotFiltered()
    {
        var (campaign, _) = await SeedCampaignAsync();
        var empty = await AddCampaignAsync("Draft");

        Assert.Equal(5, await CreateQueries().CountRecipientsAsync(new RecipientFilter(campaign.Id)));
        Assert.Equal(0, await CreateQueries().CountRecipientsAsync(new RecipientFilter(empty.Id)));
        Assert.Equal(0, await CreateQueries().CountRecipientsAsync(new RecipientFilter(campaign.Id + 1000)));
    }

    [Theory]
    [InlineData("ann", "ano")]
    [InlineData("a", "b")]
    [InlineData("ann@", "annA")]
    public void NextPrefix_ShouldBeTheSmallestStringAboveThePrefixesRange_WhenGivenAPrefix(string prefix, string expected) =>
        Assert.Equal(expected, DeliveryQueries.NextPrefix(prefix));

    [Fact]
    public async Task TimelineAsync_ShouldReturnNull_WhenTheDeliveryDoesNotExist() =>
        Assert.Null(await CreateQueries().TimelineAsync(424242));

    [Fact]
    public async Task TimelineAsync_ShouldListAttemptsBouncesOpensAndClicksInTimeOrder_WhenTheDeliveryHasAHistory()
    {
        var campaign = await AddCampaignAsync("Autumn sale");
        var contact = (await AddContactsAsync("carol@gmail.com"))[0];
        var delivery = Attempt(campaign, contact, Start);
        delivery.MarkDelivered(Start.AddSeconds(2), "250 2.0.0 OK queued as 12345");
        delivery.RecordOpen(Start.AddHours(1));
        await _database.SeedAsync(delivery);

        var bounce = BounceEvent.Create(
            BounceSource.Mailbox,
            MessageKind.Bounce,
            "carol@gmail.com",
            BounceReason.UserUnknown,
            permanent: true,
            EnhancedStatusCode.Parse("5.1.1"),
            "550",
            "smtp; 550-5.1.1 The email account that you tried to reach does not exist. <script>alert(1)</script>",
            "gmail-smtp-in.l.google.com",
            "rfc3464.status",
            feedbackType: null,
            Start.AddMinutes(30),
            "Mailbox:inbox/1/7:carol@gmail.com",
            delivery.Id);
        await _database.SeedAsync(
            bounce,
            TrackingEvent.Click(delivery.Id, "https://shop.example.com/sale?utm=1", Start.AddHours(2)),
            TrackingEvent.Open(delivery.Id, Start.AddHours(1)));

        var timeline = await CreateQueries().TimelineAsync(delivery.Id);

        Assert.NotNull(timeline);
        Assert.Equal(new DeliveryHeader(delivery.Id, "carol@gmail.com", ContactStatus.Active, campaign.Id, "Autumn sale", DeliveryState.Delivered, null, 1, delivery.CreatedAt), timeline.Header);
        Assert.Collection(
            timeline.Entries,
            e =>
            {
                var attempt = Assert.IsType<AttemptEntry>(e);
                Assert.Equal(1, attempt.Number);
                Assert.Equal(Start, attempt.At);
                Assert.Equal(Start.AddSeconds(2), attempt.CompletedAt);
                Assert.Equal(DeliveryAttemptOutcome.Accepted, attempt.Outcome);
                Assert.Equal("192.0.2.10", attempt.SendingIp);
                Assert.Equal("relay.example.com", attempt.Relay);
                Assert.Equal("250 2.0.0 OK queued as 12345", attempt.SmtpReply);
            },
            e =>
            {
                var b = Assert.IsType<BounceEntry>(e);
                Assert.Equal(bounce.Id, b.EventId);
                Assert.Equal(BounceReason.UserUnknown, b.Reason);
                Assert.True(b.Hard);
                Assert.True(b.Permanent);
                Assert.Equal("5.1.1", b.EnhancedStatus);
                Assert.Equal("550", b.ReplyCode);
                Assert.Equal("rfc3464.status", b.Rule);
                Assert.Equal("gmail-smtp-in.l.google.com", b.RemoteMta);
                Assert.Contains("<script>", b.Diagnostic, StringComparison.Ordinal);
                Assert.Equal("Gmail", b.ProviderHelp?.Provider);
            },
            e => Assert.Equal(TrackingEventKind.Open, Assert.IsType<TrackingEntry>(e).Kind),
            e =>
            {
                var click = Assert.IsType<TrackingEntry>(e);
                Assert.Equal(TrackingEventKind.Click, click.Kind);
                Assert.Equal("https://shop.example.com/sale?utm=1", click.Url);
            });
        Assert.False(timeline.TrackingTruncated);
    }

    [Fact]
    public async Task TimelineAsync_ShouldStopAtTheTrackingLimit_WhenADeliveryWasOpenedVeryOften()
    {
        var campaign = await AddCampaignAsync();
        var contact = (await AddContactsAsync("ann@example.org"))[0];
        var delivery = Attempt(campaign, contact, Start);
        delivery.MarkDelivered(Start.AddSeconds(1), "250 OK");
        await _database.SeedAsync(delivery);
        await _database.SeedAsync([.. Enumerable.Range(1, DeliveryQueries.MaxTrackingEvents + 5)
            .Select(i => TrackingEvent.Open(delivery.Id, Start.AddMinutes(i)))]);

        var timeline = await CreateQueries().TimelineAsync(delivery.Id);

        Assert.NotNull(timeline);
        Assert.True(timeline.TrackingTruncated);
        Assert.Equal(DeliveryQueries.MaxTrackingEvents, timeline.Entries.OfType<TrackingEntry>().Count());
        Assert.Equal(Start.AddMinutes(1), timeline.Entries.OfType<TrackingEntry>().First().At);
    }

    [Fact]
    public async Task RecipientsQueries_ShouldBeAnsweredByIndexes_WhenSearchedSortedOrCounted()
    {
        var (campaign, _) = await SeedCampaignAsync();
        var capture = new CommandCapture();
        var options = new DbContextOptionsBuilder<SqliteBounceDbContext>()
            .UseSqlite(_database.Connection)
            .AddInterceptors(capture)
            .Options;
        var queries = new DeliveryQueries(new CapturingFactory(options));
        var all = new RecipientFilter(campaign.Id);

        await queries.RecipientsAsync(all with { AddressPrefix = "ann" }, RecipientSortField.Address, false, new PageRequest(0, 25), 2);
        var searchPlan = await PlanAsync(capture.Commands[0]);
        capture.Commands.Clear();
        await queries.RecipientsAsync(all, RecipientSortField.Address, false, new PageRequest(4, 25), 160_000);
        var largeAddressPlan = await PlanAsync(capture.Commands[0]);
        capture.Commands.Clear();
        await queries.RecipientsAsync(all with { State = DeliveryState.HardBounced }, RecipientSortField.State, false, new PageRequest(0, 25), 1);
        var statePlan = await PlanAsync(capture.Commands[0]);
        var pagePlan = await PlanAsync(capture.Commands[1]);
        capture.Commands.Clear();
        await queries.CountRecipientsAsync(all with { State = DeliveryState.Delivered });
        var countPlan = await PlanAsync(capture.Commands[0]);

        // A search: the prefix is a range on the unique Email index; each match probes (CampaignId, ContactId).
        Assert.Contains("IX_Contacts_Email (Email>? AND Email<?)", searchPlan, StringComparison.Ordinal);
        Assert.Contains("IX_Deliveries_CampaignId_ContactId (CampaignId=? AND ContactId=?)", searchPlan, StringComparison.Ordinal);
        // A large campaign by address: the Email index in order, each contact probed; nothing sorted.
        Assert.Contains("SCAN c USING COVERING INDEX IX_Contacts_Email", largeAddressPlan, StringComparison.Ordinal);
        Assert.Contains("(CampaignId=? AND ContactId=?)", largeAddressPlan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", largeAddressPlan, StringComparison.Ordinal);
        // By state: the (CampaignId, State) index walked in order; the page's columns by primary key.
        Assert.Contains("IX_Deliveries_CampaignId_State (CampaignId=? AND State=?)", statePlan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", statePlan, StringComparison.Ordinal);
        Assert.Contains("PRIMARY KEY", pagePlan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN d", pagePlan, StringComparison.Ordinal);
        // Counting by state reads the (CampaignId, State) index alone.
        Assert.Contains("COVERING INDEX IX_Deliveries_CampaignId_State", countPlan, StringComparison.Ordinal);
    }

    private async Task<string> PlanAsync((string Sql, List<(string Name, object? Value)> Parameters) command)
    {
        await using var explain = _database.Connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Sql;
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.Add(new SqliteParameter(name, value ?? DBNull.Value));
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join('\n', lines);
    }

    /// <summary>The text and parameters of each query run (copied: EF reuses and disposes its commands).</summary>
    private sealed class CommandCapture : DbCommandInterceptor
    {
        public List<(string Sql, List<(string Name, object? Value)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Capture(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Capture(command);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Capture(DbCommand command) =>
            Commands.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
    }

    private sealed class CapturingFactory(DbContextOptions<SqliteBounceDbContext> options) : IDbContextFactory<BounceDbContext>
    {
        public BounceDbContext CreateDbContext() => new SqliteBounceDbContext(options);
    }
}
