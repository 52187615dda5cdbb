using System.Diagnostics;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// Runs the built web app as a command-line process (<c>dotnet BounceDashboard.Web.dll VERB ...</c>) in a folder, with
/// the environment given, and returns its exit code, standard output and standard error; killed after one minute.
/// </summary>
public static class CliProcess
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Production by default (no environment name), as an operator's server would run it; <paramref name="environment"/>
    /// sets variables (a null value removes one). <paramref name="input"/>, when given, is written to standard input.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        IReadOnlyList<string> args,
        string? input = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BounceDashboard.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the app did not exit within {Limit.TotalSeconds:0} s");
        }

        return (process.ExitCode, await output, await errors);
    }
}
