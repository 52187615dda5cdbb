using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Queries;

/// <summary>The contacts list and the contact page over a real SQLite database, with bounces applied by the real rules.</summary>
public sealed class ContactQueriesTests : CommandScenario
{
    private ContactQueries CreateQueries() => new(Database.Factory);

    /// <summary>Contacts with the given addresses and statuses, saved together.</summary>
    private async Task<Contact[]> SeedContactsAsync(params (string Email, ContactStatus Status)[] contacts)
    {
        var now = Time.GetUtcNow();
        var built = contacts.Select(c =>
        {
            var contact = Contact.Create(c.Email, now);
            switch (c.Status)
            {
                case ContactStatus.Error:
                    contact.MarkError(ContactErrorCause.BadAddress, now);
                    break;
                case ContactStatus.OptedOut:
                    contact.OptOut(now);
                    break;
                case ContactStatus.ConfirmedBounce:
                    contact.MarkConfirmedBounce(now);
                    break;
            }

            return contact;
        }).ToArray();
        await Database.SeedAsync([.. built]);
        return built;
    }

    [Fact]
    public async Task CountsAsync_ShouldCountEachStatusApartAndLeaveConfirmedBouncesOutOfActive_WhenContactsHaveEveryStatus()
    {
        await SeedContactsAsync(
            ("a1@example.com", ContactStatus.Active), ("a2@example.com", ContactStatus.Active), ("a3@example.com", ContactStatus.Active),
            ("e1@example.com", ContactStatus.Error), ("o1@example.com", ContactStatus.OptedOut),
            ("c1@example.com", ContactStatus.ConfirmedBounce), ("c2@example.com", ContactStatus.ConfirmedBounce));

        var counts = await CreateQueries().CountsAsync();

        Assert.Equal(new ContactStatusCounts(Active: 3, Error: 1, OptedOut: 1, ConfirmedBounce: 2), counts);
        Assert.Equal(7, counts.Total);
        Assert.Equal(7, counts.Of(null));
    }

    [Fact]
    public async Task CountsAsync_ShouldBeZero_WhenThereAreNoContacts()
    {
        Assert.Equal(ContactStatusCounts.Empty, await CreateQueries().CountsAsync());
    }

    [Fact]
    public async Task SearchAsync_ShouldListPrefixMatchesInAddressOrderWithTheExactAddressFirst_WhenSearchingAWholeAddress()
    {
        await SeedContactsAsync(
            ("ann@example.org.uk", ContactStatus.Active), ("anna@example.org", ContactStatus.Active),
            ("ann@example.org", ContactStatus.Error), ("bob@example.org", ContactStatus.Active));

        var page = await CreateQueries().SearchAsync(new ContactFilter(" Ann@Example.ORG "), new PageRequest(0, 25));

        Assert.Equal(["ann@example.org", "ann@example.org.uk"], page.Items.Select(r => r.Email));
        Assert.Equal(2, page.TotalCount);
        Assert.Equal((ContactStatus.Error, ContactErrorCause.BadAddress), (page.Items[0].Status, page.Items[0].ErrorCause));
    }

    [Fact]
    public async Task SearchAsync_ShouldNarrowToOneStatusAndPage_WhenAStatusAndAPrefixAreGiven()
    {
        await SeedContactsAsync(
            ("ma1@example.com", ContactStatus.ConfirmedBounce), ("ma2@example.com", ContactStatus.Active),
            ("ma3@example.com", ContactStatus.ConfirmedBounce), ("ma4@example.com", ContactStatus.ConfirmedBounce),
            ("zz@example.com", ContactStatus.ConfirmedBounce));
        var queries = CreateQueries();

        var first = await queries.SearchAsync(new ContactFilter("ma", ContactStatus.ConfirmedBounce), new PageRequest(0, 2));
        var second = await queries.SearchAsync(new ContactFilter("ma", ContactStatus.ConfirmedBounce), new PageRequest(1, 2));
        var all = await queries.SearchAsync(new ContactFilter(Status: ContactStatus.ConfirmedBounce), new PageRequest(0, 25));

        Assert.Equal(["ma1@example.com", "ma3@example.com"], first.Items.Select(r => r.Email));
        Assert.Equal(["ma4@example.com"], second.Items.Select(r => r.Email));
        Assert.Equal((3, 3), (first.TotalCount, second.TotalCount));
        Assert.Equal(["ma1@example.com", "ma3@example.com", "ma4@example.com", "zz@example.com"], all.Items.Select(r => r.Email));
        Assert.Equal(4, all.TotalCount);
    }

