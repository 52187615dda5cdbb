using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Web.Mail;

/// <summary>One raw message read from a source, or the reason the source could not be read.</summary>
/// <param name="Name">The file path, <c>PATH#N</c> for the N-th message of an mbox, or <c>-</c> for standard input.</param>
/// <param name="Content">The message bytes, unchanged (mbox messages without their From_ line and with >From unquoted).</param>
/// <param name="Error">Why the source could not be read; null when <paramref name="Content"/> holds a message.</param>
public sealed record SourceMessage(string Name, ReadOnlyMemory<byte> Content, string? Error = null)
{
    public bool IsReadable => Error is null;
}

/// <summary>
/// Reads raw messages from .eml files, folders of them (recursively), Maildir folders (cur/ and new/),
/// mbox files (split at From_ lines, mboxrd >From unquoting) and standard input (<c>-</c>, an mbox or one message).
/// Never throws for an unreadable path: it yields a <see cref="SourceMessage"/> carrying the error.
/// </summary>
public sealed class MessageSources(Func<Stream> openStandardInput)
{
    public const string StandardInput = "-";

    private const string EmlExtension = ".eml";
    private const string MboxExtension = ".mbox";
    private const string MaildirTmp = "tmp";
    private static readonly string[] MaildirMessageFolders = ["cur", "new"];

    public IEnumerable<SourceMessage> Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == StandardInput)
        {
            return ReadStandardInput();
        }

        if (Directory.Exists(path))
        {
            return ReadDirectory(path, cancellationToken);
        }

        return File.Exists(path)
            ? ReadFile(path, explicitlyNamed: true)
            : [new SourceMessage(path, ReadOnlyMemory<byte>.Empty, "no such file or directory")];
    }

    private IEnumerable<SourceMessage> ReadStandardInput()
    {
        byte[] content;
        try
        {
            using var input = openStandardInput();
            using var buffer = new MemoryStream();
            input.CopyTo(buffer);
            content = buffer.ToArray();
        }
        catch (IOException ex)
        {
            return [new SourceMessage(StandardInput, ReadOnlyMemory<byte>.Empty, ex.Message)];
        }

        return MboxSplitter.IsMbox(content) ? Name(StandardInput, MboxSplitter.Split(content)) : [new SourceMessage(StandardInput, content)];
    }

    private static IEnumerable<SourceMessage> ReadDirectory(string directory, CancellationToken cancellationToken)
    {
        var isMaildir = MaildirMessageFolders.Any(folder => Directory.Exists(Path.Combine(directory, folder)));
        if (isMaildir)
        {
            foreach (var folder in MaildirMessageFolders)
            {
                var messageFolder = Path.Combine(directory, folder);
                if (!Directory.Exists(messageFolder))
                {
                    continue;
                }

                foreach (var item in ListOrError(messageFolder, dir => Directory.GetFiles(dir)))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (item.Error is not null)
                    {
                        yield return item;
                    }
                    else if (!Path.GetFileName(item.Name).StartsWith('.'))
                    {
                        // Maildir file names carry no extension and each file is one message.
                        foreach (var message in ReadFile(item.Name, explicitlyNamed: false, forceSingle: true))
                        {
                            yield return message;
                        }
                    }
                }
            }
        }

        foreach (var item in ListOrError(directory, dir => Directory.GetFiles(dir)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (item.Error is not null)
            {
                yield return item;
            }
            else if (HasExtension(item.Name, EmlExtension) || HasExtension(item.Name, MboxExtension))
            {
                foreach (var message in ReadFile(item.Name, explicitlyNamed: false))
                {
                    yield return message;
                }
            }
        }

        foreach (var item in ListOrError(directory, dir => Directory.GetDirectories(dir)))
        {
            if (item.Error is not null)
            {
                yield return item;
                continue;
            }

            var name = Path.GetFileName(item.Name);
            if (isMaildir && (MaildirMessageFolders.Contains(name, StringComparer.Ordinal) || name == MaildirTmp))
            {
                continue;
            }

            foreach (var message in ReadDirectory(item.Name, cancellationToken))
            {
                yield return message;
            }
        }
    }

    private static IEnumerable<SourceMessage> ListOrError(string directory, Func<string, string[]> list)
    {
        try
        {
            var entries = list(directory);
            Array.Sort(entries, StringComparer.Ordinal);
            return entries.Select(entry => new SourceMessage(entry, ReadOnlyMemory<byte>.Empty));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [new SourceMessage(directory, ReadOnlyMemory<byte>.Empty, ex.Message)];
        }
    }

    private static IEnumerable<SourceMessage> ReadFile(string path, bool explicitlyNamed, bool forceSingle = false)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [new SourceMessage(path, ReadOnlyMemory<byte>.Empty, ex.Message)];
        }

        // A file named on the command line or ending in .mbox that starts with a From_ line is an mbox. An .eml file
        // is one message unless it holds several (a mailbox saved under that name): then each is read on its own.
        var mbox = !forceSingle && !HasExtension(path, EmlExtension) && (explicitlyNamed || HasExtension(path, MboxExtension))
            && MboxSplitter.IsMbox(content);
        return mbox ? Name(path, MboxSplitter.Split(content))
            : forceSingle ? [new SourceMessage(path, content)]
            : Name(path, MboxSplitter.MessagesInFile(content));
    }

    private static IEnumerable<SourceMessage> Name(string source, IReadOnlyList<ReadOnlyMemory<byte>> messages) =>
        messages.Count == 1
            ? [new SourceMessage(source, messages[0])]
            : messages.Select((message, index) => new SourceMessage($"{source}#{index + 1}", message));

    private static bool HasExtension(string path, string extension) =>
        path.EndsWith(extension, StringComparison.OrdinalIgnoreCase);
}
