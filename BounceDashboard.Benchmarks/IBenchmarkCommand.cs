namespace BounceDashboard.Benchmarks;

/// <summary>A verb of the developer tooling: <c>dotnet run -c Release --project BounceDashboard.Benchmarks -- VERB ...</c>.</summary>
public interface IBenchmarkCommand
{
    /// <summary>The verb, e.g. "eval".</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Summary { get; }

    /// <summary>Runs the verb with the arguments after it. Returns the process exit code (<see cref="ExitCodes"/>).</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken);
}

/// <summary>Process exit codes of the benchmark verbs (the same numbers as the app's command line).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The verb ran, but something it had to read could not be read, or a check (the eval ratchet) failed.</summary>
    public const int Failure = 1;

    /// <summary>The arguments were wrong; the usage text went to standard error.</summary>
    public const int Usage = 2;
}