    [Fact]
    public async Task SearchAsync_ShouldTakeTheCallersTotal_WhenThereIsNoSearch()
    {
        await SeedContactsAsync(("a@example.com", ContactStatus.Active), ("b@example.com", ContactStatus.Active));

        var page = await CreateQueries().SearchAsync(new ContactFilter(Status: ContactStatus.Active), new PageRequest(0, 1), total: 2);

        Assert.Equal(["a@example.com"], page.Items.Select(r => r.Email));
        Assert.Equal(2, page.TotalCount);
    }

    [Fact]
    public async Task SearchAsync_ShouldMarkSuppressedAddresses_WhenAnEntryIsInForce()
    {
        await SeedContactsAsync(("kept@example.com", ContactStatus.Active), ("stopped@example.com", ContactStatus.Active), ("lifted@example.com", ContactStatus.Active));
        var lifted = new SuppressionEntryBuilder().WithEmail("lifted@example.com").Build();
        lifted.Lift(Time.GetUtcNow(), "admin@example.org", "asked", complaintConfirmed: false);
        await Database.SeedAsync(new SuppressionEntryBuilder().WithEmail("stopped@example.com").WithReason(SuppressionReason.Manual).Build(), lifted);

        var page = await CreateQueries().SearchAsync(new ContactFilter(), new PageRequest(0, 25));

        Assert.Equal(
            [("kept@example.com", false), ("lifted@example.com", false), ("stopped@example.com", true)],
            page.Items.Select(r => (r.Email, r.Suppressed)));
    }

    [Fact]
    public async Task SearchAsync_ShouldReturnNothing_WhenNoAddressStartsWithTheSearch()
    {
        await SeedContactsAsync(("ann@example.org", ContactStatus.Active));

        var page = await CreateQueries().SearchAsync(new ContactFilter("zed"), new PageRequest(0, 25));

        Assert.Equal((0, 0), (page.Items.Count, page.TotalCount));
    }

