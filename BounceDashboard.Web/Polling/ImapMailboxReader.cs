using BounceDashboard.Web.Options;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace BounceDashboard.Web.Polling;

/// <summary>
/// Reads an IMAP folder as a bounce mailbox, one connection per poll. Messages above the watermark's last UID (under
/// the same UIDVALIDITY; all of them under a new one, which the content hash then deduplicates) are downloaded in UID
/// order, each stored with the watermark advance in one transaction (source key <c>Name:UIDVALIDITY:UID</c>), and only
/// then moved to the processed folder: MOVE where the server offers it, otherwise copy, \Deleted and expunge (MailKit's
/// own fallback, UID EXPUNGE with UIDPLUS). Mail that is not a bounce stays in the folder (or goes to the not-bounce
/// folder). Messages under the watermark that are still in the folder and stored as bounces were committed by a poll
/// that failed before moving them: they are moved now, without being read again.
/// </summary>
public sealed class ImapMailboxReader(MailboxPoller poller, ILogger<ImapMailboxReader> logger)
{
    private const int StoredBatch = 500;

    public async Task<MailboxPollResult> PollAsync(MailboxOptions mailbox, PollTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(tally);
        using var client = new ImapClient();
        await MailTransport.ConnectAsync(client, mailbox, cancellationToken);

        var folder = await client.GetFolderAsync(mailbox.Folder, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var uidValidity = (long)folder.UidValidity;
        var (storedValidity, lastUid) = await poller.ReadWatermarkAsync(mailbox.Name, cancellationToken);
        var floor = storedValidity == uidValidity ? lastUid : 0;

        var uids = (await folder.SearchAsync(SearchQuery.All, cancellationToken)).OrderBy(uid => uid.Id).ToList();
        IMailFolder? processedFolder = null;
        IMailFolder? notBounceFolder = null;
        tally.Listed(uids.Count);

        // Under the watermark: only what an earlier poll committed but could not move.
        foreach (var batch in uids.Where(uid => uid.Id <= floor).Chunk(StoredBatch))
        {
            var stored = await poller.FindStoredAsync(mailbox.Source, batch.Select(uid => KeyFor(mailbox.Name, uidValidity, uid)).ToList(), cancellationToken);
            foreach (var uid in batch)
            {
                if (!stored.TryGetValue(KeyFor(mailbox.Name, uidValidity, uid), out var outcome))
                {
                    tally.LeftAlone();
                    continue;
                }

                if (MailboxPoller.IsKept(outcome))
                {
                    if (!string.IsNullOrWhiteSpace(mailbox.NotBounceFolder))
                    {
                        notBounceFolder ??= await GetOrCreateFolderAsync(client, mailbox.NotBounceFolder, cancellationToken);
                        await MoveAsync(client, folder, uid, notBounceFolder, cancellationToken);
                        tally.NotBounce();
                    }
                    else
                    {
                        tally.LeftAlone();
                    }

                    continue;
                }

                processedFolder ??= await GetOrCreateFolderAsync(client, mailbox.ProcessedFolder, cancellationToken);
                await MoveAsync(client, folder, uid, processedFolder, cancellationToken);
                tally.Processed();
            }
        }

        foreach (var uid in uids.Where(uid => uid.Id > floor))
        {
            cancellationToken.ThrowIfCancellationRequested();
            byte[] content;
            using (var stream = await folder.GetStreamAsync(uid, cancellationToken))
            {
                content = await MailTransport.ReadAllAsync(stream, cancellationToken);
            }

            var result = await poller.IngestAsync(mailbox, KeyFor(mailbox.Name, uidValidity, uid), content, (uidValidity, uid.Id), cancellationToken);
            tally.Ingested(result);

            // Only after the commit.
            if (MailboxPoller.IsKept(result.Outcome))
            {
                tally.NotBounce();
                if (!string.IsNullOrWhiteSpace(mailbox.NotBounceFolder))
                {
                    notBounceFolder ??= await GetOrCreateFolderAsync(client, mailbox.NotBounceFolder, cancellationToken);
                    await MoveAsync(client, folder, uid, notBounceFolder, cancellationToken);
                }

                continue;
            }

            processedFolder ??= await GetOrCreateFolderAsync(client, mailbox.ProcessedFolder, cancellationToken);
            await MoveAsync(client, folder, uid, processedFolder, cancellationToken);
            tally.Processed();
        }

        await poller.RecordSuccessAsync(mailbox.Name, uidValidity, tally, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        var counts = tally.ToResult();
        logger.LogInformation(
            "Polled IMAP mailbox {Mailbox}: {Read} read, {Stored} stored, {Duplicates} duplicates, {Processed} moved, {NotBounces} not bounces",
            mailbox.Name, counts.Read, counts.Stored, counts.Duplicates, counts.Processed, counts.NotBounces);
        return counts;
    }

    /// <summary><c>Name:UIDVALIDITY:UID</c>.</summary>
    public static string KeyFor(string mailboxName, long uidValidity, UniqueId uid) => $"{mailboxName}:{uidValidity}:{uid.Id}";

    private static async Task MoveAsync(ImapClient client, IMailFolder source, UniqueId uid, IMailFolder destination, CancellationToken cancellationToken)
    {
        // MailKit moves with MOVE where offered; otherwise it copies, flags \Deleted and, with UIDPLUS, expunges that
        // UID alone. Without UIDPLUS the flagged message needs a plain EXPUNGE.
        await source.MoveToAsync(uid, destination, cancellationToken);
        if (!client.Capabilities.HasFlag(ImapCapabilities.Move) && !client.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            await source.ExpungeAsync(cancellationToken);
        }
    }

    private static async Task<IMailFolder> GetOrCreateFolderAsync(ImapClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFolderAsync(name, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(name, isMessageFolder: true, cancellationToken)
                ?? await client.GetFolderAsync(name, cancellationToken);
        }
    }
}
