using BounceDashboard.Web.Mail;

namespace BounceDashboard.Web.Cli;

/// <summary>The argument checks every verb shares: help, and the PATH list of the verbs that read messages.</summary>
public static class CliArguments
{
    /// <summary>True, with the usage printed, when the only argument asks for help (-h, --help).</summary>
    public static async Task<bool> WroteHelpAsync(IReadOnlyList<string> args, TextWriter output, string usage)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Count == 1 && args[0] is "-h" or "--help")
        {
            await output.WriteLineAsync(usage);
            return true;
        }

        return false;
    }

    /// <summary>
    /// For a verb that takes PATH... (files, folders, Maildirs, mboxes, or - for standard input): the usage error and
    /// its exit code when no path is given or an option is unknown; null when the paths can be read.
    /// </summary>
    public static async Task<int?> CheckPathsAsync(string verb, IReadOnlyList<string> args, TextWriter errorOutput, string usage)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(errorOutput);
        var unknownOption = args.FirstOrDefault(a => a.StartsWith('-') && a != MessageSources.StandardInput);
        if (args.Count > 0 && unknownOption is null)
        {
            return null;
        }

        await errorOutput.WriteLineAsync(unknownOption is null ? $"{verb}: no PATH given" : $"{verb}: unknown option '{unknownOption}'");
        await errorOutput.WriteLineAsync(usage);
        return CliExitCodes.Usage;
    }
}
