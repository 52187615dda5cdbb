using System.Globalization;
using System.Text.Json;
using BounceDashboard.Web.Ingest;

namespace BounceDashboard.Web.Cli;

/// <summary>
/// <c>reclassify [--all|--unparsed|--unmatched]</c>: re-runs the engine over stored messages that still have their raw
/// bytes (by default those an older engine version read) and brings their outcome and events up to date
/// (<see cref="InboundIngest.ReclassifyAsync"/>). One JSON line per message read; a second run changes nothing.
/// </summary>
public sealed class ReclassifyCommand(Func<HostApplicationBuilder> createBuilder) : ICliCommand
{
    private const string Usage =
        "usage: reclassify [--all|--unparsed|--unmatched]\n" +
        "  re-runs the bounce engine over stored messages that still have their raw bytes:\n" +
        "  (no option) those read by an older engine version; --all every one; --unparsed the unparseable ones;\n" +
        "  --unmatched those with an unmatched recipient or none. Events already applied are never applied again.";

    public ReclassifyCommand()
        : this(CliHost.CreateDefaultBuilder)
    {
    }

    public string Name => "reclassify";

    public string Summary => "reclassify [--all|--unparsed|--unmatched]  re-run the engine over stored messages";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errorOutput);
        if (await CliArguments.WroteHelpAsync(args, output, Usage))
        {
            return CliExitCodes.Success;
        }

        if (!TryParseScope(args, out var scope))
        {
            await errorOutput.WriteLineAsync($"reclassify: unexpected arguments '{string.Join(' ', args)}'");
            await errorOutput.WriteLineAsync(Usage);
            return CliExitCodes.Usage;
        }

        if (await CliHost.StartAsync<InboundIngest>(createBuilder, Name, errorOutput, cancellationToken) is not var (host, ingest))
        {
            return CliExitCodes.Failure;
        }

        using (host)
        {
            var ids = await ingest.FindToReclassifyAsync(scope, cancellationToken);
            var changed = 0;
            foreach (var id in ids)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await ingest.ReclassifyAsync(id, cancellationToken) is not { } result)
                {
                    continue;
                }

                changed += result.Changed ? 1 : 0;
                await output.WriteLineAsync(JsonSerializer.Serialize(IngestedMessageLine.From(null, result), IngestJsonContext.Output.IngestedMessageLine));
            }

            await errorOutput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"reclassify: {ids.Count} messages read, {changed} changed"));
            return CliExitCodes.Success;
        }
    }

    internal static bool TryParseScope(IReadOnlyList<string> args, out ReclassifyScope scope)
    {
        scope = ReclassifyScope.Stale;
        if (args.Count == 0)
        {
            return true;
        }

        if (args.Count > 1)
        {
            return false;
        }

        switch (args[0])
        {
            case "--all":
                scope = ReclassifyScope.All;
                return true;
            case "--unparsed":
                scope = ReclassifyScope.Unparsed;
                return true;
            case "--unmatched":
                scope = ReclassifyScope.Unmatched;
                return true;
            default:
                return false;
        }
    }
}
