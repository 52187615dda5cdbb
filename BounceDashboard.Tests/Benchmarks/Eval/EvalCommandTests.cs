using System.Globalization;
using System.Text.Json;
using BounceDashboard.Benchmarks;
using BounceDashboard.Benchmarks.Eval;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Benchmarks.Eval;

public sealed class EvalCommandTests : IDisposable
{
    private const string Dsn = "dsn-userunknown.eml";
    private const string Plain = "plain-message.eml";

    private readonly TempDirectory _temp = new();
    private readonly BounceEngine _engine = new();

    public EvalCommandTests()
    {
        _temp.Write(Path.Combine("corpus", "bsd", "dsn.eml"), FixtureFiles.Robustness(Dsn));
        _temp.Write(Path.Combine("corpus", "not", "plain.eml"), FixtureFiles.Robustness(Plain));
        // No engine can reach this label: ordinary mail labelled with a status code nobody uses.
        _temp.Write(Path.Combine("corpus", "bsd", "impossible.eml"), FixtureFiles.Robustness(Plain));
        _temp.Write(Path.Combine("corpus", BounceCorpus.LabelsFileName),
            """
            {"file": "bsd/dsn.eml", "expect": [{"status": "5.1.1", "reply": "550", "reason": "userunknown", "hard": true}]}
            {"file": "not/plain.eml", "expect": []}
            {"file": "bsd/impossible.eml", "expect": [{"status": "5.9.999", "reply": "599", "reason": "undefined", "hard": false}]}
            """);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_ShouldPrintTheFiguresAndWritePredictionsInScorePyFormat_WhenGivenALabelledCorpus()
    {
        var (exitCode, output, _) = await RunAsync("corpus", "--predictions", "out.jsonl", "--bench-seconds", "0");

        Assert.Equal(ExitCodes.Success, exitCode);
        var dsnReport = _engine.Parse(FixtureFiles.Robustness(Dsn));
        var hits = dsnReport.Recipients.Any(r => r.Status?.ToString() == "5.1.1" && r.Reason == BounceReason.UserUnknown) ? 1 : 0;
        var expectedShare = (hits / 2.0 * 100).ToString("0.00", CultureInfo.InvariantCulture);
        Assert.Contains($"RESULT status+reason={expectedShare}%", output, StringComparison.Ordinal);
        Assert.Contains("MISS bsd/impossible.eml", output, StringComparison.Ordinal);
        Assert.DoesNotContain("messages per second", output, StringComparison.Ordinal);

        var predictions = File.ReadAllLines(Path.Combine(_temp.Path, "out.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["bsd/dsn.eml", "not/plain.eml", "bsd/impossible.eml"], predictions.Select(p => p.GetProperty("file").GetString()));
        var dsnResults = predictions[0].GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(dsnReport.Recipients.Select(r => r.Reason.ToCode()), dsnResults.Select(r => r.GetProperty("reason").GetString()));
        Assert.Equal(dsnReport.Recipients.Select(r => r.Hard), dsnResults.Select(r => r.GetProperty("hard").GetBoolean()));
    }

    [Fact]
    public async Task RunAsync_ShouldFailNamingTheFigure_WhenTheRatchetIsAboveTheRun()
    {
        _temp.Write("ratchet.json", """{ "statusReason": 1.0, "hard": 0.0 }""");

        var (exitCode, output, _) = await RunAsync("corpus", "--ratchet", "ratchet.json", "--bench-seconds", "0");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains("FAILED", output, StringComparison.Ordinal);
        Assert.Contains("statusReason", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hard 0.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShouldPass_WhenTheRunMeetsTheRatchet()
    {
        _temp.Write("ratchet.json", """{ "statusReason": 0.0, "hard": 0.0, "folders": { "not": { "exactMessages": 1.0 } } }""");

        var (exitCode, output, _) = await RunAsync("corpus", "--ratchet", "ratchet.json", "--bench-seconds", "0");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("passed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShouldWriteTheFiguresWithoutLoweringAny_WhenUpdatingTheRatchet()
    {
        var path = _temp.Write("ratchet.json", """{ "statusReason": 0.99 }""");

        var (exitCode, _, _) = await RunAsync("corpus", "--update-ratchet", "ratchet.json", "--bench-seconds", "0");

        Assert.Equal(ExitCodes.Success, exitCode);
        var written = EvalRatchet.Load(path);
        Assert.Equal(0.99, written.StatusReason);
        Assert.NotNull(written.Hard);
        Assert.Equal(1.0, written.Folders!["not"].ExactMessages);
    }

    /// <summary>A real timed run: the warm-up alone lasts over 3 s by design (until tiered JIT has settled).</summary>
    [Fact]
    [Trait("Category", TestCategories.E2E)]
    public async Task RunAsync_ShouldPrintMimeKitAndEngineRates_WhenTheBenchmarkRuns()
    {
        var (exitCode, output, _) = await RunAsync("corpus", "--bench-seconds", "0.2");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Matches(@"(?m)MimeKit MimeMessage\.Load \(bare parse\)\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+\d+\r?$", output);
        Assert.Matches(@"(?m)MimeKit MimeMessage\.Load, then Dispose\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+\d+\r?$", output);
        Assert.Matches(@"(?m)engine parse \+ classify\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+\d+\r?$", output);
        Assert.Matches(@"(?m)classify only \(pre-parsed, reused\)\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+\d+\r?$", output);
        Assert.Matches(@"(?m)MimeKit as the engine calls it\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+\d+\r?$", output);
        Assert.Matches(@"engine / MimeKit bare parse\s+\d+\.\d %", output);
        Assert.Matches(@"engine / MimeKit Load \+ Dispose\s+\d+\.\d %", output);
        Assert.Matches(@"\(warm-up \d+\.\d s, (tiered JIT settled|WARNING: tiered JIT still compiling, the figures may be low)\)", output);
        Assert.Matches(@"RESULT .* engine=[\d,]+ msg/s mimekit=[\d,]+ msg/s ratio=\d+\.\d% mimekit-disposed=[\d,]+ msg/s ratio-disposed=\d+\.\d%", output);
    }

    [Fact]
    public async Task RunAsync_ShouldPrintFiguresWithADecimalPoint_WhenTheCultureIsGerman()
    {
        using var german = CultureScope.German();

        var (exitCode, output, _) = await RunAsync("corpus", "--bench-seconds", "0");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Matches(@"(?m)^  status\+reason\s+\d+\.\d\d%\s+\d+/2\s+0\.\d+\r?$", output);
        Assert.Matches(@"RESULT status\+reason=\d+\.\d\d% hard=\d+\.\d\d% ", output);
    }

    [Fact]
    public async Task RunAsync_ShouldExitOneWithAMessage_WhenThePredictionsFileCannotBeWritten()
    {
        var (exitCode, output, errors) = await RunAsync("corpus", "--predictions", Path.Combine("missing-folder", "out.jsonl"), "--bench-seconds", "0");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains("eval: cannot write predictions", errors, StringComparison.Ordinal);
        Assert.Contains("RESULT status+reason=", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("corpus --misses many")]
    [InlineData("corpus --colour")]
    [InlineData("no-such-folder")]
    public async Task RunAsync_ShouldExitWithUsageCode_WhenArgumentsAreWrong(string commandLine)
    {
        var (exitCode, _, errors) = await RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith("eval: ", errors, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] args)
    {
        var command = new EvalCommand(_engine, TimeProvider.System, _temp.Path);
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await command.RunAsync(args, output, errors, CancellationToken.None);
        return (exitCode, output.ToString(), errors.ToString());
    }
}
