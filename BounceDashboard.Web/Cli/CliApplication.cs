using BounceDashboard.Domain.Parsing;
using BounceDashboard.Web.Mail;

namespace BounceDashboard.Web.Cli;

/// <summary>Dispatches command-line verbs. The web app starts only when the first argument is no verb.</summary>
public static class CliApplication
{
    /// <summary>Every verb the app knows. Add a command here when you add one.</summary>
    private static IReadOnlyList<ICliCommand> CreateCommands() =>
    [
        new ClassifyCommand(new BounceEngine(), new MessageSources(Console.OpenStandardInput), CommandLinePaths.FromEnvironment()),
        new EvalCommand(new BounceEngine(), TimeProvider.System, CommandLinePaths.FromEnvironment()),
        new SeedDemoCommand(),
        new IngestCommand(),
        new ReclassifyCommand(),
    ];

    public static bool TryFind(string[] args, out ICliCommand? command)
    {
        command = null;
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return false;
        }

        command = CreateCommands().FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.Ordinal));
        return command is not null;
    }

    public static async Task<int> RunAsync(ICliCommand command, string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        return await command.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    }
}
