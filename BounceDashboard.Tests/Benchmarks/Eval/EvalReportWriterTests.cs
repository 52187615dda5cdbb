using BounceDashboard.Benchmarks.Eval;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Benchmarks.Eval;

public sealed class EvalReportWriterTests
{
    private static readonly PassRates MimeKit = new(5, 20_000, 20_000, 21_000, Throughput: 20_000.4);

    private static readonly BenchmarkResult Speed = new(
        527, MimeKit, MimeKit with { Throughput = 60_000 }, MimeKit with { Throughput = 30_000.4 }, MimeKit, MimeKit)
    {
        WarmUp = TimeSpan.FromSeconds(12.5),
        JitSettled = true,
    };

    [Fact]
    public void WriteSummary_ShouldPrintTheSpeedWithADecimalPointAndThousandsCommas_WhenTheCultureIsGerman()
    {
        using var german = CultureScope.German();
        using var output = new StringWriter();
        var writer = new EvalReportWriter(output);

        writer.WriteBenchmark(Speed, optimized: true);
        writer.WriteSummary(new EvalScore(), Speed);

        var text = output.ToString();
        Assert.Matches(@"engine parse \+ classify\s+30,000\s+20,000\s+21,000\s+5\r?\n", text);
        Assert.Matches(@"engine / MimeKit bare parse\s+150\.0 %", text);
        Assert.Contains("(warm-up 12.5 s, tiered JIT settled)", text, StringComparison.Ordinal);
        Assert.Contains("engine=30,000 msg/s mimekit=20,000 msg/s ratio=150.0% mimekit-disposed=60,000 msg/s ratio-disposed=50.0%", text, StringComparison.Ordinal);
    }
}
