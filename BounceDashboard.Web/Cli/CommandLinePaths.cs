namespace BounceDashboard.Web.Cli;

/// <summary>
/// Resolves relative paths typed on the command line. <c>dotnet run --project BounceDashboard.Web</c> starts the app
/// in the project folder (the Web SDK sets RunWorkingDirectory), so <c>../shared/bounce-corpus</c> typed at the repo
/// root would resolve against BounceDashboard.Web/. The shell's PWD still names the folder the user typed it in: when
/// the process runs in its own project folder and PWD names another existing folder, relative paths resolve there.
/// </summary>
public sealed class CommandLinePaths(string baseDirectory)
{
    private const string ProjectFile = "BounceDashboard.Web.csproj";

    public string BaseDirectory { get; } = baseDirectory;

    public static CommandLinePaths FromEnvironment()
    {
        var current = Environment.CurrentDirectory;
        var shell = Environment.GetEnvironmentVariable("PWD");
        var startedByDotnetRun = File.Exists(Path.Combine(current, ProjectFile))
            && !string.IsNullOrEmpty(shell)
            && Directory.Exists(shell)
            && !string.Equals(Path.GetFullPath(shell), current, StringComparison.Ordinal);
        return new CommandLinePaths(startedByDotnetRun ? Path.GetFullPath(shell!) : current);
    }

    /// <summary>The path as typed when it is absolute, otherwise resolved against <see cref="BaseDirectory"/>.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, BaseDirectory);
}
