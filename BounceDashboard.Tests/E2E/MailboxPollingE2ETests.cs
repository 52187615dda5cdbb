using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Polling;
using MailKit;
using MailKit.Security;
using Xunit;

namespace BounceDashboard.Tests.E2E;

/// <summary>
/// <see cref="Web.Jobs.PollMailboxJob"/> against the local Dovecot over IMAP and POP3, nothing mocked: a real RFC 3464
/// report carrying a signed token and a person's reply go into the bounce mailbox, a poll matches and moves (IMAP) or
/// deletes (POP3) the report and keeps the reply, and a second poll changes nothing. The POP3 poll reads the whole
/// shared INBOX, so these tests run alone (<see cref="MailStackCollectionDefinition"/>, shared with the mail stack's own tests).
/// </summary>
[Trait("Category", TestCategories.E2E)]
[Collection(MailStackCollectionDefinition.Name)]
public sealed class MailboxPollingE2ETests : PollerScenario
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];

    [MailStackFact]
    public async Task RunAsync_ShouldMatchMoveAndKeepTheReply_WhenPollingImap()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        var folderName = $"PollTest{_run}";
        var mailbox = PollerMailServers.Mailbox("e2e-imap", MailboxKind.Imap);
        mailbox.Folder = folderName;
        mailbox.ProcessedFolder = $"PollTest{_run}Done";
        var uidValidity = await PollerMailServers.FillFolderAsync(
            folderName,
            PollerMailServers.Tagged(InboundFixtures.UserUnknownDsnWithToken(delivery.Token!), _run),
            PollerMailServers.Tagged(FixtureFiles.Robustness("plain-message.eml"), _run));

        try
        {
            var job = CreateJob(mailbox);
            var first = await job.RunAsync(mailbox.Name, CancellationToken.None);
            var counts = await CountAsync();
            var second = await job.RunAsync(mailbox.Name, CancellationToken.None);

            Assert.Equal(new MailboxPollResult(Read: 2, Stored: 2, Duplicates: 0, Processed: 1, NotBounces: 1), first);
            Assert.Equal(MailboxPollResult.Empty, second);
            Assert.Equal((2, 1, 1), counts);
            Assert.Equal(counts, await CountAsync());
            Assert.Equal(DeliveryState.HardBounced, (await LoadDeliveryAsync(delivery.Id)).State);
            Assert.Equal(InboundOutcome.Matched, (await StoredOutcomesAsync())[$"e2e-imap:{uidValidity}:1"]);
            Assert.Single(await PollerMailServers.FindRunAsync(folderName, _run));
            Assert.Single(await PollerMailServers.FindRunAsync(mailbox.ProcessedFolder, _run));
            var watermark = await LoadWatermarkAsync(mailbox.Name);
            Assert.Equal(((long?)uidValidity, 2L), (watermark!.UidValidity, watermark.LastUid));
        }
        finally
        {
            await DeleteFoldersAsync(folderName, mailbox.ProcessedFolder);
        }
    }

    [MailStackFact]
    public async Task RunAsync_ShouldMoveTheReplyToTheNotBounceFolder_WhenOneIsConfigured()
    {
        var folderName = $"PollTest{_run}";
        var mailbox = PollerMailServers.Mailbox("e2e-imap-replies", MailboxKind.Imap);
        mailbox.Folder = folderName;
        mailbox.ProcessedFolder = $"PollTest{_run}Done";
        mailbox.NotBounceFolder = $"PollTest{_run}Replies";
        await PollerMailServers.FillFolderAsync(folderName, PollerMailServers.Tagged(FixtureFiles.Robustness("plain-message.eml"), _run));

        try
        {
            var result = await CreateJob(mailbox).RunAsync(mailbox.Name, CancellationToken.None);

            Assert.Equal(new MailboxPollResult(Read: 1, Stored: 1, Duplicates: 0, Processed: 0, NotBounces: 1), result);
            Assert.Empty(await PollerMailServers.FindRunAsync(folderName, _run));
            Assert.Single(await PollerMailServers.FindRunAsync(mailbox.NotBounceFolder, _run));
            Assert.Equal(InboundOutcome.NotABounce, Assert.Single(await StoredOutcomesAsync()).Value);
        }
        finally
        {
            await DeleteFoldersAsync(folderName, mailbox.ProcessedFolder, mailbox.NotBounceFolder);
        }
    }

    [MailStackFact]
    public async Task RunAsync_ShouldCountNothingTwiceAndLoseNothing_WhenTheImapMoveFailsAfterTheCommit()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        var folderName = $"PollTest{_run}";
        var processedName = $"PollTest{_run}Done";
        var mailbox = PollerMailServers.Mailbox("e2e-imap-crash", MailboxKind.Imap);
        mailbox.Folder = folderName;

        string refusedName;
        using (var client = await PollerMailServers.ConnectImapAsync())
        {
            // A folder name holding the hierarchy separator cannot be created at the top: the move after the commit
            // fails, as a crash there would stop it.
            refusedName = $"PollTest{_run}Refused{client.PersonalNamespaces[0].DirectorySeparator}Name";
            mailbox.ProcessedFolder = refusedName;
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            var folder = await root.CreateAsync(folderName, isMessageFolder: true) ?? await client.GetFolderAsync(folderName);
            await folder.AppendAsync(PollerMailServers.Tagged(InboundFixtures.UserUnknownDsnWithToken(delivery.Token!), _run));
            await client.DisconnectAsync(quit: true);
        }

        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => CreateJob(mailbox).RunAsync(mailbox.Name, CancellationToken.None));
            var afterCrash = await CountAsync();
            Assert.NotNull((await LoadWatermarkAsync(mailbox.Name))!.LastError);
            Assert.Single(await PollerMailServers.FindRunAsync(folderName, _run));

            mailbox.ProcessedFolder = processedName;
            Time.Advance(TimeSpan.FromMinutes(1));
            var next = await CreateJob(mailbox).RunAsync(mailbox.Name, CancellationToken.None);

            Assert.Equal((1, 1, 1), afterCrash);
            Assert.Equal(new MailboxPollResult(Read: 0, Stored: 0, Duplicates: 0, Processed: 1, NotBounces: 0), next);
            Assert.Equal(afterCrash, await CountAsync());
            Assert.Equal(DeliveryState.HardBounced, (await LoadDeliveryAsync(delivery.Id)).State);
            Assert.Empty(await PollerMailServers.FindRunAsync(folderName, _run));
            Assert.Single(await PollerMailServers.FindRunAsync(processedName, _run));
            Assert.False((await LoadWatermarkAsync(mailbox.Name))!.IsFailing);
        }
        finally
        {
            await DeleteFoldersAsync(folderName, processedName, refusedName, "Refused*Name");
        }
    }

    [MailStackFact]
    public async Task RunAsync_ShouldMatchDeleteAndKeepTheReply_WhenPollingPop3()
    {
        var (_, delivery) = await SeedSentDeliveryAsync();
        await PollerMailServers.SendToBounceMailboxAsync(PollerMailServers.Tagged(InboundFixtures.UserUnknownDsnWithToken(delivery.Token!), _run));
        await PollerMailServers.SendToBounceMailboxAsync(PollerMailServers.Tagged(FixtureFiles.Robustness("plain-message.eml"), _run));
        await PollerMailServers.WaitForDeliveryAsync(_run, 2);
        var mailbox = PollerMailServers.Mailbox("e2e-pop3", MailboxKind.Pop3);
        var job = CreateJob(mailbox);

        var first = await job.RunAsync(mailbox.Name, CancellationToken.None);
        var counts = await CountAsync();
        var second = await job.RunAsync(mailbox.Name, CancellationToken.None);

        // The INBOX may hold what other runs left (counted too): this run's report is matched and deleted, its reply kept.
        Assert.True(first.Stored >= 2 && first.Processed >= 1 && first.NotBounces >= 1, first.ToString());
        Assert.Equal((0, 0, 0), (second.Read, second.Stored, second.Processed));
        Assert.Equal(counts, await CountAsync());
        Assert.Equal(DeliveryState.HardBounced, (await LoadDeliveryAsync(delivery.Id)).State);
        var remaining = await PollerMailServers.FindRunAsync("INBOX", _run);
        Assert.Single(remaining);
        var watermark = await LoadWatermarkAsync(mailbox.Name);
        Assert.False(watermark!.IsFailing);

        // Leave the INBOX as found: the reply this run kept goes.
        using var client = await PollerMailServers.ConnectImapAsync();
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        await inbox.AddFlagsAsync(remaining, MessageFlags.Deleted, silent: true);
        await inbox.ExpungeAsync();
        await client.DisconnectAsync(quit: true);
    }

    [MailStackFact]
    public async Task RunAsync_ShouldRecordTheFailureAndThrow_WhenTheCredentialsAreRefused()
    {
        var mailbox = PollerMailServers.Mailbox("e2e-refused", MailboxKind.Imap);
        mailbox.Password = "wrong-password";

        await Assert.ThrowsAsync<AuthenticationException>(() => CreateJob(mailbox).RunAsync(mailbox.Name, CancellationToken.None));

        var watermark = await LoadWatermarkAsync(mailbox.Name);
        Assert.True(watermark!.IsFailing);
        Assert.StartsWith(nameof(AuthenticationException), watermark.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(Logs.Logs, log => log.Message.Contains("wrong-password", StringComparison.Ordinal));
    }

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
}
