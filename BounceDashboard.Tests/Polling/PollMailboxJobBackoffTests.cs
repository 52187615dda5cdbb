using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Polling;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Polling;

/// <summary>
/// <see cref="Web.Jobs.PollMailboxJob"/> after failures (a Maildir that is missing, then back) and while another poll
/// holds the mailbox, on the real SQLite database and a fake clock.
/// </summary>
public sealed class PollMailboxJobBackoffTests : PollerScenario, IDisposable
{
    private const string Name = "flaky-bounces";

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string MaildirPath => Path.Combine(_folder.Path, "Maildir");

    private MailboxOptions Mailbox => new() { Name = Name, Kind = MailboxKind.Maildir, Path = MaildirPath, PollInterval = TimeSpan.FromMinutes(1) };

    private async Task<DateTimeOffset?> LastErrorAtAsync() => (await LoadWatermarkAsync(Name))?.LastErrorAt;

    [Fact]
    public async Task RunAsync_ShouldWaitTwiceAsLongAfterEachFailure_WhenTheMailboxKeepsFailing()
    {
        var job = CreateJob(Mailbox);
        var start = Time.GetUtcNow();

        // First failure: the next try is one interval later; second: two intervals later.
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => job.RunAsync(Name, CancellationToken.None));
        Time.Advance(TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => job.RunAsync(Name, CancellationToken.None));

        // The scheduled tick one minute later waits: nothing tried, nothing thrown, nothing recorded.
        Time.Advance(TimeSpan.FromMinutes(1));
        var waiting = await job.RunAsync(Name, CancellationToken.None);
        Assert.Equal(MailboxPollResult.Empty, waiting);
        Assert.Equal(start.AddMinutes(1), await LastErrorAtAsync());

        // Two minutes after the second failure it tries again.
        Time.Advance(TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => job.RunAsync(Name, CancellationToken.None));
        Assert.Equal(start.AddMinutes(3), await LastErrorAtAsync());
    }

    [Fact]
    public async Task RunAsync_ShouldPollAgainOnTheNextTry_WhenTheMailboxIsBack()
    {
        var job = CreateJob(Mailbox);
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => job.RunAsync(Name, CancellationToken.None));
        Directory.CreateDirectory(Path.Combine(MaildirPath, "new"));
        _folder.Write(Path.Combine("Maildir", "new", "1733580000.M1P1.host"), InboundFixtures.UserUnknownDsnWithToken("unknown-token"));

        Time.Advance(TimeSpan.FromMinutes(1));
        var result = await job.RunAsync(Name, CancellationToken.None);

        Assert.Equal(1, result.Read);
        Assert.False((await LoadWatermarkAsync(Name))!.IsFailing);
    }

    [Fact]
    public async Task RunAsync_ShouldSkipTheMailbox_WhileAnotherInstanceHoldsItsLease()
    {
        Directory.CreateDirectory(Path.Combine(MaildirPath, "new"));
        _folder.Write(Path.Combine("Maildir", "new", "1733580000.M1P1.host"), InboundFixtures.UserUnknownDsnWithToken("unknown-token"));
        var job = CreateJob(Mailbox);
        await job.RunAsync(Name, CancellationToken.None);
        _folder.Write(Path.Combine("Maildir", "new", "1733580001.M2P1.host"), InboundFixtures.UserUnknownDsnWithToken("other-token"));

        // Another instance's poll holds the mailbox for five more minutes (written as its UPDATE would write it).
        await using (var db = Database.CreateContext())
        {
            await db.Database.ExecuteSqlAsync(
                $"UPDATE MailboxWatermarks SET LeaseOwner = 'other-host:4242:poll', LeaseUntil = {Time.GetUtcNow().AddMinutes(5).UtcTicks} WHERE MailboxName = {Name}");
        }

        var held = await job.RunAsync(Name, CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(5));
        var expired = await job.RunAsync(Name, CancellationToken.None);

        Assert.Equal(MailboxPollResult.Empty, held);
        Assert.Equal(1, expired.Read);
        Assert.Empty(Directory.GetFiles(Path.Combine(MaildirPath, "new")));
    }
}
