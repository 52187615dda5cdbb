using System.Globalization;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Benchmarks.Eval;

/// <summary>Prints the evaluation: figures, tables per reason and per folder, misses, speed and the ratchet verdict.</summary>
internal sealed class EvalReportWriter(TextWriter output)
{
    private static readonly (EvalMetric Metric, string Label)[] MetricLabels =
    [
        (EvalMetric.StatusReason, "status+reason"),
        (EvalMetric.Reason, "reason"),
        (EvalMetric.Status, "status"),
        (EvalMetric.All4, "all4 (status, reply, reason, hard)"),
        (EvalMetric.Hard, "hard"),
    ];

    public void WriteFigures(string corpus, EvalScore score)
    {
        var total = score.Total;
        Line($"Bounce engine evaluation of {corpus}: {total.Messages} messages, {total.ExpectedEntries} expected entries, {total.PredictedEntries} predicted");
        Line($"  {"figure",-36} {"share",8}  {"hits/expected",13}  score.py");
        foreach (var (metric, label) in MetricLabels)
        {
            Line($"  {label,-36} {Percent(total.Recall(metric)),8}  {Ratio(total.Hits(metric), total.ExpectedEntries),13}  {Fraction(total.Recall(metric))}");
        }

        Line($"  {"exact messages",-36} {Percent(total.ExactFraction),8}  {Ratio(total.ExactMessages, total.Messages),13}  {Fraction(total.ExactFraction)}");
        Line($"  {"extra entries",-36} {total.ExtraEntries,8}");
        Line($"");

        Line($"Per reason (status+reason pairs reproduced)");
        foreach (var (reason, (hits, count)) in score.Reasons)
        {
            Line($"  {reason,-16} {Ratio(hits, count),9}  {Percent(count == 0 ? null : (double)hits / count),8}");
        }

        Line($"");
        Line($"Per folder");
        Line($"  {"folder",-8} {"messages",8} {"entries",8} {"status+reason",14} {"hard",8} {"all4",8} {"exact",8} {"extra",6}");
        foreach (var (folder, tally) in score.Folders)
        {
            var statusReason = Percent(tally.Recall(EvalMetric.StatusReason));
            var hard = Percent(tally.Recall(EvalMetric.Hard));
            var all4 = Percent(tally.Recall(EvalMetric.All4));
            Line($"  {folder,-8} {tally.Messages,8} {tally.ExpectedEntries,8} {statusReason,14} {hard,8} {all4,8} {Percent(tally.ExactFraction),8} {tally.ExtraEntries,6}");
        }

        Line($"");
    }

    /// <summary>The figures of a recipient-labelled corpus, named and rounded as its score.py prints them.</summary>
    public void WriteRecipientFigures(string corpus, RecipientScore score)
    {
        var kinds = string.Join(", ", score.Kinds.Select(k => $"{k.Value} {k.Key}"));
        Line($"Bounce engine evaluation of {corpus} (recipient labels): {score.Messages} messages ({kinds})");
        Line($"  {"figure",-36} {"share",8}  {"hits/expected",13}  score.py");
        RecipientRow("recipient recall", score.RecipientRecall, score.AddressesFound, score.ExpectedAddresses);
        RecipientRow("recipient precision", score.RecipientPrecision, score.AddressesFound, score.PredictedAddresses);
        RecipientRow("exact sets", score.ExactSetFraction, score.ExactSets, score.Bounces);
        RecipientRow("bounces detected", score.BouncesDetectedFraction, score.BouncesDetected, score.Bounces);
        RecipientRow("delays kept apart", score.DelaysKeptApartFraction, score.DelaysKeptApart, score.Delays);
        RecipientRow("not-bounces kept out", score.NotBouncesKeptOutFraction, score.NotBouncesKeptOut, score.NotBounces);
        Line($"");
    }

    private void RecipientRow(string label, double? fraction, int hits, int total) =>
        Line($"  {label,-36} {Percent(fraction),8}  {Ratio(hits, total),13}  {Fraction(fraction)}");

    /// <summary>Every miss of a recipient-labelled run (or the first <paramref name="limit"/>), in score.py's words.</summary>
    public void WriteRecipientMisses(RecipientScore score, int? limit)
    {
        var shown = Math.Min(score.Misses.Count, limit ?? int.MaxValue);
        Line($"Misses: {score.Misses.Count} messages not read exactly{(shown < score.Misses.Count ? $" (showing {shown})" : "")}");
        foreach (var miss in score.Misses.Take(shown))
        {
            Line($"MISS {miss.File} [{miss.LabelKind}] got {miss.Got.ToCode()}: {string.Join("; ", miss.Problems)}");
        }

        Line($"");
    }

    public void WriteRecipientSummary(RecipientScore score, BenchmarkResult? speed)
    {
        var summary = $"RESULT recipient-recall={Fraction(score.RecipientRecall)} recipient-precision={Fraction(score.RecipientPrecision)} " +
            $"exact-sets={Ratio(score.ExactSets, score.Bounces)} bounces-detected={Fraction(score.BouncesDetectedFraction)} " +
            $"delays-kept-apart={Fraction(score.DelaysKeptApartFraction)} not-bounces-kept-out={Fraction(score.NotBouncesKeptOutFraction)}";
        if (speed is not null)
        {
            summary += string.Create(CultureInfo.InvariantCulture, $" engine={Rate(speed.Engine.Throughput)} msg/s mimekit={Rate(speed.MimeKit.Throughput)} msg/s");
        }

        Line($"{summary}");
    }

