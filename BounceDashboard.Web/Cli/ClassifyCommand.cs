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
        foreach (var path in args)
        {
            var resolved = path == MessageSources.StandardInput ? path : paths.Resolve(path);
            foreach (var message in sources.Read(resolved, cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!message.IsReadable)
                {
                    unreadable++;
                    await errorOutput.WriteLineAsync($"classify: cannot read '{message.Name}': {message.Error}");
                    continue;
                }

                _ = engine.TryParseSafely(message.Content, cancellationToken, out var report);
                await output.WriteLineAsync(JsonSerializer.Serialize(ClassifiedMessage.From(message.Name, report), CliJsonContext.Output.ClassifiedMessage));
            }
        }

        return unreadable == 0 ? CliExitCodes.Success : CliExitCodes.Failure;
    }
}
