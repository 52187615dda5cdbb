using System.Text.Json;
using BounceDashboard.Benchmarks;
using BounceDashboard.Benchmarks.Eval;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Benchmarks.Eval;

/// <summary>
/// eval on a corpus labelled by recipient and kind (the layout of ../shared/bounce-corpus-mailman), with our own
/// fixtures: a DSN for nobody@example.net, ordinary mail.
/// </summary>
public sealed class EvalRecipientCorpusTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public EvalRecipientCorpusTests()
    {
        _temp.Write(Path.Combine("corpus", "dsn.eml"), FixtureFiles.Robustness("dsn-userunknown.eml"));
        _temp.Write(Path.Combine("corpus", "dsn-wrong.eml"), FixtureFiles.Robustness("dsn-userunknown.eml"));
        _temp.Write(Path.Combine("corpus", "plain.eml"), FixtureFiles.Robustness("plain-message.eml"));
        _temp.Write(Path.Combine("corpus", "plain-as-bounce.eml"), FixtureFiles.Robustness("plain-message.eml"));
        _temp.Write(Path.Combine("corpus", "dsn-as-delay.eml"), FixtureFiles.Robustness("dsn-userunknown.eml"));
        _temp.Write(Path.Combine("corpus", BounceCorpus.LabelsFileName),
            """
            {"file": "dsn.eml", "kind": "bounce", "expect": [{"recipient": "Nobody@Example.net"}]}
            {"file": "dsn-wrong.eml", "kind": "bounce", "expect": [{"recipient": "someone@example.org"}]}
            {"file": "plain.eml", "kind": "not-bounce", "expect": []}
            {"file": "plain-as-bounce.eml", "kind": "bounce", "expect": [{"recipient": "x@example.org"}]}
            {"file": "dsn-as-delay.eml", "kind": "delay", "expect": []}
            """);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_ShouldPrintScorePyFiguresAndEveryMiss_WhenTheLabelsNameRecipients()
    {
        var (exitCode, output, _) = await RunAsync("corpus", "--bench-seconds", "0", "--predictions", "out.jsonl");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("(recipient labels): 5 messages (3 bounce, 1 delay, 1 not-bounce)", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  recipient recall\s+33\.33%\s+1/3\s+0\.3333\r?$", output);
        Assert.Matches(@"(?m)^  recipient precision\s+50\.00%\s+1/2\s+0\.5\r?$", output);
        Assert.Matches(@"(?m)^  bounces detected\s+66\.67%\s+2/3\s+0\.6667\r?$", output);
        Assert.Matches(@"(?m)^  delays kept apart\s+0\.00%\s+0/1\s+0\.0\r?$", output);
        Assert.Contains("MISS dsn-wrong.eml [bounce] got bounce: missing someone@example.org; extra nobody@example.net", output, StringComparison.Ordinal);
        Assert.Contains("MISS plain-as-bounce.eml [bounce] got notabounce: not read as a bounce (kind notabounce); missing x@example.org", output, StringComparison.Ordinal);
        Assert.Contains("MISS dsn-as-delay.eml [delay] got bounce: a delay read as a bounce", output, StringComparison.Ordinal);
        Assert.DoesNotContain("MISS dsn.eml", output, StringComparison.Ordinal);
        Assert.DoesNotContain("MISS plain.eml", output, StringComparison.Ordinal);
        Assert.Contains("RESULT recipient-recall=0.3333 recipient-precision=0.5 exact-sets=1/3", output, StringComparison.Ordinal);

        var first = JsonDocument.Parse(File.ReadLines(Path.Combine(_temp.Path, "out.jsonl")).First()).RootElement;
        Assert.Equal("bounce", first.GetProperty("kind").GetString());
        Assert.Equal("nobody@example.net", first.GetProperty("recipients")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task RunAsync_ShouldFailNamingTheRecipientFigure_WhenTheRatchetIsAboveTheRun()
    {
        _temp.Write("ratchet.json", """{ "recipientRecall": 0.98, "notBouncesKeptOut": 1.0 }""");

        var (exitCode, output, _) = await RunAsync("corpus", "--ratchet", "ratchet.json", "--bench-seconds", "0");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains("FAILED, below the recorded minimum: recipientRecall 0.3333 < 0.9800", output, StringComparison.Ordinal);
        Assert.DoesNotContain("notBouncesKeptOut", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShouldRecordTheRecipientFigures_WhenUpdatingTheRatchet()
    {
        var path = _temp.Write("ratchet.json", """{ "recipientPrecision": 0.9 }""");

        var (exitCode, _, _) = await RunAsync("corpus", "--update-ratchet", "ratchet.json", "--bench-seconds", "0");

        Assert.Equal(ExitCodes.Success, exitCode);
        var written = EvalRatchet.Load(path);
        Assert.Equal(0.9, written.RecipientPrecision);
        Assert.Equal(0.3333, written.RecipientRecall);
        Assert.Equal(0.0, written.DelaysKeptApart);
        Assert.Null(written.StatusReason);
    }

    private async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] args)
    {
        var command = new EvalCommand(new BounceEngine(), TimeProvider.System, _temp.Path);
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await command.RunAsync(args, output, errors, CancellationToken.None);
        return (exitCode, output.ToString(), errors.ToString());
    }
}
