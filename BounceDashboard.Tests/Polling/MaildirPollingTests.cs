using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Polling;
using Xunit;

namespace BounceDashboard.Tests.Polling;

/// <summary>
/// <see cref="Web.Jobs.PollMailboxJob"/> over a real Maildir in a temporary folder, end to end through the real
/// ingest, rules and SQLite database.
/// </summary>
public sealed class MaildirPollingTests : PollerScenario, IDisposable
{
    private const string Name = "local-bounces";
    private const string BounceFile = "1733580000.M1P1.host";
    private const string ReplyFile = "1733580001.M2P1.host";

    private readonly TempDirectory _maildir = new();

    public void Dispose() => _maildir.Dispose();

    private MailboxOptions Mailbox => new() { Name = Name, Kind = MailboxKind.Maildir, Path = _maildir.Path };

    private string At(params string[] parts) => Path.Combine([_maildir.Path, .. parts]);

    private async Task<Delivery> SeedMaildirAsync()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        Directory.CreateDirectory(At("tmp"));
        _maildir.Write(Path.Combine("new", BounceFile), InboundFixtures.UserUnknownDsnWithToken(delivery.Token!));
        _maildir.Write(Path.Combine("cur", ReplyFile + ":2,S"), FixtureFiles.Robustness("plain-message.eml"));
        return delivery;
    }

    [Fact]
    public async Task RunAsync_ShouldMatchAndMoveTheBounceAndLeaveTheReply_WhenTheMaildirHoldsBoth()
    {
        var delivery = await SeedMaildirAsync();

        var result = await CreateJob(Mailbox).RunAsync(Name, CancellationToken.None);

        Assert.Equal(new MailboxPollResult(Read: 2, Stored: 2, Duplicates: 0, Processed: 1, NotBounces: 1), result);
        Assert.Equal(DeliveryState.HardBounced, (await LoadDeliveryAsync(delivery.Id)).State);
        Assert.Equal((2, 1, 1), await CountAsync());
        var outcomes = await StoredOutcomesAsync();
        Assert.Equal(InboundOutcome.Matched, outcomes[$"{Name}:{BounceFile}"]);
        Assert.Equal(InboundOutcome.NotABounce, outcomes[$"{Name}:{ReplyFile}"]);
        Assert.True(File.Exists(At(".Processed", "new", BounceFile)));
        Assert.False(File.Exists(At("new", BounceFile)));
        Assert.True(File.Exists(At("cur", ReplyFile + ":2,S")));
        var watermark = await LoadWatermarkAsync(Name);
        Assert.Equal(Time.GetUtcNow(), watermark!.LastSuccessAt);
        Assert.False(watermark.IsFailing);
    }

    [Fact]
    public async Task RunAsync_ShouldChangeNothingAndReadNothing_WhenPolledASecondTime()
    {
        await SeedMaildirAsync();
        var job = CreateJob(Mailbox);
        await job.RunAsync(Name, CancellationToken.None);
        var before = (await CountAsync(), await StoredOutcomesAsync());

        var again = await job.RunAsync(Name, CancellationToken.None);

        Assert.Equal(MailboxPollResult.Empty with { NotBounces = 1 }, again);
        Assert.Equal(before.Item1, await CountAsync());
        Assert.Equal(before.Item2, await StoredOutcomesAsync());
        Assert.True(File.Exists(At("cur", ReplyFile + ":2,S")));
        Assert.True(File.Exists(At(".Processed", "new", BounceFile)));
    }

    [Fact]
    public async Task RunAsync_ShouldCountNothingTwiceAndLoseNothing_WhenTheMoveFailsAfterTheCommit()
    {
        var delivery = await SeedMaildirAsync();

        // A plain file where the .Processed folder belongs: the move after the commit throws, as a crash there would stop it.
        _maildir.Write(".Processed", "not a folder");
        var job = CreateJob(Mailbox);
        await Assert.ThrowsAnyAsync<IOException>(() => job.RunAsync(Name, CancellationToken.None));

        // The bounce (first by name) was committed and applied; the poll stopped there, before the reply.
        Assert.Equal((1, 1, 1), await CountAsync());
        Assert.True(File.Exists(At("new", BounceFile)));
        var failed = await LoadWatermarkAsync(Name);
        Assert.True(failed!.IsFailing);
        Assert.Contains("Exception: ", failed.LastError, StringComparison.Ordinal);

        File.Delete(At(".Processed"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var next = await job.RunAsync(Name, CancellationToken.None);

        Assert.Equal(new MailboxPollResult(Read: 1, Stored: 1, Duplicates: 0, Processed: 1, NotBounces: 1), next);
        Assert.Equal((2, 1, 1), await CountAsync());
        Assert.Equal(DeliveryState.HardBounced, (await LoadDeliveryAsync(delivery.Id)).State);
        Assert.True(File.Exists(At(".Processed", "new", BounceFile)));
        Assert.True(File.Exists(At("cur", ReplyFile + ":2,S")));
        Assert.False((await LoadWatermarkAsync(Name))!.IsFailing);
    }

    [Fact]
    public async Task RunAsync_ShouldCountTheBounceOnceAndMoveBothFiles_WhenTheSameBytesArriveUnderTwoNames()
    {
        var delivery = await SeedMaildirAsync();
        _maildir.Write(Path.Combine("new", "1733580002.M3P1.host"), InboundFixtures.UserUnknownDsnWithToken(delivery.Token!));

        var result = await CreateJob(Mailbox).RunAsync(Name, CancellationToken.None);

        Assert.Equal(new MailboxPollResult(Read: 3, Stored: 2, Duplicates: 1, Processed: 2, NotBounces: 1), result);
        Assert.Equal((2, 1, 1), await CountAsync());
        Assert.Empty(Directory.GetFiles(At("new")));
    }

    [Fact]
    public async Task RunAsync_ShouldRecordTheFailureAndThrow_WhenTheMaildirIsMissing()
    {
        var mailbox = Mailbox;
        mailbox.Path = At("missing");

        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => CreateJob(mailbox).RunAsync(Name, CancellationToken.None));

        var watermark = await LoadWatermarkAsync(Name);
        Assert.True(watermark!.IsFailing);
        Assert.Equal(Time.GetUtcNow(), watermark.LastErrorAt);
        Assert.Contains(Logs.Logs, log => log.Level == Microsoft.Extensions.Logging.LogLevel.Warning && log.Message.Contains(Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ShouldLogNoAddress_WhenItPollsBouncesAndReplies()
    {
        await SeedMaildirAsync();

        await CreateJob(Mailbox).RunAsync(Name, CancellationToken.None);

        Assert.DoesNotContain(Logs.Logs, log => log.Message.Contains('@', StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ShouldPollNothingAndNotFail_WhenTheMailboxIsNoLongerConfigured()
    {
        var result = await CreateJob(Mailbox).RunAsync("removed-mailbox", CancellationToken.None);

        Assert.Equal(MailboxPollResult.Empty, result);
        Assert.Null(await LoadWatermarkAsync("removed-mailbox"));
        Assert.Contains(Logs.Logs, log => log.Message.Contains("poll-mailbox:removed-mailbox", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1733580000.M1P1.host:2,S", "local-bounces:1733580000.M1P1.host")]
    [InlineData("1733580000.M1P1.host:2,", "local-bounces:1733580000.M1P1.host")]
    [InlineData("1733580000.M1P1.host", "local-bounces:1733580000.M1P1.host")]
    public void KeyFor_ShouldDropTheFlags_WhenTheFileNameCarriesThem(string fileName, string expected)
    {
        Assert.Equal(expected, MaildirMailboxReader.KeyFor("local-bounces", fileName));
    }
}
