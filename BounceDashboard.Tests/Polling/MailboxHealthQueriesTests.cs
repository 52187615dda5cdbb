using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Polling;

/// <summary><see cref="MailboxHealthQueries"/> after real polls of Maildir mailboxes on the real SQLite database.</summary>
public sealed class MailboxHealthQueriesTests : PollerScenario, IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private MailboxOptions Maildir(string name) => new()
    {
        Name = name,
        Kind = MailboxKind.Maildir,
        Path = Path.Combine(_folder.Path, name),
        PollInterval = TimeSpan.FromMinutes(5),
        MaxRetryDelay = TimeSpan.FromMinutes(30),
    };

    private void Deliver(string mailbox, int index, byte[] content) =>
        _folder.Write(Path.Combine(mailbox, "new", $"17335800{index:D2}.M{index}P1.host"), content);

    private MailboxHealthQueries Queries(params MailboxOptions[] mailboxes)
    {
        var options = new MailboxesOptions();
        options.Mailboxes.AddRange(mailboxes);
        return new MailboxHealthQueries(Database.Factory, Microsoft.Extensions.Options.Options.Create(options), Time);
    }

    [Fact]
    public async Task ListAsync_ShouldShowCountsBacklogAndSuccess_WhenTwoPollsSucceeded()
    {
        var mailbox = Maildir("healthy");
        var job = CreateJob(mailbox);
        Deliver("healthy", 1, InboundFixtures.UserUnknownDsnWithToken("token-1"));
        Deliver("healthy", 2, InboundFixtures.UserUnknownDsnWithToken("token-2"));
        await job.RunAsync(mailbox.Name, CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(5));
        Deliver("healthy", 3, InboundFixtures.UserUnknownDsnWithToken("token-3"));
        await job.RunAsync(mailbox.Name, CancellationToken.None);

        var health = Assert.Single(await Queries(mailbox).ListAsync());

        Assert.Equal(MailboxHealthState.Healthy, health.State);
        Assert.Equal(Time.GetUtcNow(), health.LastSuccessAt);
        Assert.Equal((1, 3L, (int?)0), (health.MessagesLastPoll, health.MessagesTotal, health.Backlog));
        Assert.Equal((0, (DateTimeOffset?)null, (string?)null), (health.ConsecutiveFailures, health.NextTryAt, health.PolledBy));
    }

    [Fact]
    public async Task ListAsync_ShouldShowTheErrorTheBacklogAndTheNextTry_WhenTheMoveFailedTwiceAfterTheCommit()
    {
        var mailbox = Maildir("failing");
        var job = CreateJob(mailbox);
        Deliver("failing", 1, InboundFixtures.UserUnknownDsnWithToken("token-1"));
        Deliver("failing", 2, InboundFixtures.UserUnknownDsnWithToken("token-2"));

        // A plain file where the processed folder belongs: the first message is committed, then its move throws.
        _folder.Write(Path.Combine("failing", ".Processed"), "not a folder");
        await Assert.ThrowsAnyAsync<IOException>(() => job.RunAsync(mailbox.Name, CancellationToken.None));
        Time.Advance(TimeSpan.FromMinutes(5));
        await Assert.ThrowsAnyAsync<IOException>(() => job.RunAsync(mailbox.Name, CancellationToken.None));

        var health = Assert.Single(await Queries(mailbox).ListAsync());

        Assert.Equal(MailboxHealthState.Failing, health.State);
        Assert.Null(health.LastSuccessAt);
        Assert.Equal(Time.GetUtcNow(), health.LastErrorAt);
        Assert.Contains("Exception: ", health.LastError, StringComparison.Ordinal);
        Assert.Equal(2, health.ConsecutiveFailures);
        Assert.Equal(Time.GetUtcNow().AddMinutes(10), health.NextTryAt);

        // Each poll stopped at its first move: 1 message read, then 0 (found stored); both still waiting.
        Assert.Equal((0, 1L, (int?)2), (health.MessagesLastPoll, health.MessagesTotal, health.Backlog));
    }

    [Fact]
    public async Task ListAsync_ShouldListEveryConfiguredMailboxInOrder_WhenOneWasNeverPolled()
    {
        var polled = Maildir("polled");
        Directory.CreateDirectory(Path.Combine(polled.Path!, "new"));
        await CreateJob(polled).RunAsync(polled.Name, CancellationToken.None);

        var list = await Queries(Maildir("never"), polled).ListAsync();

        Assert.Equal(["never", "polled"], list.Select(h => h.Name));
        Assert.Equal(MailboxHealthState.NotPolledYet, list[0].State);
        Assert.Null(list[0].Backlog);
        Assert.Equal(MailboxHealthState.Healthy, list[1].State);
        Assert.Equal((int?)0, list[1].Backlog);
    }
}