    [Fact]
    public async Task Migrations_ShouldCreateTheStatusEmailIndex_WhichTheContactsPageRangesOver()
    {
        await using var command = Database.Connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN SELECT Id FROM Contacts WHERE Status = 'Error' AND Email >= 'ma' AND Email < 'mb' ORDER BY Email LIMIT 25";
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        Assert.Contains(plan, step => step.Contains("IX_Contacts_Status_Email", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_ShouldReturnNull_WhenThereIsNoSuchContact()
    {
        Assert.Null(await CreateQueries().GetAsync(404));
    }

    [Fact]
    public async Task GetAsync_ShouldShowTheBounceThatSetTheStatusTheCountersTheAudiencesAndTheSuppression_WhenABadAddressBounced()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);
        var bounce = Event(delivery.Id, permanent: true, BounceReason.UserUnknown);
        await Bounces.RecordAsync(bounce);
        var audience = Audience.Create("Newsletter", Time.GetUtcNow());
        await Database.SeedAsync(audience);
        await Database.SeedAsync(AudienceMember.Create(audience.Id, contact.Id, Time.GetUtcNow()));

        var details = await CreateQueries().GetAsync(contact.Id);

        Assert.NotNull(details);
        Assert.Equal(("jane@example.com", ContactStatus.Error, ContactErrorCause.BadAddress), (details.Email, details.Status, details.ErrorCause));
        await using var db = Database.CreateContext();
        var stored = await db.BounceEvents.SingleAsync();
        Assert.NotNull(details.Cause);
        Assert.Equal((stored.Id, delivery.Id, BounceReason.UserUnknown, true), (details.Cause.EventId, details.Cause.DeliveryId, details.Cause.Reason, details.Cause.Hard));
        Assert.Equal((1, 1, 1), (details.Counters.ConsecutiveHardBounces, details.Counters.Deliveries, details.Counters.Bounces));
        Assert.Equal([("Newsletter", audience.Id)], details.Audiences.Select(a => (a.Name, a.Id)));
        Assert.NotNull(details.ActiveSuppression);
        Assert.Equal(SuppressionReason.HardBounce, details.ActiveSuppression.Reason);
        Assert.True(details.CanReactivate);
    }

    [Fact]
    public async Task GetAsync_ShouldShowNoCauseAndNothingToReactivate_WhenTheContactIsActiveAndUnsuppressed()
    {
        var contact = await SeedContactAsync();

        var details = await CreateQueries().GetAsync(contact.Id);

        Assert.NotNull(details);
        Assert.Null(details.Cause);
        Assert.Empty(details.Audiences);
        Assert.Empty(details.Suppressions);
        Assert.False(details.CanReactivate);
    }

    [Fact]
    public async Task HistoryAsync_ShouldMergeDeliveriesBouncesOpensClicksAndAdminActionsNewestFirst_WhenAllHappened()
    {
        var contact = await SeedContactAsync();
        var other = await SeedContactAsync("someone.else@example.com");
        var delivered = await SendAsync(contact);
        await Database.SeedAsync(
            TrackingEvent.Open(delivered.Id, Time.GetUtcNow().AddHours(1)),
            TrackingEvent.Click(delivered.Id, "https://shop.example.com/", Time.GetUtcNow().AddHours(2)));
        var bounced = await SendAsync(contact);
        await Bounces.RecordAsync(Event(bounced.Id, permanent: true, BounceReason.UserUnknown));
        var unrelated = await SendAsync(other);
        await Bounces.RecordAsync(Event(unrelated.Id, permanent: true, BounceReason.UserUnknown, recipient: other.Email));
        Time.Advance(TimeSpan.FromDays(1));
        var reactivated = await Suppression.ReactivateAsync(Admin, contact.Email, "Mailbox recreated", complaintConfirmed: false);
        Assert.True(reactivated.Succeeded, reactivated.Message);

        var history = await CreateQueries().HistoryAsync(contact.Id, 50);

        Assert.False(history.HasMore);
        Assert.Collection(
            history.Entries,
            e => Assert.Equal((AuditAction.ReactivateAddress, "Mailbox recreated"), (((AuditHistoryEntry)e).Action, ((AuditHistoryEntry)e).Reason)),
            e => Assert.Equal((bounced.Id, BounceReason.UserUnknown), (((BounceHistoryEntry)e).DeliveryId, ((BounceHistoryEntry)e).Reason)),
            e => Assert.Equal(bounced.Id, ((DeliveryHistoryEntry)e).DeliveryId),
            e => Assert.Equal(TrackingEventKind.Click, ((TrackingHistoryEntry)e).Kind),
            e => Assert.Equal(TrackingEventKind.Open, ((TrackingHistoryEntry)e).Kind),
            e => Assert.Equal(("Campaign 1", delivered.Id), (((DeliveryHistoryEntry)e).CampaignName, ((DeliveryHistoryEntry)e).DeliveryId)));
        Assert.True(history.Entries.Zip(history.Entries.Skip(1)).All(p => p.First.At >= p.Second.At));
    }

    [Fact]
    public async Task HistoryAsync_ShouldReturnTheNewestEntriesAndSayThereAreMore_WhenTheLimitIsReached()
    {
        var contact = await SeedContactAsync();
        var deliveries = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            deliveries.Add((await SendAsync(contact)).Id);
        }

        var queries = CreateQueries();
        var capped = await queries.HistoryAsync(contact.Id, 3);
        var all = await queries.HistoryAsync(contact.Id, 4);

        Assert.True(capped.HasMore);
        Assert.Equal(deliveries.AsEnumerable().Reverse().Take(3), capped.Entries.Cast<DeliveryHistoryEntry>().Select(e => e.DeliveryId));
        Assert.False(all.HasMore);
        Assert.Equal(4, all.Entries.Count);
    }

    [Fact]
    public async Task HistoryAsync_ShouldBeEmpty_WhenThereIsNoSuchContact()
    {
        Assert.Same(ContactHistory.Empty, await CreateQueries().HistoryAsync(404, 50));
    }
}
