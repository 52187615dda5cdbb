using System.Diagnostics;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// Runs the built web app as a command-line process (<c>dotnet BounceDashboard.Web.dll VERB ...</c>) in a folder, with
/// the environment given, and returns its exit code, standard output and standard error; killed after one minute.
/// A test class holds one in a field, which is how <see cref="TestCategoriesTests"/> knows the class starts processes.
/// </summary>
/// <param name="workingDirectory">Where the process runs.</param>
/// <param name="environment">Variables to set (a null value removes one). Production by default (no environment name), as an operator's server would run it.</param>
public sealed class CliProcess(string workingDirectory, IReadOnlyDictionary<string, string?> environment)
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>Runs the app with <paramref name="args"/>; <paramref name="input"/>, when given, is written to standard input; <paramref name="overrides"/> change the environment for this run.</summary>
    public async Task<(int ExitCode, string Output, string Errors)> RunAsync(
        IReadOnlyList<string> args,
        string? input = null,
        IReadOnlyDictionary<string, string?>? overrides = null)
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
        foreach (var (name, value) in environment.Concat(overrides ?? new Dictionary<string, string?>()))
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
