using System.Text.Json;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using Xunit;

namespace BounceDashboard.Tests.Cli;

/// <summary>The ingest verbs as an operator meets them: the real app started as a process, configured by environment variables.</summary>
[Trait("Category", "E2E")]
public sealed class IngestProcessTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CliProcess _app;

    public IngestProcessTests() =>
        _app = new CliProcess(_temp.Path, new Dictionary<string, string?>
        {
            ["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(_temp.Path, "app.db")};Pooling=False",
            ["Logging__LogLevel__Default"] = "Warning",
        });

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

    private Task<(int ExitCode, string Output, string Errors)> RunAppAsync(bool withKey, params string[] args) =>
        _app.RunAsync(args, overrides: new Dictionary<string, string?>
        {
            ["Tracking__SigningKey"] = withKey ? Convert.ToBase64String(InboundFixtures.TestKey) : null,
        });
}
