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
    private const int MboxStartLength = 5;
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

    private IEnumerable<SourceMessage> ReadStandardInput() =>
        ReadStream(StandardInput, openStandardInput, mboxAllowed: true, forceSingle: false, allowSeveralInOne: false);

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
        // A file named on the command line or ending in .mbox that starts with a From_ line is an mbox, split as it is
        // read. An .eml file is one message unless it holds several (a mailbox saved under that name): then each is read
        // on its own.
        var mboxAllowed = !forceSingle && !HasExtension(path, EmlExtension) && (explicitlyNamed || HasExtension(path, MboxExtension));
        return ReadStream(
            path,
            () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan),
            mboxAllowed,
            forceSingle,
            allowSeveralInOne: !forceSingle);
    }

    /// <summary>
    /// Opens one source when enumerated and reads it, disposing its stream at the end: an mbox (when allowed and the
    /// stream starts with a From_ line) message by message as the stream is read, anything else whole. An IO error
    /// ends the source with a message carrying it.
    /// </summary>
    private static IEnumerable<SourceMessage> ReadStream(string name, Func<Stream> open, bool mboxAllowed, bool forceSingle, bool allowSeveralInOne)
    {
        Stream? opened = null;
        string? openError = null;
        try
        {
            opened = open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            openError = ex.Message;
        }

        if (opened is null)
        {
            yield return new SourceMessage(name, ReadOnlyMemory<byte>.Empty, openError);
            yield break;
        }

        using (var stream = opened)
        {
            var start = new byte[MboxStartLength];
            int startLength;
            string? error = null;
            try
            {
                startLength = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                startLength = 0;
                error = ex.Message;
            }

            if (error is not null)
            {
                yield return new SourceMessage(name, ReadOnlyMemory<byte>.Empty, error);
                yield break;
            }

            var whole = new StartThenRest(start.AsMemory(0, startLength), stream);
            IEnumerable<ReadOnlyMemory<byte>> messages;
            if (mboxAllowed && MboxSplitter.IsMbox(start.AsSpan(0, startLength)))
            {
                messages = MboxSplitter.Split(whole);
            }
            else
            {
                byte[] content;
                try
                {
                    using var buffer = new MemoryStream();
                    whole.CopyTo(buffer);
                    content = buffer.ToArray();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    content = [];
                    error = ex.Message;
                }

                if (error is not null)
                {
                    yield return new SourceMessage(name, ReadOnlyMemory<byte>.Empty, error);
                    yield break;
                }

                messages = forceSingle || !allowSeveralInOne ? [content] : MboxSplitter.MessagesInFile(content);
            }

            foreach (var message in Name(name, messages))
            {
                yield return message;
            }
        }
    }

    /// <summary>
    /// Names the messages of one source: the source's name alone when it holds one message, <c>NAME#N</c> for each of
    /// several. Holds one message back to know which; an IO error while reading ends the source with its message.
    /// </summary>
    private static IEnumerable<SourceMessage> Name(string source, IEnumerable<ReadOnlyMemory<byte>> messages)
    {
        using var enumerator = messages.GetEnumerator();
        ReadOnlyMemory<byte> first = default;
        var count = 0;
        string? error = null;
        while (true)
        {
            try
            {
                if (!enumerator.MoveNext())
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = ex.Message;
                break;
            }

            count++;
            if (count == 1)
            {
                first = enumerator.Current;
                continue;
            }

            if (count == 2)
            {
                yield return new SourceMessage($"{source}#1", first);
                first = default;
            }

            yield return new SourceMessage($"{source}#{count}", enumerator.Current);
        }

        if (count == 1)
        {
            yield return new SourceMessage(source, first);
        }

        if (error is not null)
        {
            yield return new SourceMessage(source, ReadOnlyMemory<byte>.Empty, error);
        }
    }

    private static bool HasExtension(string path, string extension) =>
        path.EndsWith(extension, StringComparison.OrdinalIgnoreCase);

    /// <summary>A read-only stream of bytes already read from a stream's start followed by the rest of that stream.</summary>
    private sealed class StartThenRest(ReadOnlyMemory<byte> start, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _start = start;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_start.IsEmpty)
            {
                return rest.Read(buffer);
            }

            var length = Math.Min(buffer.Length, _start.Length);
            _start.Span[..length].CopyTo(buffer);
            _start = _start[length..];
            return length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
