using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Queries;
using BounceDashboard.Web.Sending;
using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Queries;

/// <summary>
/// <see cref="HealthQueries"/> on a real SQLite database with the app's migrations, and a real Hangfire storage (the
/// in-memory one the SQLite setup runs on) holding the app's recurring jobs and job results.
/// </summary>
public sealed class HealthQueriesTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly InMemoryStorage _storage = NewStorage();
    private readonly MailboxesOptions _mailboxes = new();
    private SqliteDatabase _database = default!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    public void Dispose() => _storage.Dispose();

    /// <summary>
    /// Hangfire logs through a global provider, which the in-process app tests set to their own logger factory and
    /// dispose with the app: a storage created after that would fail to get its logger. This test logs nothing.
    /// </summary>
    private static InMemoryStorage NewStorage()
    {
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        return new InMemoryStorage(new InMemoryStorageOptions());
    }

    private HealthQueries CreateQueries(DatabaseProvider provider = DatabaseProvider.Sqlite) => new(
        _database.Factory,
        new MailboxHealthQueries(_database.Factory, Microsoft.Extensions.Options.Options.Create(_mailboxes), _time),
        _storage,
        Microsoft.Extensions.Options.Options.Create(new DatabaseOptions { Provider = provider }),
        _time,
        NullLogger<HealthQueries>.Instance);

    private static Campaign NewCampaign(string name, CampaignState state)
    {
        var campaign = Campaign.Create(name, CampaignKind.Regular, "news@mail.example.com", $"{name} subject", Now.AddDays(-3));
        campaign.SetContent(null, "<p>Hello</p>", null);
        switch (state)
        {
            case CampaignState.Scheduled:
                campaign.Schedule(Now.AddDays(1), Now.AddDays(-3));
                break;
            case CampaignState.InProgress:
                campaign.StartSending(Now.AddDays(-2));
                break;
            case CampaignState.Paused:
                campaign.StartSending(Now.AddDays(-2));
                campaign.Pause("Checking the list", Now.AddDays(-1));
                break;
            case CampaignState.Sent:
                campaign.StartSending(Now.AddDays(-2));
                campaign.MarkSent(Now.AddDays(-1));
                break;
            case CampaignState.Draft:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }

        return campaign;
    }

    [Fact]
    public async Task GetAsync_ShouldCountWaitingDueAndSendingDeliveries_WhenCampaignsAreSending()
    {
        var running = NewCampaign("Running", CampaignState.InProgress);
        var paused = NewCampaign("Paused", CampaignState.Paused);
        var sent = NewCampaign("Sent", CampaignState.Sent);
        var contacts = Enumerable.Range(1, 6).Select(i => new ContactBuilder().WithEmail($"reader{i}@example.com").Build()).ToArray();
        await _database.SeedAsync([running, paused, sent, NewCampaign("Later", CampaignState.Scheduled), NewCampaign("Draft", CampaignState.Draft), .. contacts]);

        var dueFirst = Delivery.Create(running.Id, contacts[0].Id, Now.AddHours(-2));
        var dueSecond = Delivery.Create(running.Id, contacts[1].Id, Now.AddMinutes(-5));
        var retryLater = Delivery.Create(paused.Id, contacts[2].Id, Now.AddDays(-1));
        retryLater.BeginAttempt(Now.AddDays(-1), "<r@mail.example.com>");
        retryLater.ScheduleRetry(Now.AddDays(-1), Now.AddHours(3), "451 4.2.1 Try later", BounceReason.MailboxFull);
        var sending = Delivery.Create(running.Id, contacts[3].Id, Now.AddHours(-1));
        sending.BeginAttempt(Now.AddMinutes(-1), "<s@mail.example.com>");
        var delivered = new DeliveryBuilder(running.Id, contacts[4].Id).At(Now.AddHours(-3)).Delivered().Build();
        var oldSending = Delivery.Create(sent.Id, contacts[5].Id, Now.AddDays(-2));
        oldSending.BeginAttempt(Now.AddDays(-2), "<o@mail.example.com>");
        await _database.SeedAsync(dueFirst, dueSecond, retryLater, sending, delivered, oldSending);

        var queue = (await CreateQueries().GetAsync()).SendQueue;

        Assert.Equal(3, queue.Waiting);
        Assert.Equal(2, queue.DueNow);
        Assert.Equal(Now.AddHours(-2), queue.OldestDueAt);
        Assert.Equal(1, queue.Sending);
        Assert.Equal(1, queue.CampaignsInProgress);
        Assert.Equal(1, queue.CampaignsPaused);
        Assert.Equal(1, queue.CampaignsScheduled);
    }

    [Fact]
    public async Task GetAsync_ShouldReportAnEmptyQueue_WhenNothingWaits()
    {
        var snapshot = await CreateQueries().GetAsync();

        Assert.Equal(new SendQueueHealth(0, 0, null, 0, 0, 0, 0), snapshot.SendQueue);
        Assert.Empty(snapshot.Mailboxes);
        Assert.Equal(Now, snapshot.CheckedAt);
        Assert.Equal(EngineVersion.Current, snapshot.Versions.Engine);
        Assert.False(string.IsNullOrWhiteSpace(snapshot.Versions.App));
    }

    [Fact]
    public async Task GetAsync_ShouldGiveTheSqliteFilesSizeFromItsPages_WhenTheProviderIsSqlite()
    {
        long expected;
        await using (var db = _database.CreateContext())
        {
            var pages = await db.Database.SqlQueryRaw<long>("SELECT page_count AS \"Value\" FROM pragma_page_count()").ToListAsync();
            var pageSize = await db.Database.SqlQueryRaw<long>("SELECT page_size AS \"Value\" FROM pragma_page_size()").ToListAsync();
            expected = pages[0] * pageSize[0];
        }

        var database = (await CreateQueries().GetAsync()).Database;

        Assert.Equal(DatabaseProvider.Sqlite, database.Provider);
        Assert.True(expected > 0);
        Assert.Equal(expected, database.SizeBytes);
    }

    [Fact]
    public void SqlFor_ShouldChooseTheProvidersOwnSizeQuery_ForEachProvider()
    {
        Assert.Contains("pragma_page_count()", DatabaseSize.SqlFor(DatabaseProvider.Sqlite), StringComparison.Ordinal);
        Assert.Contains("sys.database_files", DatabaseSize.SqlFor(DatabaseProvider.SqlServer), StringComparison.Ordinal);
        Assert.DoesNotContain("pragma", DatabaseSize.SqlFor(DatabaseProvider.SqlServer), StringComparison.OrdinalIgnoreCase);
        Assert.Throws<InvalidOperationException>(() => DatabaseSize.SqlFor((DatabaseProvider)42));
    }

    [Fact]
    public async Task GetAsync_ShouldPassOnEachMailboxsPolling_WhenMailboxesAreConfigured()
    {
        _mailboxes.Mailboxes.Add(new MailboxOptions { Name = "bounces", Kind = MailboxKind.Maildir, Path = "/var/mail/bounces" });
        _mailboxes.Mailboxes.Add(new MailboxOptions { Name = "new-box", Kind = MailboxKind.Maildir, Path = "/var/mail/new" });
        var watermark = MailboxWatermark.Create("bounces");
        watermark.CountMessages(4, 7);
        watermark.RecordFailure("IOException: disk unreadable", Now.AddMinutes(-1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30));
        await _database.SeedAsync(watermark);

        var mailboxes = (await CreateQueries().GetAsync()).Mailboxes;

        Assert.Equal(["bounces", "new-box"], mailboxes.Select(m => m.Name));
        Assert.Equal(MailboxHealthState.Failing, mailboxes[0].State);
        Assert.Equal("IOException: disk unreadable", mailboxes[0].LastError);
        Assert.Equal(7, mailboxes[0].Backlog);
        Assert.Equal(MailboxHealthState.NotPolledYet, mailboxes[1].State);
    }

    [Fact]
    public async Task GetAsync_ShouldListEveryRecurringJobAndTheOnDemandSend_WhenNothingHasRunYet()
    {
        RecurringJobs.Register(new RecurringJobManager(_storage), [new MailboxOptions { Name = "bounces" }]);

        var jobs = (await CreateQueries().GetAsync()).Jobs;

        Assert.NotNull(jobs);
        Assert.Equal(
            [JobIds.DispatchDeliveries, JobIds.PollMailbox("bounces"), JobIds.PurgeRawContent, JobsHealthReader.SendCampaignId],
            jobs.Jobs.Select(j => j.Id));
        Assert.All(jobs.Jobs, j => Assert.Equal(JobRunState.NotRunYet, j.State));
        Assert.Equal(DispatchDeliveriesJob.Cron, jobs.Jobs[0].Cron);
        Assert.NotNull(jobs.Jobs[0].NextRunAt);
        Assert.Null(jobs.Jobs[^1].Cron);
        Assert.Equal(0, jobs.Servers);
    }

    [Fact]
    public async Task GetAsync_ShouldGiveEachJobsLastSuccessResultAndLastError_WhenTheStorageHoldsThem()
    {
        RecurringJobs.Register(new RecurringJobManager(_storage), [new MailboxOptions { Name = "bounces" }, new MailboxOptions { Name = "other" }]);
        var client = new BackgroundJobClient(_storage);
        client.Create(
            Job.FromExpression<DispatchDeliveriesJob>(j => j.RunAsync(CancellationToken.None)),
            new SucceededState(new DispatchSummary(12, 1, 2, 0, []), 5, 40));
        client.Create(
            Job.FromExpression<PollMailboxJob>(j => j.RunAsync("bounces", CancellationToken.None)),
            new SucceededState(new Web.Polling.MailboxPollResult(5, 4, 1, 5, 0), 5, 40));
        client.Create(
            Job.FromExpression<PollMailboxJob>(j => j.RunAsync("bounces", CancellationToken.None)),
            new FailedState(new InvalidOperationException("IMAP server refused the login")));
        client.Create(
            Job.FromExpression<SendCampaignJob>(j => j.RunAsync(7, CancellationToken.None)),
            new SucceededState(new DispatchSummary(100, 0, 0, 0, [7]), 5, 40));

        var jobs = (await CreateQueries().GetAsync()).Jobs!.Jobs.ToDictionary(j => j.Id);

        var dispatch = jobs[JobIds.DispatchDeliveries];
        Assert.NotNull(dispatch.LastSuccessAt);
        Assert.Equal(13, dispatch.Processed);
        Assert.Equal("12 accepted, 1 refused, 2 not sent", dispatch.LastResult);
        Assert.Null(dispatch.LastError);

        var poll = jobs[JobIds.PollMailbox("bounces")];
        Assert.Equal(5, poll.Processed);
        Assert.Equal("5 read, 4 stored", poll.LastResult);
        Assert.Equal("InvalidOperationException: IMAP server refused the login", poll.LastError);
        Assert.NotNull(poll.LastErrorAt);

        // The other mailbox's job is told apart by its argument: the first mailbox's runs are not its runs.
        var other = jobs[JobIds.PollMailbox("other")];
        Assert.Null(other.LastSuccessAt);
        Assert.Null(other.LastError);

        var send = jobs[JobsHealthReader.SendCampaignId];
        Assert.Equal(JobRunState.Succeeded, send.State);
        Assert.Equal(100, send.Processed);
    }

    [Fact]
    public async Task GetAsync_ShouldStillAnswerWithTheJobsError_WhenTheJobStorageFails()
    {
        var queries = new HealthQueries(
            _database.Factory,
            new MailboxHealthQueries(_database.Factory, Microsoft.Extensions.Options.Options.Create(_mailboxes), _time),
            new FailingStorage(),
            Microsoft.Extensions.Options.Options.Create(new DatabaseOptions()),
            _time,
            NullLogger<HealthQueries>.Instance);

        var snapshot = await queries.GetAsync();

        Assert.Null(snapshot.Jobs);
        Assert.Contains("storage offline", snapshot.JobsError, StringComparison.Ordinal);
        Assert.Equal(0, snapshot.SendQueue.Waiting);
    }

    private sealed class FailingStorage : JobStorage
    {
        public override Hangfire.Storage.IMonitoringApi GetMonitoringApi() => throw new InvalidOperationException("storage offline");

        public override Hangfire.Storage.IStorageConnection GetConnection() => throw new InvalidOperationException("storage offline");
    }
}
