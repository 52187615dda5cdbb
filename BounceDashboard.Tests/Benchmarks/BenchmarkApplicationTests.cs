using BounceDashboard.Benchmarks;
using BounceDashboard.Benchmarks.Eval;
using BounceDashboard.Domain.Parsing;
using Xunit;

namespace BounceDashboard.Tests.Benchmarks;

public sealed class BenchmarkApplicationTests
{
    private readonly BenchmarkApplication _application =
        new([new EvalCommand(new BounceEngine(), TimeProvider.System, Path.GetTempPath())]);

    [Theory]
    [InlineData]
    [InlineData("classify", "x.eml")]
    public async Task RunAsync_ShouldPrintTheUsageAndExitTwo_WhenNoVerbOrAnUnknownOneIsGiven(params string[] args)
    {
        var (exitCode, output, errors) = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal("", output);
        Assert.Contains("eval CORPUS", errors, StringComparison.Ordinal);
        Assert.Contains(args.Length == 0 ? "no verb given" : "unknown verb 'classify'", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShouldHandTheRestToTheVerb_WhenTheVerbIsKnown()
    {
        var (exitCode, _, errors) = await RunAsync("eval", "--misses", "3");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith("eval: no CORPUS folder given", errors, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await _application.RunAsync(args, output, errors, CancellationToken.None);
        return (exitCode, output.ToString(), errors.ToString());
    }
}
