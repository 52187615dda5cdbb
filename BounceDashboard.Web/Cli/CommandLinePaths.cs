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

    public static CommandLinePaths FromEnvironment() =>
        From(Environment.CurrentDirectory, Environment.GetEnvironmentVariable("PWD"));

    /// <summary>The base folder for relative paths, given the process's folder and the shell's PWD (null when unset).</summary>
    public static CommandLinePaths From(string currentDirectory, string? shellDirectory)
    {
        var startedByDotnetRun = File.Exists(Path.Combine(currentDirectory, ProjectFile))
            && !string.IsNullOrEmpty(shellDirectory)
            && Directory.Exists(shellDirectory)
            && !string.Equals(Path.GetFullPath(shellDirectory), Path.GetFullPath(currentDirectory), StringComparison.Ordinal);
        return new CommandLinePaths(startedByDotnetRun ? Path.GetFullPath(shellDirectory!) : currentDirectory);
    }

    /// <summary>The path as typed when it is absolute, otherwise resolved against <see cref="BaseDirectory"/>.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, BaseDirectory);
}
