using System.Diagnostics;
using System.Text.Json;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using Xunit;

namespace BounceDashboard.Tests.Cli;

/// <summary>The ingest verbs as an operator meets them: the real app started as a process, configured by environment variables.</summary>
[Trait("Category", "E2E")]
public sealed class IngestProcessTests : IDisposable
{
    private static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Ingest_ShouldStoreOnceAndReportTheEarlierOutcome_WhenRunTwiceOverTheSameFile()
    {
        var path = _temp.Write("bounce.eml", FixtureFiles.Robustness("dsn-userunknown.eml"));

        var first = await RunAppAsync(withKey: true, "ingest", path);
        var second = await RunAppAsync(withKey: true, "ingest", path);
        var reclassify = await RunAppAsync(withKey: true, "reclassify", "--all");

        Assert.True(first.ExitCode == CliExitCodes.Success, first.Errors);
        var line = JsonDocument.Parse(first.Output).RootElement;
        Assert.Equal((path, "unmatched", false), (line.GetProperty("file").GetString(), line.GetProperty("outcome").GetString(), line.GetProperty("duplicate").GetBoolean()));
        Assert.True(JsonDocument.Parse(second.Output).RootElement.GetProperty("duplicate").GetBoolean());
        Assert.True(reclassify.ExitCode == CliExitCodes.Success, reclassify.Errors);
        Assert.False(JsonDocument.Parse(reclassify.Output).RootElement.GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task Ingest_ShouldRefuseNamingTheSetting_WhenOutsideDevelopmentWithoutAKey()
    {
        var path = _temp.Write("bounce.eml", FixtureFiles.Robustness("dsn-userunknown.eml"));

        var (exitCode, output, errors) = await RunAppAsync(withKey: false, "ingest", path);

        Assert.Equal(CliExitCodes.Failure, exitCode);
        Assert.Equal("", output);
        Assert.Contains("Tracking:SigningKey is required", errors, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Errors)> RunAppAsync(bool withKey, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = _temp.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BounceDashboard.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Production (no environment set), as an operator's server would run it.
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(_temp.Path, "app.db")};Pooling=False";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (withKey)
        {
            start.Environment["Tracking__SigningKey"] = Convert.ToBase64String(InboundFixtures.TestKey);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ProcessLimit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the app did not exit within {ProcessLimit.TotalSeconds:0} s");
        }

        return (process.ExitCode, await output, await errors);
    }
}
