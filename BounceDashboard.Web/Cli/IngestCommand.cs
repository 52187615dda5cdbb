using System.Diagnostics;
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

    /// <summary>Messages stored per transaction.</summary>
    public const int BatchSize = 200;

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
            var logger = host.Services.GetRequiredService<ILogger<IngestCommand>>();
            var run = new IngestRun(ingest, output, errorOutput, BatchSize);
            var started = Stopwatch.GetTimestamp();
            foreach (var path in args)
            {
                var resolved = path == MessageSources.StandardInput ? path : paths.Resolve(path);
                foreach (var message in sources.Read(resolved, cancellationToken))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!message.IsReadable || message.Content.IsEmpty)
                    {
                        // What was read before it is stored and printed first, so the lines keep the input's order.
                        await run.FlushAsync(cancellationToken);
                        run.Unreadable++;
                        await errorOutput.WriteLineAsync($"ingest: cannot read '{message.Name}': {message.Error ?? "empty"}");
                        continue;
                    }

                    var sourceKey = path == MessageSources.StandardInput
                        ? $"stdin:{InboundMessage.HashOf(message.Content.Span)}"
                        : message.Name;
                    await run.AddAsync(message.Name, new InboundItem(InboundSource.File, sourceKey, message.Content), cancellationToken);
                }
            }

            await run.FlushAsync(cancellationToken);
            logger.LogInformation(
                "Ingest: {Stored} messages stored, {Duplicates} already stored, {Unreadable} unreadable or refused, in {Seconds:F1} s",
                run.Stored, run.Duplicates, run.Unreadable, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return run.Unreadable == 0 ? CliExitCodes.Success : CliExitCodes.Failure;
        }
    }

    /// <summary>
    /// Messages are stored <see cref="BatchSize"/> to a transaction (<see cref="InboundIngest.IngestBatchAsync"/>): one
    /// commit per batch instead of per message. Their lines are printed once the batch is committed.
    /// </summary>
    private sealed class IngestRun(InboundIngest ingest, TextWriter output, TextWriter errorOutput, int batchSize)
    {
        private readonly List<(string Name, InboundItem Item)> _pending = [];

        public int Unreadable { get; set; }

        public int Stored { get; private set; }

        public int Duplicates { get; private set; }

        public async Task AddAsync(string name, InboundItem item, CancellationToken cancellationToken)
        {
            _pending.Add((name, item));
            if (_pending.Count >= batchSize)
            {
                await FlushAsync(cancellationToken);
            }
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            var attempts = await ingest.IngestBatchAsync(_pending.ConvertAll(p => p.Item), cancellationToken);
            for (var i = 0; i < attempts.Count; i++)
            {
                var name = _pending[i].Name;
                if (attempts[i].Result is not { } result)
                {
                    // Refused by the entity (a message larger than InboundMessage.MaxContentBytes): say so and go on.
                    Unreadable++;
                    await errorOutput.WriteLineAsync($"ingest: cannot store '{name}': {attempts[i].Error?.Message}");
                    continue;
                }

                if (result.Duplicate)
                {
                    Duplicates++;
                }
                else
                {
                    Stored++;
                }

                await output.WriteLineAsync(JsonSerializer.Serialize(IngestedMessageLine.From(name, result), IngestJsonContext.Output.IngestedMessageLine));
            }

            _pending.Clear();
        }
    }
}
