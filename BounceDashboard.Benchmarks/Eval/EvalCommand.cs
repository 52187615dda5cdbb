using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Benchmarks.Eval;

/// <summary>
/// <c>eval CORPUS</c>: runs the bounce engine over a labelled corpus, scores it the way the corpus's score.py does,
/// prints every figure and miss, then measures speed against MimeKit's bare parse on one thread.
/// With <c>--ratchet FILE</c> it exits non-zero when an accuracy figure falls below the recorded minimum.
/// </summary>
/// <param name="baseDirectory">The folder relative paths on the command line are resolved against.</param>
public sealed class EvalCommand(BounceEngine engine, TimeProvider timeProvider, string baseDirectory) : IBenchmarkCommand
{
    public string Name => "eval";

    public string Summary => "eval CORPUS [...]  score the bounce engine on a labelled corpus and measure its speed";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errorOutput);
        if (!EvalOptions.TryParse(args, out var typed, out var usageError))
        {
            await errorOutput.WriteLineAsync($"eval: {usageError}");
            await errorOutput.WriteLineAsync(EvalOptions.Usage);
            return ExitCodes.Usage;
        }

        var options = typed!.ResolvePaths(baseDirectory);

        if (!Directory.Exists(options.Corpus) || !File.Exists(Path.Combine(options.Corpus, BounceCorpus.LabelsFileName)))
        {
            await errorOutput.WriteLineAsync($"eval: '{options.Corpus}' is not a corpus folder (no {BounceCorpus.LabelsFileName} in it)");
            return ExitCodes.Usage;
        }

        EvalRatchet? ratchet = null;
        BounceCorpus corpus;
        try
        {
            ratchet = options.Ratchet is null ? null : EvalRatchet.Load(options.Ratchet);
            corpus = BounceCorpus.Load(options.Corpus);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            await errorOutput.WriteLineAsync($"eval: {ex.Message}");
            return ExitCodes.Failure;
        }

        foreach (var problem in corpus.Unreadable)
        {
            await errorOutput.WriteLineAsync($"eval: cannot read {problem}");
        }

        if (corpus.Format == CorpusLabelFormat.Recipients)
        {
            return await RunRecipientsAsync(options, corpus, ratchet, output, errorOutput, cancellationToken);
        }

        var report = new EvalReportWriter(output);
        var score = new EvalScore();
        var engineExceptions = new List<string>();
        var predictions = options.Predictions is null ? null : new List<CorpusPrediction>(corpus.Messages.Count);
        foreach (var message in corpus.Messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = ParseFile(message, engineExceptions, cancellationToken);

            score.Add(message.File, message.Expected, result);
            predictions?.Add(new CorpusPrediction(message.File, result.Recipients.Select(ScoredEntry.ToPrediction).ToList()));
        }

        report.WriteFigures(options.Corpus, score);
        report.WriteMisses(score, options.Misses);
        report.WriteEngineExceptions(engineExceptions);

        var failed = corpus.Unreadable.Count > 0;
        if (options.Predictions is not null)
        {
            try
            {
                await WritePredictionsAsync(options.Predictions, predictions!, cancellationToken);
                await output.WriteLineAsync($"Predictions written to {options.Predictions} (check: python3 score.py {BounceCorpus.LabelsFileName} {options.Predictions})");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await errorOutput.WriteLineAsync($"eval: cannot write predictions: {ex.Message}");
                failed = true;
            }
        }

        var (speed, ratchetFailed) = await SpeedAndRatchetAsync(
            options, corpus, ratchet, EvalRatchet.From(score), r => r.Violations(score), engineExceptions, report, output, errorOutput, cancellationToken);
        failed |= ratchetFailed;

        report.WriteSummary(score, speed);
        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }

    /// <summary>
    /// A recipient-labelled corpus (../shared/bounce-corpus-mailman): its score.py's figures and every miss, the
    /// predictions in classify's shape, the speed benchmark and its own ratchet file.
    /// </summary>
    private async Task<int> RunRecipientsAsync(
        EvalOptions options, BounceCorpus corpus, EvalRatchet? ratchet, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        var report = new EvalReportWriter(output);
        var score = new RecipientScore();
        var engineExceptions = new List<string>();
        var predictions = options.Predictions is null ? null : new List<RecipientPrediction>(corpus.Messages.Count);
        foreach (var message in corpus.Messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = ParseFile(message, engineExceptions, cancellationToken);
            score.Add(message, result);
            predictions?.Add(new RecipientPrediction(message.File, result.Kind.ToCode(),
                [.. result.Recipients.Select(r => new RecipientPredictionEntry(r.Address))]));
        }

        report.WriteRecipientFigures(options.Corpus, score);
        report.WriteRecipientMisses(score, options.Misses);
        report.WriteEngineExceptions(engineExceptions);

        var failed = corpus.Unreadable.Count > 0;
        if (options.Predictions is not null)
        {
            try
            {
                await using var writer = new StreamWriter(options.Predictions);
                foreach (var prediction in predictions!)
                {
                    await writer.WriteLineAsync(JsonSerializer.Serialize(prediction, CorpusJsonContext.Output.RecipientPrediction).AsMemory(), cancellationToken);
                }

                await output.WriteLineAsync($"Predictions written to {options.Predictions} (check: python3 score.py {BounceCorpus.LabelsFileName} {options.Predictions})");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await errorOutput.WriteLineAsync($"eval: cannot write predictions: {ex.Message}");
                failed = true;
            }
        }

        var (speed, ratchetFailed) = await SpeedAndRatchetAsync(
            options, corpus, ratchet, EvalRatchet.From(score), r => r.Violations(score), engineExceptions, report, output, errorOutput, cancellationToken);
        failed |= ratchetFailed;

        report.WriteRecipientSummary(score, speed);
        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }

    /// <summary>
    /// The engine's reading of one labelled file. A file that is a mailbox of several messages (labelled as one, as
    /// the corpus does) is read message by message, as classify reads it, and the recipients are pooled.
    /// </summary>
    private BounceReport ParseFile(CorpusMessage message, List<string> engineExceptions, CancellationToken cancellationToken)
    {
        BounceReport? pooled = null;
        foreach (var content in MboxSplitter.MessagesInFile(message.Content))
        {
            if (!engine.TryParseSafely(content, cancellationToken, out var result))
            {
                engineExceptions.Add($"{message.File}: {result.Error}");
            }

            if (pooled is null)
            {
                pooled = result;
                continue;
            }

            // The file's kind follows the engine's rule over all its recipients; a readable message's match and
            // error win over an unreadable one's.
            var recipients = pooled.Recipients.Concat(result.Recipients).ToList();
            var kind = recipients.Count > 0 ? BounceReport.KindOf(recipients)
                : pooled.Kind == MessageKind.Unparseable ? result.Kind : pooled.Kind;
            var basis = pooled.Kind == MessageKind.Unparseable ? result : pooled;
            pooled = basis with { Recipients = recipients, Kind = kind };
        }

        return pooled!;
    }

    /// <summary>
    /// What both kinds of corpus end with: the speed run (when asked), the ratchet file raised (when asked), and the
    /// figures checked against the ratchet; returns the speed and whether a ratchet step failed.
    /// </summary>
    private async Task<(BenchmarkResult? Speed, bool Failed)> SpeedAndRatchetAsync(
        EvalOptions options,
        BounceCorpus corpus,
        EvalRatchet? ratchet,
        EvalRatchet current,
        Func<EvalRatchet, IEnumerable<string>> violationsOf,
        List<string> engineExceptions,
        EvalReportWriter report,
        TextWriter output,
        TextWriter errorOutput,
        CancellationToken cancellationToken)
    {
        var failed = false;
        BenchmarkResult? speed = null;
        if (options.BenchSeconds > 0 && corpus.Messages.Count > 0)
        {
            var benchmark = new ParseBenchmark(engine, timeProvider);
            speed = benchmark.Run(corpus.Messages.Select(m => m.Content).ToList(), TimeSpan.FromSeconds(options.BenchSeconds), cancellationToken);
            report.WriteBenchmark(speed, IsOptimized(typeof(BounceEngine).Assembly) && IsOptimized(typeof(EvalCommand).Assembly));
        }

        if (options.UpdateRatchet is not null)
        {
            try
            {
                var raised = File.Exists(options.UpdateRatchet) ? EvalRatchet.Load(options.UpdateRatchet).Raise(current) : current;
                raised.Save(options.UpdateRatchet);
                await output.WriteLineAsync($"Ratchet {options.UpdateRatchet} updated (figures only go up)");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
            {
                await errorOutput.WriteLineAsync($"eval: cannot update the ratchet: {ex.Message}");
                failed = true;
            }
        }

        if (ratchet is not null)
        {
            var violations = violationsOf(ratchet).ToList();
            if (engineExceptions.Count > 0)
            {
                violations.Add($"engineExceptions {engineExceptions.Count} > 0");
            }

            report.WriteRatchet(options.Ratchet!, violations);
            failed |= violations.Count > 0;
        }

        return (speed, failed);
    }

    private static async Task WritePredictionsAsync(string path, IReadOnlyList<CorpusPrediction> predictions, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path);
        foreach (var prediction in predictions)
        {
            await writer.WriteLineAsync(JsonSerializer.Serialize(prediction, CorpusJsonContext.Output.CorpusPrediction).AsMemory(), cancellationToken);
        }
    }

    private static bool IsOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;
}
