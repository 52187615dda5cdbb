using System.Diagnostics;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using Xunit;

namespace BounceDashboard.Tests.Cli;

/// <summary>The <c>send</c> verb as an operator meets it: the real app started as a process, in Production, with no relay configured (no SMTP needed).</summary>
[Trait("Category", "E2E")]
public sealed class SendProcessTests : IDisposable
{
    private static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Send_ShouldExitWithFailureNamingTheSetting_WhenNoRelayIsConfigured()
    {
        var (exitCode, output, errors) = await RunAppAsync("send", "--campaign", "1");

        Assert.True(exitCode == CliExitCodes.Failure, $"exit code {exitCode}: {errors}");
        Assert.Equal("", output);
        Assert.Contains("send: no relay configured", errors, StringComparison.Ordinal);
        Assert.Contains("Sending:Relays", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ShouldExitWithUsage_WhenGivenNoArguments()
    {
        var (exitCode, output, errors) = await RunAppAsync("send");

        Assert.True(exitCode == CliExitCodes.Usage, $"exit code {exitCode}: {errors}");
        Assert.Equal("", output);
        Assert.Contains("usage: send --campaign ID", errors, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Errors)> RunAppAsync(params string[] args)
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

        // Production (no environment set), as an operator's server would run it; no Sending section at all.
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(_temp.Path, "app.db")};Pooling=False";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Tracking__SigningKey"] = Convert.ToBase64String(InboundFixtures.TestKey);

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
