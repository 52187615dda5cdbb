using System.Text.Json;
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

        var unreadable = 0;
        var chunk = new List<SourceMessage>(ChunkSize);
        var chunkBytes = 0L;
        foreach (var path in args)
        {
            var resolved = path == MessageSources.StandardInput ? path : paths.Resolve(path);
            foreach (var message in sources.Read(resolved, cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!message.IsReadable)
                {
                    // What was read before it is printed first, so the lines keep the input's order.
                    await WriteChunkAsync(chunk, output, cancellationToken);
                    chunkBytes = 0;
                    unreadable++;
                    await errorOutput.WriteLineAsync($"classify: cannot read '{message.Name}': {message.Error}");
                    continue;
                }

                chunk.Add(message);
                chunkBytes += message.Content.Length;
                if (chunk.Count == ChunkSize || chunkBytes >= ChunkBytes)
                {
                    await WriteChunkAsync(chunk, output, cancellationToken);
                    chunkBytes = 0;
                }
            }
        }

        await WriteChunkAsync(chunk, output, cancellationToken);
        return unreadable == 0 ? CliExitCodes.Success : CliExitCodes.Failure;
    }

    /// <summary>
    /// Classifies the messages read so far on every core (the engine is thread-safe) and writes their lines in input
    /// order. A chunk is small enough to keep memory bounded by a few hundred messages and large enough to keep the
    /// cores busy between the reading and the writing, which stay on one thread.
    /// </summary>
    private async Task WriteChunkAsync(List<SourceMessage> chunk, TextWriter output, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        var lines = new string[chunk.Count];
        Parallel.For(
            0,
            chunk.Count,
            new ParallelOptions { CancellationToken = cancellationToken },
            i =>
            {
                _ = engine.TryParseSafely(chunk[i].Content, cancellationToken, out var report);
                lines[i] = JsonSerializer.Serialize(ClassifiedMessage.From(chunk[i].Name, report), CliJsonContext.Output.ClassifiedMessage);
            });
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }

        chunk.Clear();
    }
}
