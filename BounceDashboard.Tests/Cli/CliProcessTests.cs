using System.Text;
using System.Text.Json;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using Xunit;

namespace BounceDashboard.Tests.Cli;

/// <summary>The verbs as a user meets them: the real app started as a process, through Program.cs and the dispatcher.</summary>
[Trait("Category", TestCategories.E2E)]
public sealed class CliProcessTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CliProcess _app;

    public CliProcessTests() => _app = new CliProcess(_temp.Path, new Dictionary<string, string?>());

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Classify_ShouldPrintOnlyJsonLinesAndExitZero_WhenAnMboxArrivesOnStandardInput()
    {
        var mbox = new StringBuilder();
        foreach (var name in new[] { "dsn-userunknown.eml", "exim-plain-notice.eml" })
        {
            mbox.Append("From MAILER-DAEMON Sun Nov 22 10:15:02 2026\n").Append(Encoding.UTF8.GetString(FixtureFiles.Robustness(name))).Append('\n');
        }

        var (exitCode, output, errors) = await RunAppAsync(mbox.ToString(), "classify", "-");

        Assert.True(exitCode == CliExitCodes.Success, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["-#1", "-#2"], lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("file").GetString()));
    }

    [Fact]
    public async Task Classify_ShouldExitOneNamingThePath_WhenThePathDoesNotExist()
    {
        var (exitCode, output, errors) = await RunAppAsync("", "classify", "no-such-folder");

        Assert.Equal(CliExitCodes.Failure, exitCode);
        Assert.Equal("", output);
        Assert.Contains("no-such-folder", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_ShouldAnswerWithTheUsageAndExitTwo_WhenAskedOfTheWebApp()
    {
        var (exitCode, output, errors) = await RunAppAsync("", "eval", "../shared/bounce-corpus");

        Assert.Equal((CliExitCodes.Usage, ""), (exitCode, output));
        Assert.StartsWith("unknown verb 'eval'\nusage:", errors.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Errors)> RunAppAsync(string input, params string[] args) =>
        _app.RunAsync(args, input);
}
