using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using Xunit;

namespace BounceDashboard.Tests.Cli;

/// <summary>The <c>send</c> verb as an operator meets it: the real app started as a process, in Production, with no relay configured (no SMTP needed).</summary>
[Trait("Category", "E2E")]
public sealed class SendProcessTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CliProcess _app;

    /// <summary>Production (no environment set), as an operator's server would run it; no Sending section at all.</summary>
    public SendProcessTests() =>
        _app = new CliProcess(_temp.Path, new Dictionary<string, string?>
        {
            ["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(_temp.Path, "app.db")};Pooling=False",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Tracking__SigningKey"] = Convert.ToBase64String(InboundFixtures.TestKey),
        });

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

    private Task<(int ExitCode, string Output, string Errors)> RunAppAsync(params string[] args) => _app.RunAsync(args);
}
