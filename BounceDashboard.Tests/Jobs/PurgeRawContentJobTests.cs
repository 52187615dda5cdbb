using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Options;
using Hangfire;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Jobs;

public sealed class PurgeRawContentJobTests : CommandScenario
{
    private PurgeRawContentJob CreateJob(int retentionDays = 90) =>
        new(Runner, Microsoft.Extensions.Options.Options.Create(new InboundOptions { RawRetentionDays = retentionDays }), Time, Logs.CreateLogger<PurgeRawContentJob>());

    private async Task<long> SeedMessageAsync(string key, InboundOutcome outcome, DateTimeOffset receivedAt, int bodyBytes = 4)
    {
        var message = InboundMessage.Receive(InboundSource.Imap, key, Encoding.ASCII.GetBytes($"Subject: {key}\r\n\r\n{new string('b', bodyBytes)}\r\n"), receivedAt);
        var kind = outcome == InboundOutcome.Unparseable ? MessageKind.Unparseable : MessageKind.Bounce;
        message.RecordClassification(outcome, kind, "rfc3464", kind == MessageKind.Unparseable ? "no header" : null, EngineVersion.Current, receivedAt);
        await Database.SeedAsync(message);
        return message.Id;
    }

    private async Task<HashSet<long>> WithRawBytesAsync()
    {
        await using var db = Database.CreateContext();
        return (await db.InboundMessages.Where(m => m.RawContent != null).Select(m => m.Id).ToListAsync()).ToHashSet();
    }

    [Fact]
    public async Task RunAsync_ShouldDropOnlyOldMatchedMessagesBytes_WhenTheRetentionHasPassed()
    {
        var now = Time.GetUtcNow();
        var oldMatched = await SeedMessageAsync("box:1:1", InboundOutcome.Matched, now.AddDays(-91));
        var oldUnmatched = await SeedMessageAsync("box:1:2", InboundOutcome.Unmatched, now.AddDays(-200));
        var oldUnparseable = await SeedMessageAsync("box:1:3", InboundOutcome.Unparseable, now.AddDays(-200));
        var recentMatched = await SeedMessageAsync("box:1:4", InboundOutcome.Matched, now.AddDays(-89));

        var dropped = await CreateJob().RunAsync(CancellationToken.None);
        var again = await CreateJob().RunAsync(CancellationToken.None);

        Assert.Equal((1, 0), (dropped, again));
        Assert.Equal(new HashSet<long> { oldUnmatched, oldUnparseable, recentMatched }, await WithRawBytesAsync());
        await using var db = Database.CreateContext();
        var purged = await db.InboundMessages.SingleAsync(m => m.Id == oldMatched);
        Assert.Equal(now, purged.RawContentDroppedAt);
        Assert.False(string.IsNullOrEmpty(purged.ContentHash));
    }

    [Fact]
    public async Task RunAsync_ShouldWorkThroughTheWholeBacklog_WhenItIsLargerThanOneBatch()
    {
        var now = Time.GetUtcNow();
        for (var i = 0; i < PurgeRawContentJob.BatchSize + 7; i++)
        {
            await SeedMessageAsync($"box:1:{i}", InboundOutcome.Matched, now.AddDays(-10));
        }

        var dropped = await CreateJob(retentionDays: 7).RunAsync(CancellationToken.None);

        Assert.Equal(PurgeRawContentJob.BatchSize + 7, dropped);
        Assert.Empty(await WithRawBytesAsync());
    }

    [Fact]
    public async Task RunAsync_ShouldDropEveryLargeMessage_WhenBatchesAreCutByBytes()
    {
        // Three messages of 20 MB: a batch stops before passing 32 MB, so each transaction loads one, and all three go.
        var now = Time.GetUtcNow();
        for (var i = 0; i < 3; i++)
        {
            await SeedMessageAsync($"box:2:{i}", InboundOutcome.Matched, now.AddDays(-100), bodyBytes: 20 * 1024 * 1024);
        }

        var dropped = await CreateJob().RunAsync(CancellationToken.None);

        Assert.Equal(3, dropped);
        Assert.Empty(await WithRawBytesAsync());
    }

    [Fact]
    public void Register_ShouldScheduleThePurgeDaily_WhenTheAppStarts()
    {
        var jobs = new RecordingJobManager();

        RecurringJobs.Register(jobs);

        var (id, job, cron) = Assert.Single(jobs.Added, j => j.Id == JobIds.PurgeRawContent);
        Assert.Equal((JobIds.PurgeRawContent, typeof(PurgeRawContentJob), nameof(PurgeRawContentJob.RunAsync)), (id, job.Type, job.Method.Name));
        Assert.Equal(RecurringJobs.PurgeRawContentCron, cron);
    }

    /// <summary>Hangfire's recurring-job interface, recording what was scheduled (Hangfire's "Writing unit tests" advice).</summary>
    private sealed class RecordingJobManager : IRecurringJobManager
    {
        public List<(string Id, Job Job, string Cron)> Added { get; } = [];

        public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options) =>
            Added.Add((recurringJobId, job, cronExpression));

        public void Trigger(string recurringJobId) => throw new NotSupportedException();

        public void RemoveIfExists(string recurringJobId) => throw new NotSupportedException();
    }
}
