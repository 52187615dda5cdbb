namespace BounceDashboard.Web.Cli;

/// <summary>A command-line verb run instead of the web app: <c>dotnet run --project BounceDashboard.Web -- VERB ...</c>.</summary>
public interface ICliCommand
{
    /// <summary>The verb, e.g. "classify".</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Summary { get; }

    /// <summary>Runs the verb with the arguments after it. Returns the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken);
}
