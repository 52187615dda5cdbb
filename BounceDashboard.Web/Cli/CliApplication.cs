using System.Text;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Web.Mail;

namespace BounceDashboard.Web.Cli;

/// <summary>
/// Dispatches command-line verbs. The web app starts only when the first argument is no verb: nothing, an option
/// (<c>--urls=...</c>, <c>/key value</c>) or a configuration setting (<c>Key=Value</c>), which the web host reads.
/// Any other first word is a verb; one the app does not know answers with the usage.
/// </summary>
public static class CliApplication
{
    private const int OutputBufferSize = 64 * 1024;

    /// <summary>Every verb the app knows. Add a command here when you add one.</summary>
    private static IReadOnlyList<ICliCommand> CreateCommands() =>
    [
        new ClassifyCommand(new BounceEngine(), new MessageSources(Console.OpenStandardInput), CommandLinePaths.FromEnvironment()),
        new SeedDemoCommand(),
        new IngestCommand(),
        new ReclassifyCommand(),
        new SendCommand(),
        new ExportCommand(),
        new ApiKeyCommand(),
    ];

    public static bool TryFind(string[] args, out ICliCommand? command)
    {
        ArgumentNullException.ThrowIfNull(args);
        command = null;
        if (args.Length == 0 || args[0].StartsWith('-') || args[0].StartsWith('/') || args[0].Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        var commands = CreateCommands();
        command = commands.FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.Ordinal))
            ?? new UnknownVerb(args[0], commands);
        return true;
    }

    public static async Task<int> RunAsync(ICliCommand command, string[] args)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        if (!command.BuffersOutput)
        {
            return await command.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
        }

        await using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), OutputBufferSize);
        return await command.RunAsync(args[1..], output, Console.Error, cts.Token);
    }

    /// <summary>A first word that names no verb: says so with the usage instead of starting the web app with it.</summary>
    private sealed class UnknownVerb(string verb, IReadOnlyList<ICliCommand> commands) : ICliCommand
    {
        public string Name => verb;

        public string Summary => "";

        public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
        {
            await errorOutput.WriteLineAsync($"unknown verb '{verb}'");
            await errorOutput.WriteLineAsync(
                "usage: dotnet run --project BounceDashboard.Web [-- VERB ...]   (no verb: run the web app)\n" +
                string.Join('\n', commands.Select(c => "  " + c.Summary)));
            return CliExitCodes.Usage;
        }
    }
}
