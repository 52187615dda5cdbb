using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// The app as a real process: the built apphost of BounceDashboard.Web (not <c>dotnet run</c>, whose child
/// process would outlive a kill), on a free loopback port, in Development, with a temporary SQLite file.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>The app's SQLite file, for tests that compare the page with the database.</summary>
    public string DatabasePath => Path.Combine(_directory, "app.db");

    /// <summary>Everything the app printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<AppProcess> StartAsync()
    {
        var appHost = FindAppHost();
        var directory = Directory.CreateTempSubdirectory("bounce-browser-").FullName;
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo(appHost, ["--urls", url])
        {
            WorkingDirectory = Path.GetDirectoryName(appHost)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var app = new AppProcess(process, directory);

        // Development serves MudBlazor's static web assets from the build output (STACK-NOTES).
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__Sqlite"] = $"Data Source={app.DatabasePath}";
        start.Environment["DOTNET_ROOT"] = DotnetRoot();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";

        process.OutputDataReceived += (_, e) => app.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => app.Collect(e.Data);
        process.Exited += (_, _) => app._listening.TrySetException(
            new InvalidOperationException($"The app exited with code {process.ExitCode} before listening:\n{app.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            app.BaseAddress = await app._listening.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            await app.DisposeAsync();
            throw new TimeoutException($"The app did not listen within {StartTimeout}:\n{app.Output}");
        }

        return app;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        // ASP.NET Core prints "Now listening on: http://127.0.0.1:PORT" once Kestrel is bound.
        const string marker = "Now listening on: ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            _listening.TrySetResult(new Uri(line[(at + marker.Length)..].Trim()));
        }
    }

    /// <summary>BounceDashboard.Web/bin/CONFIG/TFM/BounceDashboard.Web, the same configuration as this test assembly.</summary>
    private static string FindAppHost()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "BounceDashboard.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No BounceDashboard.sln above {AppContext.BaseDirectory}.");
        }

        var appHost = Path.Combine(root.FullName, "BounceDashboard.Web", "bin", configuration, framework,
            OperatingSystem.IsWindows() ? "BounceDashboard.Web.exe" : "BounceDashboard.Web");
        return File.Exists(appHost)
            ? appHost
            : throw new FileNotFoundException($"Build BounceDashboard.Web ({configuration}) first: {appHost} is missing.", appHost);
    }

    /// <summary>The .NET installation running the tests, so the apphost finds the same runtime.</summary>
    private static string DotnetRoot() =>
        Environment.GetEnvironmentVariable("DOTNET_ROOT")
        ?? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
