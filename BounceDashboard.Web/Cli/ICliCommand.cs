namespace BounceDashboard.Web.Cli;

/// <summary>A command-line verb run instead of the web app: <c>dotnet run --project BounceDashboard.Web -- VERB ...</c>.</summary>
public interface ICliCommand
{
    /// <summary>The verb, e.g. "classify".</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Summary { get; }

    /// <summary>
    /// True when the verb writes many lines (one per message) that no one waits to see one by one: standard output is
    /// then written through a buffer flushed at the end, instead of one write to the console per line.
    /// </summary>
    bool BuffersOutput => false;

    /// <summary>Runs the verb with the arguments after it. Returns the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken);
}
