using System.Data.Common;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Polling;
using MailKit;
using MailKit.Net.Pop3;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Xunit;

namespace BounceDashboard.Tests.E2E;

/// <summary>
/// The poller stopped dead between a commit and the mailbox change that follows it (the IMAP move, the POP3 DELE and
/// QUIT), against the local Dovecot: the poll's own token is cancelled the moment the chosen commit returns, so the
/// reader makes no further call and its connection is dropped without LOGOUT or QUIT, as a killed process's would be.
/// The next poll (after the lease a killed poll would leave has expired) must count nothing twice and lose nothing;
/// the mailbox is checked over IMAP and POP3. <see cref="MailboxPollingE2ETests"/> covers the other crash, a move that
/// fails (the processed folder cannot be created).
/// </summary>
[Trait("Category", TestCategories.E2E)]
[Collection(MailStackCollectionDefinition.Name)]
public sealed class MailboxCrashE2ETests : PollerScenario
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];

    [MailStackFact]
    public async Task RunAsync_ShouldMoveTheCommittedBounceWithoutCountingItAgain_WhenTheImapPollIsKilledBeforeTheMove()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        var folderName = $"CrashTest{_run}";
        var mailbox = PollerMailServers.Mailbox("e2e-imap-killed", MailboxKind.Imap);
        mailbox.Folder = folderName;
        mailbox.ProcessedFolder = $"CrashTest{_run}Done";
        await PollerMailServers.FillFolderAsync(
            folderName,
            PollerMailServers.Tagged(InboundFixtures.UserUnknownDsnWithToken(delivery.Token!), _run),
            PollerMailServers.Tagged(InboundFixtures.UserUnknownDsnWithToken("unknown-token"), _run));

        try
        {
            using var kill = new KillAfterCommits(1);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateJob(KillingFactory(kill), mailbox).RunAsync(mailbox.Name, kill.Token));
            var afterKill = await CountAsync();
            Assert.Equal((1, 1, 1), afterKill);
            Assert.Equal(InboundOutcome.Matched, Assert.Single(await StoredOutcomesAsync()).Value);
            Assert.Equal(2, (await PollerMailServers.FindRunAsync(folderName, _run)).Count);

            Time.Advance(mailbox.LeaseDuration);
            var next = await CreateJob(mailbox).RunAsync(mailbox.Name, CancellationToken.None);
            var again = await CreateJob(mailbox).RunAsync(mailbox.Name, CancellationToken.None);

            // The committed bounce is moved without being read again; the other is read, stored and moved.
            Assert.Equal(new MailboxPollResult(Read: 1, Stored: 1, Duplicates: 0, Processed: 2, NotBounces: 0), next);
            Assert.Equal(MailboxPollResult.Empty, again);
            var counts = await CountAsync();
            Assert.Equal((2, 2), (counts.Messages, counts.Events));
            Assert.Equal(DeliveryState.HardBounced, (await LoadDeliveryAsync(delivery.Id)).State);
            Assert.Empty(await PollerMailServers.FindRunAsync(folderName, _run));
            Assert.Equal(2, (await PollerMailServers.FindRunAsync(mailbox.ProcessedFolder, _run)).Count);
        }
        finally
        {
            await DeleteFoldersAsync(folderName, mailbox.ProcessedFolder);
        }
    }

    [MailStackFact]
    public async Task RunAsync_ShouldDeleteTheCommittedBouncesWithoutCountingThemAgain_WhenThePop3PollIsKilledBeforeQuit()
    {
        // POP3 reads the whole INBOX of the test-only bounce mailbox: empty it first (this collection runs one test at a time).
        await EmptyInboxAsync();
        var (_, delivery) = await SeedSentDeliveryAsync();
        await PollerMailServers.SendToBounceMailboxAsync(PollerMailServers.Tagged(InboundFixtures.UserUnknownDsnWithToken(delivery.Token!), _run));
        await PollerMailServers.SendToBounceMailboxAsync(PollerMailServers.Tagged(InboundFixtures.UserUnknownDsnWithToken("unknown-token"), _run));
        await PollerMailServers.WaitForDeliveryAsync(_run, 2);
        var mailbox = PollerMailServers.Mailbox("e2e-pop3-killed", MailboxKind.Pop3);

        // Killed after the second commit: the first report was already marked deleted (DELE), but POP3 deletes only at QUIT.
        using var kill = new KillAfterCommits(2);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateJob(KillingFactory(kill), mailbox).RunAsync(mailbox.Name, kill.Token));
        var afterKill = await CountAsync();
        var leftByKill = await CountRunOverPop3Async();

        Time.Advance(mailbox.LeaseDuration);
        var next = await CreateJob(mailbox).RunAsync(mailbox.Name, CancellationToken.None);
        var again = await CreateJob(mailbox).RunAsync(mailbox.Name, CancellationToken.None);

        Assert.Equal((2, 2), (afterKill.Messages, afterKill.Events));
        Assert.Equal(2, leftByKill);

        // Both found stored by UIDL: deleted without being downloaded again.
        Assert.Equal(new MailboxPollResult(Read: 0, Stored: 0, Duplicates: 0, Processed: 2, NotBounces: 0), next);
        Assert.Equal(MailboxPollResult.Empty, again);
        Assert.Equal(afterKill, await CountAsync());
        Assert.Equal(DeliveryState.HardBounced, (await LoadDeliveryAsync(delivery.Id)).State);
        Assert.Equal(0, await CountRunOverPop3Async());
        Assert.Empty(await PollerMailServers.FindRunAsync("INBOX", _run));
    }

    private static async Task EmptyInboxAsync()
    {
        using var client = await PollerMailServers.ConnectImapAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        if (client.Inbox.Count > 0)
        {
            await client.Inbox.AddFlagsAsync(await client.Inbox.SearchAsync(MailKit.Search.SearchQuery.All), MessageFlags.Deleted, silent: true);
            await client.Inbox.ExpungeAsync();
        }

        await client.DisconnectAsync(quit: true);
    }

    /// <summary>This run's messages in the bounce mailbox, seen over POP3 (a fresh session sees the drop as it is now).</summary>
    private async Task<int> CountRunOverPop3Async()
    {
        using var pop3 = new Pop3Client();
        await pop3.ConnectAsync(PollerMailServers.Host, PollerMailServers.Pop3Port, SecureSocketOptions.None);
        await pop3.AuthenticateAsync(PollerMailServers.UserName, PollerMailServers.Password);
        var count = 0;
        for (var i = 0; i < pop3.Count; i++)
        {
            if ((await pop3.GetMessageHeadersAsync(i))[PollerMailServers.RunHeader] == _run)
            {
                count++;
            }
        }

        await pop3.DisconnectAsync(quit: true);
        return count;
    }

    /// <summary>The test's database, with <paramref name="kill"/> watching every commit.</summary>
    private InterceptedFactory KillingFactory(KillAfterCommits kill) =>
        new InterceptedFactory(new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite(Database.Connection).AddInterceptors(kill).Options);

    private static async Task DeleteFoldersAsync(params string[] names)
    {
        using var client = await PollerMailServers.ConnectImapAsync();
        foreach (var name in names)
        {
            try
            {
                await (await client.GetFolderAsync(name)).DeleteAsync();
            }
            catch (FolderNotFoundException)
            {
                // Never created.
            }
        }

        await client.DisconnectAsync(quit: true);
    }

    private sealed class InterceptedFactory(DbContextOptions<SqliteBounceDbContext> options) : IDbContextFactory<BounceDbContext>
    {
        public BounceDbContext CreateDbContext() => new SqliteBounceDbContext(options);
    }

    /// <summary>Cancels <see cref="Token"/> as soon as the <c>n</c>-th transaction that stored an inbound message commits.</summary>
    private sealed class KillAfterCommits(int commits) : DbTransactionInterceptor, ISaveChangesInterceptor, IDisposable
    {
        private readonly CancellationTokenSource _kill = new();
        private bool _storing;
        private int _committed;

        public CancellationToken Token => _kill.Token;

        public void Dispose() => _kill.Dispose();

        public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            _storing |= eventData.Context!.ChangeTracker.Entries<InboundMessage>().Any(e => e.State == EntityState.Added);
            return ValueTask.FromResult(result);
        }

        public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (_storing && ++_committed == commits)
            {
                await _kill.CancelAsync();
            }

            _storing = false;
        }

        public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            _storing = false;
            return Task.CompletedTask;
        }
    }
}
