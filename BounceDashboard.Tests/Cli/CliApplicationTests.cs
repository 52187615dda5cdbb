using BounceDashboard.Web.Cli;
using Xunit;

namespace BounceDashboard.Tests.Cli;

public sealed class CliApplicationTests
{
    [Theory]
    [InlineData("eval", "../shared/bounce-corpus")]
    [InlineData("nonsense")]
    public async Task TryFind_ShouldAnswerWithTheUsage_WhenTheFirstWordIsNoVerbOfTheApp(params string[] args)
    {
        Assert.True(CliApplication.TryFind(args, out var command));
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exitCode = await command!.RunAsync(args[1..], output, errors, CancellationToken.None);

        Assert.Equal(CliExitCodes.Usage, exitCode);
        Assert.Equal("", output.ToString());
        var text = errors.ToString();
        Assert.StartsWith($"unknown verb '{args[0]}'", text, StringComparison.Ordinal);
        Assert.Contains("classify PATH...", text, StringComparison.Ordinal);
        Assert.Contains("seed-demo --contacts N", text, StringComparison.Ordinal);
        Assert.DoesNotContain("eval CORPUS", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("classify")]
    [InlineData("seed-demo")]
    public void TryFind_ShouldFindTheVerb_WhenTheAppHasIt(string verb)
    {
        Assert.True(CliApplication.TryFind([verb, "x"], out var command));
        Assert.Equal(verb, command!.Name);
    }

    [Theory]
    [InlineData]
    [InlineData("--urls=http://127.0.0.1:5999")]
    [InlineData("--environment", "Production")]
    [InlineData("/Database:Provider", "Sqlite")]
    [InlineData("Database:Provider=Sqlite")]
    public void TryFind_ShouldLeaveItToTheWebApp_WhenTheArgumentsAreNoVerb(params string[] args)
    {
        Assert.False(CliApplication.TryFind(args, out var command));
        Assert.Null(command);
    }
}
