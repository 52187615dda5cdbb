using System.Text.Json;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Web.Ingest;
using BounceDashboard.Web.Mail;

namespace BounceDashboard.Web.Cli;

/// <summary>
/// <c>ingest PATH...</c>: stores every message found at the paths in the configured database and turns it into bounce
/// events (<see cref="InboundIngest"/>), one JSON line per message. The source key is the message's full path
/// (<c>PATH#N</c> inside an mbox); a message read from standard input is keyed by its content hash, since "-" names
/// nothing. Running it again over the same files changes nothing and prints the earlier outcomes.
/// </summary>
public sealed class IngestCommand(Func<HostApplicationBuilder> createBuilder, MessageSources sources, CommandLinePaths paths) : ICliCommand
{
    private const string Usage =
        "usage: ingest PATH...\n" +
        "  PATH: an .eml file, a folder of .eml files (searched recursively), a Maildir folder (cur/ new/),\n" +
        "        an mbox file, or - for standard input (one message or an mbox).\n" +
        "  Stores each message in the configured database, records its bounce events and applies the rules;\n" +
        "  prints one JSON object per message and per line. Needs Tracking:SigningKey to match tokens.";

    public IngestCommand()
        : this(CliHost.CreateDefaultBuilder, new MessageSources(Console.OpenStandardInput), CommandLinePaths.FromEnvironment())
    {
    }

    public string Name => "ingest";

    public string Summary => "ingest PATH...     store messages in the database and record their bounces (JSON lines)";

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

        if (await CliHost.StartAsync<InboundIngest>(createBuilder, Name, errorOutput, cancellationToken) is not var (host, ingest))
        {
            return CliExitCodes.Failure;
        }

        using (host)
        {
            var unreadable = 0;
            foreach (var path in args)
            {
                var resolved = path == MessageSources.StandardInput ? path : paths.Resolve(path);
                foreach (var message in sources.Read(resolved, cancellationToken))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!message.IsReadable || message.Content.IsEmpty)
                    {
                        unreadable++;
                        await errorOutput.WriteLineAsync($"ingest: cannot read '{message.Name}': {message.Error ?? "empty"}");
                        continue;
                    }

                    var sourceKey = path == MessageSources.StandardInput
                        ? $"stdin:{InboundMessage.HashOf(message.Content.Span)}"
                        : message.Name;
                    IngestResult result;
                    try
                    {
                        result = await ingest.IngestAsync(InboundSource.File, sourceKey, message.Content, cancellationToken);
                    }
                    catch (DomainException ex)
                    {
                        // Refused by the entity (a message larger than InboundMessage.MaxContentBytes): say so and go on.
                        unreadable++;
                        await errorOutput.WriteLineAsync($"ingest: cannot store '{message.Name}': {ex.Message}");
                        continue;
                    }

                    await output.WriteLineAsync(JsonSerializer.Serialize(IngestedMessageLine.From(message.Name, result), IngestJsonContext.Output.IngestedMessageLine));
                }
            }

            return unreadable == 0 ? CliExitCodes.Success : CliExitCodes.Failure;
        }
    }
}
