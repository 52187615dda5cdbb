using BounceDashboard.Domain.Parsing;
using MimeKit;

namespace BounceDashboard.Web.Cli.Eval;

/// <summary>Messages per second over timed passes: the median (the figure reported; robust to a busy machine), mean and best.</summary>
public sealed record PassRates(int Passes, double Median, double Mean, double Best)
{
    public static PassRates From(IReadOnlyList<double> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var sorted = rates.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new PassRates(sorted.Length, median, sorted.Average(), sorted[^1]);
    }
}

/// <summary>Messages per second of MimeKit's bare parse and of the full engine, measured in the same run.</summary>
/// <param name="ClassifyOnly">The engine's classification of messages MimeKit already parsed: where the engine's own time goes.</param>
/// <param name="EngineShareOfMimeKit">
/// The engine's rate as a share of MimeKit's (1.0 = as fast as the bare parse): the median over rounds of the two
/// passes run back to back, so a slow spell of the machine weighs on both sides of each ratio alike.
/// </param>
/// <param name="MimeKitEngineOptions">
/// MimeKit's parse with the engine's options (persistent, returned originals kept raw): the part of the engine's time
/// that is MimeKit's, shown next to the bare parse the ratio is taken against.
/// </param>
public sealed record BenchmarkResult(int Messages, PassRates MimeKit, PassRates Engine, PassRates ClassifyOnly, double EngineShareOfMimeKit, PassRates MimeKitEngineOptions);

/// <summary>
/// Single-threaded throughput over messages preloaded in memory: MimeKit's <c>MimeMessage.Load</c> alone, the engine's
/// parse + classify, and (as a breakdown) the engine's classification of messages parsed beforehand. After a warm-up
/// of 35 passes (so tiered JIT has optimised every path), the budget is spent in rounds: one MimeKit pass and one engine pass back
/// to back (their order alternating between rounds), then a classification pass; at least three rounds. Each pass
/// reads the corpus <see cref="CorpusRepeats"/> times, so collections fall inside passes in proportion to the garbage.
/// </summary>
public sealed class ParseBenchmark(BounceEngine engine, TimeProvider timeProvider)
{
    /// <summary>
    /// Passes before measuring: tiered JIT promotes a method after 30 calls, and a format that reads one message of
    /// the corpus is called once per pass, so fewer passes would time some code before it is optimised.
    /// </summary>
    private const int WarmUpPasses = 35;
    private const int MinimumRounds = 4;
    private static readonly TimeSpan MinimumWarmUp = TimeSpan.FromSeconds(1);

    public BenchmarkResult Run(IReadOnlyList<byte[]> messages, TimeSpan budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var options = BounceEngine.CreateParserOptions();
        var parsed = PreParse(messages, options);
        Func<long>[] passes =
        [
            () => MimeKitPass(messages, ParserOptions.Default, persistent: false), () => EnginePass(messages), () => ClassifyPass(parsed),
            () => MimeKitPass(messages, options, persistent: true),
        ];

        // At least the minimum time, and the passes tiered JIT needs, unless those alone would outlast the budget.
        var warmUpStart = timeProvider.GetTimestamp();
        for (var pass = 0;
             pass < 2 || timeProvider.GetElapsedTime(warmUpStart) < MinimumWarmUp
             || (pass < WarmUpPasses && timeProvider.GetElapsedTime(warmUpStart) < budget);
             pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var run in passes)
            {
                run();
            }
        }

        var mimeKit = new List<double>();
        var full = new List<double>();
        var classify = new List<double>();
        var withOptions = new List<double>();
        var ratios = new List<double>();
        var start = timeProvider.GetTimestamp();

        // An even number of rounds, so each side goes first equally often.
        for (var round = 0; round < MinimumRounds || round % 2 == 1 || timeProvider.GetElapsedTime(start) < budget; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double mimeKitRate, engineRate;
            if (round % 2 == 0)
            {
                mimeKitRate = Rate(passes[0], messages.Count);
                engineRate = Rate(passes[1], messages.Count);
            }
            else
            {
                engineRate = Rate(passes[1], messages.Count);
                mimeKitRate = Rate(passes[0], messages.Count);
            }

            mimeKit.Add(mimeKitRate);
            full.Add(engineRate);
            ratios.Add(engineRate / mimeKitRate);
            classify.Add(Rate(passes[2], parsed.Count));
            withOptions.Add(Rate(passes[3], messages.Count));
        }

        return new BenchmarkResult(messages.Count, PassRates.From(mimeKit), PassRates.From(full), PassRates.From(classify),
            PassRates.From(ratios).Median, PassRates.From(withOptions));
    }

    /// <summary>Corpus runs per timed pass.</summary>
    private const int CorpusRepeats = 4;

    private double Rate(Func<long> pass, int count) => count * CorpusRepeats / Timed(pass).TotalSeconds;

    /// <summary>
    /// Times <see cref="CorpusRepeats"/> runs of a pass. No collection is forced in between: each contender pays for
    /// the garbage it makes as it would in a steady stream of messages, and a pass long enough to see several gen-0
    /// collections does not time at random whether one happened to fall inside it.
    /// </summary>
    private TimeSpan Timed(Func<long> pass)
    {
        var start = timeProvider.GetTimestamp();
        long checksum = 0;
        for (var i = 0; i < CorpusRepeats; i++)
        {
            checksum += pass();
        }

        var elapsed = timeProvider.GetElapsedTime(start);
        GC.KeepAlive(checksum);
        return elapsed;
    }

    private static List<MimeMessage> PreParse(IReadOnlyList<byte[]> messages, ParserOptions options)
    {
        var parsed = new List<MimeMessage>(messages.Count);
        foreach (var bytes in messages)
        {
            try
            {
                // Persistent: the parts stay slices of the bytes, which outlive the benchmark.
                var stream = new MemoryStream(bytes, writable: false);
                parsed.Add(MimeMessage.Load(options, stream, persistent: true));
            }
            catch (FormatException)
            {
                // Not a message MimeKit can read: only the full-engine pass sees it.
            }
        }

        return parsed;
    }

    private static long MimeKitPass(IReadOnlyList<byte[]> messages, ParserOptions options, bool persistent)
    {
        long checksum = 0;
        foreach (var bytes in messages)
        {
            try
            {
                using var stream = new MemoryStream(bytes, writable: false);
                checksum += MimeMessage.Load(options, stream, persistent).Headers.Count;
            }
            catch (FormatException)
            {
                checksum--;
            }
        }

        return checksum;
    }

    private long EnginePass(IReadOnlyList<byte[]> messages)
    {
        long checksum = 0;
        foreach (var bytes in messages)
        {
            _ = engine.TryParseSafely(bytes, CancellationToken.None, out var report);
            checksum += report.Recipients.Count + (int)report.Kind;
        }

        return checksum;
    }

    private long ClassifyPass(List<MimeMessage> messages)
    {
        long checksum = 0;
        foreach (var message in messages)
        {
            var report = engine.Parse(message);
            checksum += report.Recipients.Count + (int)report.Kind;
        }

        return checksum;
    }
}
