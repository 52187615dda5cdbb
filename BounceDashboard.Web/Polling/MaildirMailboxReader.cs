using BounceDashboard.Web.Options;

namespace BounceDashboard.Web.Polling;

/// <summary>
/// Reads a local Maildir (files in new/ and cur/) as a bounce mailbox. Source key <c>Name:FILE</c>, the file name
/// without its flags (<c>:2,S</c>), which Maildir readers change when they mark a message seen. After its commit, a
/// bounce moves to the Maildir++ subfolder <c>.Processed</c> (same new/ or cur/, same file name); mail that is not a
/// bounce stays where it is, and its stored key keeps it from being read again.
/// </summary>
public sealed class MaildirMailboxReader(MailboxPoller poller, ILogger<MaildirMailboxReader> logger)
{
    private static readonly string[] MessageFolders = ["new", "cur"];

    public async Task<MailboxPollResult> PollAsync(MailboxOptions mailbox, PollTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(tally);
        var root = mailbox.Path ?? throw new InvalidOperationException($"Mailbox '{mailbox.Name}' has no Path.");
        if (!MessageFolders.Any(folder => Directory.Exists(Path.Combine(root, folder))))
        {
            throw new DirectoryNotFoundException($"Mailbox '{mailbox.Name}': {root} is not a Maildir (no new/ or cur/).");
        }

        var files = MessageFolders
            .Select(folder => Path.Combine(root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder).Select(path => (Folder: Path.GetFileName(folder), Path: path)))
            .Where(file => !Path.GetFileName(file.Path).StartsWith('.'))
            .OrderBy(file => Path.GetFileName(file.Path), StringComparer.Ordinal)
            .Select(file => new MaildirFile(file.Folder, file.Path, KeyFor(mailbox.Name, Path.GetFileName(file.Path))))
            .ToList();
        var stored = await poller.FindStoredAsync(mailbox.Source, files.Select(f => f.Key).ToList(), cancellationToken);

        tally.Listed(files.Count);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = await poller.OutcomeOfAsync(mailbox, file.Key, stored, ct => ReadAsync(file.Path, ct), tally, cancellationToken);
            if (outcome is null)
            {
                // Moved or deleted by another reader since the listing: nothing to do.
                tally.LeftAlone();
                continue;
            }

            if (MailboxPoller.IsKept(outcome.Value))
            {
                tally.NotBounce();
                continue;
            }

            // Only after the commit: a failure here leaves the file, and the next poll finds its key stored and moves it.
            MoveToProcessed(root, mailbox.ProcessedFolder, file);
            tally.Processed();
        }

        await poller.RecordSuccessAsync(mailbox.Name, uidValidity: null, tally, cancellationToken);
        var result = tally.ToResult();
        logger.LogInformation(
            "Polled Maildir mailbox {Mailbox}: {Read} read, {Stored} stored, {Duplicates} duplicates, {Processed} moved, {NotBounces} not bounces kept",
            mailbox.Name, result.Read, result.Stored, result.Duplicates, result.Processed, result.NotBounces);
        return result;
    }

    /// <summary><c>Name:FILE</c>, the file name without its Maildir info (<c>:2,FLAGS</c>).</summary>
    public static string KeyFor(string mailboxName, string fileName)
    {
        var info = fileName.IndexOf(":2,", StringComparison.Ordinal);
        return $"{mailboxName}:{(info >= 0 ? fileName[..info] : fileName)}";
    }

    private static async Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static void MoveToProcessed(string root, string processedFolder, MaildirFile file)
    {
        var target = Path.Combine(root, "." + processedFolder);
        foreach (var folder in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(target, folder));
        }

        var destination = Path.Combine(target, file.Folder, Path.GetFileName(file.Path));
        if (File.Exists(file.Path))
        {
            File.Move(file.Path, destination, overwrite: true);
        }
    }

    private sealed record MaildirFile(string Folder, string Path, string Key);
}
