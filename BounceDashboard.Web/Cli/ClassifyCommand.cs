using System.Text.Json;
using System.Threading.Channels;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Web.Mail;

namespace BounceDashboard.Web.Cli;

/// <summary>
/// <c>classify PATH...</c>: runs the bounce engine over every message found at the paths and prints one JSON
/// object per message and per line. A message the engine cannot read is printed with kind "unparseable";
/// only usage errors and unreadable paths give a non-zero exit code.
/// </summary>
public sealed class ClassifyCommand(BounceEngine engine, MessageSources sources, CommandLinePaths paths) : ICliCommand
{
    private const string Usage =
        "usage: classify PATH...\n" +
        "  PATH: an .eml file, a folder of .eml files (searched recursively), a Maildir folder (cur/ new/),\n" +
        "        an mbox file, or - for standard input (one message or an mbox).\n" +
        "  Prints one JSON object per message and per line.";

    /// <summary>Messages read ahead and classified in parallel before their lines are written, at most.</summary>
    public const int ChunkSize = 256;

    /// <summary>Raw bytes read ahead at most, so memory stays flat however large the messages are.</summary>
    public const int ChunkBytes = 16 * 1024 * 1024;

    public string Name => "classify";

    public string Summary => "classify PATH...   print the bounce engine's verdict for each message as JSON lines";

    public bool BuffersOutput => true;

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errorOutput);
        if (await CliArguments.WroteHelpAsync(args, output, Usage))
        {
            return CliExitCodes.Success;
        }

        if (await CliArguments.CheckPathsAsync(Name, args, errorOutput, Usage) is { } usageError)
        {
            return usageError;
        }

        // Reading and splitting the input runs on its own task, one chunk ahead of the classifying and the writing,
        // so the cores are not idle while the next chunk is read.
        var chunks = Channel.CreateBounded<List<SourceMessage>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(() => ReadChunksAsync(args, chunks.Writer, stopReading.Token), CancellationToken.None);
        var unreadable = 0;
        try
        {
            await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken))
            {
                unreadable += await WriteChunkAsync(chunk, output, errorOutput, cancellationToken);
            }
        }
        finally
        {
            // A failed write must not leave the reading task waiting for room that will never come.
            await stopReading.CancelAsync();
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await reader;
        return unreadable == 0 ? CliExitCodes.Success : CliExitCodes.Failure;
    }

    /// <summary>Reads every message at the paths, in order, into chunks of at most <see cref="ChunkSize"/> messages or <see cref="ChunkBytes"/> bytes.</summary>
    private async Task ReadChunksAsync(IReadOnlyList<string> args, ChannelWriter<List<SourceMessage>> chunks, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            var chunk = new List<SourceMessage>(ChunkSize);
            var chunkBytes = 0L;
            foreach (var path in args)
            {
                var resolved = path == MessageSources.StandardInput ? path : paths.Resolve(path);
                foreach (var message in sources.Read(resolved, cancellationToken))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    chunk.Add(message);
                    chunkBytes += message.Content.Length;
                    if (chunk.Count == ChunkSize || chunkBytes >= ChunkBytes)
                    {
                        await chunks.WriteAsync(chunk, cancellationToken);
                        chunk = new List<SourceMessage>(ChunkSize);
                        chunkBytes = 0;
                    }
                }
            }

            if (chunk.Count > 0)
            {
                await chunks.WriteAsync(chunk, cancellationToken);
            }
        }
        catch (Exception ex)
        {
            // The classifying side ends with the same error instead of waiting for chunks that will never come.
            failure = ex;
            throw;
        }
        finally
        {
            chunks.TryComplete(failure);
        }
    }

    /// <summary>
    /// Classifies a chunk's messages on every core (the engine is thread-safe) and writes their lines in input order,
    /// and a line on the error output for each message that could not be read; returns how many could not. A chunk is
    /// small enough to keep memory bounded by a few hundred messages and large enough to keep the cores busy.
    /// </summary>
    private async Task<int> WriteChunkAsync(List<SourceMessage> chunk, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        var lines = new string?[chunk.Count];
        Parallel.For(
            0,
            chunk.Count,
            new ParallelOptions { CancellationToken = cancellationToken },
            i =>
            {
                if (chunk[i].IsReadable)
                {
                    _ = engine.TryParseSafely(chunk[i].Content, cancellationToken, out var report);
                    lines[i] = JsonSerializer.Serialize(ClassifiedMessage.From(chunk[i].Name, report), CliJsonContext.Output.ClassifiedMessage);
                }
            });
        var unreadable = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] is { } line)
            {
                await output.WriteLineAsync(line);
            }
            else
            {
                unreadable++;
                await errorOutput.WriteLineAsync($"classify: cannot read '{chunk[i].Name}': {chunk[i].Error}");
            }
        }

        return unreadable;
    }
}