    public void WriteMisses(EvalScore score, int? limit)
    {
        var shown = Math.Min(score.Misses.Count, limit ?? int.MaxValue);
        Line($"Misses: {score.Misses.Count} messages not reproduced exactly{(shown < score.Misses.Count ? $" (showing {shown})" : "")}");
        foreach (var miss in score.Misses.Take(shown))
        {
            Line($"MISS {miss.File}");
            Line($"   expected {Entries(miss.Expected, withRule: false)}");
            var got = miss.Got.Count == 0 && miss.Error is not null
                ? $"[] {miss.Kind.ToCode()}: {miss.Error}"
                : $"{Entries(miss.Got, withRule: true)} ({miss.Kind.ToCode()})";
            Line($"   got      {got}");
        }

        Line($"");
    }

    public void WriteEngineExceptions(IReadOnlyList<string> failures)
    {
        if (failures.Count == 0)
        {
            return;
        }

        Line($"ENGINE EXCEPTIONS: the engine threw on {failures.Count} messages (it must never throw)");
        foreach (var failure in failures)
        {
            Line($"  {failure}");
        }

        Line($"");
    }

    public void WriteBenchmark(BenchmarkResult result, bool optimized)
    {
        var warning = optimized ? "" : "  WARNING: not a Release build, the figures mean nothing (use -c Release)";
        Line($"Speed: one thread, {result.Messages} messages preloaded in memory, after warm-up{warning}");
        Line($"  {"messages per second",-40} {"throughput",10}  {"median",10}  {"best",10}  {"passes",6}");
        Row("MimeKit MimeMessage.Load (bare parse)", result.MimeKit);
        Row("MimeKit MimeMessage.Load, then Dispose", result.MimeKitDisposed);
        Row("engine parse + classify", result.Engine);
        Row("  MimeKit as the engine calls it", result.MimeKitAsEngine);
        Row("  classify only (pre-parsed, reused)", result.ClassifyOnly);
        Line($"  {"engine / MimeKit bare parse",-40} {result.EngineShareOfMimeKit * 100,10:0.0} %   (throughput)");
        Line($"  {"engine / MimeKit Load + Dispose",-40} {result.EngineShareOfMimeKitDisposed * 100,10:0.0} %   (throughput)");
        Line($"  (throughput: all counted passes' messages over their total time, collections included; median and best: single passes)");
        var jit = result.JitSettled ? "tiered JIT settled" : "WARNING: tiered JIT still compiling, the figures may be low";
        Line($"  (warm-up {result.WarmUp.TotalSeconds:0.0} s, {jit})");
        Line($"");
    }

    private void Row(string label, PassRates rates) =>
        Line($"  {label,-40} {Rate(rates.Throughput),10}  {Rate(rates.Median),10}  {Rate(rates.Best),10}  {rates.Passes,6}");

    public void WriteRatchet(string path, IReadOnlyList<string> violations)
    {
        var verdict = violations.Count == 0 ? "passed" : $"FAILED, below the recorded minimum: {string.Join("; ", violations)}";
        Line($"Ratchet {path}: {verdict}");
    }

    public void WriteSummary(EvalScore score, BenchmarkResult? speed)
    {
        var total = score.Total;
        var summary = $"RESULT status+reason={Percent(total.Recall(EvalMetric.StatusReason))} hard={Percent(total.Recall(EvalMetric.Hard))} " +
            $"reason={Percent(total.Recall(EvalMetric.Reason))} status={Percent(total.Recall(EvalMetric.Status))} all4={Percent(total.Recall(EvalMetric.All4))} " +
            $"exact={Ratio(total.ExactMessages, total.Messages)} extra={total.ExtraEntries}";
        if (speed is not null)
        {
            summary += string.Create(CultureInfo.InvariantCulture,
                $" engine={Rate(speed.Engine.Throughput)} msg/s mimekit={Rate(speed.MimeKit.Throughput)} msg/s ratio={speed.EngineShareOfMimeKit * 100:0.0}% mimekit-disposed={Rate(speed.MimeKitDisposed.Throughput)} msg/s ratio-disposed={speed.EngineShareOfMimeKitDisposed * 100:0.0}%");
        }

        Line($"{summary}");
    }

    private static string Entries(IReadOnlyList<ScoredEntry> entries, bool withRule) =>
        entries.Count == 0
            ? "[]"
            : string.Join("; ", entries.Select(e =>
                $"{Show(e.Status)} {Show(e.Reason)} ({Show(e.Reply)}, {(e.Hard ? "hard" : "soft")}{(withRule ? $", rule {e.Rule}" : "")})"));

    private static string Show(string value) => value.Length == 0 ? "-" : value;

    private static string Percent(double? fraction) =>
        fraction is { } f ? string.Create(CultureInfo.InvariantCulture, $"{f * 100:0.00}%") : "n/a";

    private static string Fraction(double? fraction) =>
        fraction is { } f ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(f, 4, MidpointRounding.ToEven):0.0###}") : "None";

    private static string Ratio(int hits, int total) => string.Create(CultureInfo.InvariantCulture, $"{hits}/{total}");

    private static string Rate(double perSecond) => string.Create(CultureInfo.InvariantCulture, $"{perSecond:#,0}");

    private void Line(FormattableString text) => output.WriteLine(FormattableString.Invariant(text));
}
