namespace BounceDashboard.Benchmarks;

/// <summary>Dispatches the verbs: the first argument names one, the rest are its own.</summary>
public sealed class BenchmarkApplication(IReadOnlyList<IBenchmarkCommand> commands)
{
    public string Usage =>
        "usage: dotnet run -c Release --project BounceDashboard.Benchmarks -- VERB ...\n" +
        string.Join('\n', commands.Select(c => "  " + c.Summary));

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errorOutput);
        if (args is ["-h" or "--help"])
        {
            await output.WriteLineAsync(Usage);
            return ExitCodes.Success;
        }

        var command = args.Count == 0 ? null : commands.FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.Ordinal));
        if (command is null)
        {
            await errorOutput.WriteLineAsync(args.Count == 0 ? "no verb given" : $"unknown verb '{args[0]}'");
            await errorOutput.WriteLineAsync(Usage);
            return ExitCodes.Usage;
        }

        return await command.RunAsync(args.Skip(1).ToList(), output, errorOutput, cancellationToken);
    }
}
