using BounceDashboard.Domain.Parsing;
using System.Runtime;
using MimeKit;

namespace BounceDashboard.Benchmarks.Eval;

/// <summary>Messages per second over timed passes: the throughput (the figure the ratios use), the median, mean and best.</summary>
/// <param name="Throughput">Messages over the total time of all counted passes: what a steady stream gets, pauses for
/// garbage collection included (the median of single passes would leave out the passes a collection fell in).</param>
public sealed record PassRates(int Passes, double Median, double Mean, double Best, double Throughput = 0)
{
    public static PassRates From(IReadOnlyList<double> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var sorted = rates.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        // Each pass read the same number of messages, so the throughput is the harmonic mean of the pass rates.
        var throughput = sorted.Length / sorted.Sum(rate => 1 / rate);
        return new PassRates(sorted.Length, median, sorted.Average(), sorted[^1], throughput);
    }
}

/// <summary>
/// Messages per second of MimeKit's parse (bare, and disposed), of the full engine, and of the engine's two parts,
/// measured in the same run.
/// </summary>
/// <param name="MimeKit">MimeKit's <c>MimeMessage.Load</c> alone, each message left to the garbage collector: the bare
/// parse the issue names.</param>
/// <param name="MimeKitDisposed">MimeKit's <c>MimeMessage.Load</c> with each message disposed, as the engine does: MimeKit's
/// entities carry finalizers, and a disposed one dies in the next collection instead of surviving it.</param>
/// <param name="ClassifyOnly">The engine's classification of messages MimeKit already parsed: where the engine's own time goes.</param>
/// <param name="MimeKitAsEngine">
/// MimeKit's parse as the engine calls it (its options, one reused parser, disposed): the part of the engine's time
/// that is MimeKit's.
/// </param>
public sealed record BenchmarkResult(int Messages, PassRates MimeKit, PassRates MimeKitDisposed, PassRates Engine, PassRates MimeKitAsEngine, PassRates ClassifyOnly)
{
    /// <summary>How long the warm-up ran.</summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>Whether tiered JIT had settled (no method compiled for the last 3 s of the warm-up) when measuring began.</summary>
    public bool JitSettled { get; init; }

    /// <summary>The engine's throughput as a share of the bare parse's (1.0 = as fast).</summary>
    public double EngineShareOfMimeKit => Share(MimeKit);

    /// <summary>The engine's throughput as a share of MimeKit's with each message disposed: the stricter comparison.</summary>
    public double EngineShareOfMimeKitDisposed => Share(MimeKitDisposed);

    private double Share(PassRates baseline) => baseline.Throughput == 0 ? 0 : Engine.Throughput / baseline.Throughput;
}

/// <summary>
/// Single-threaded throughput over messages preloaded in memory: MimeKit's <c>MimeMessage.Load</c> alone (left to the
/// collector, and disposed), the engine's parse + classify, and as a breakdown MimeKit's parse as the engine calls it and
/// the engine's classification of messages parsed beforehand. After a warm-up that lasts until tiered JIT has settled
/// (so every path is optimised, on one core too), each contender runs in blocks of consecutive passes, as it would over
/// a steady stream of messages, paying for its own collections; the first passes of a block are not counted, and the
/// three main contenders get two blocks each, in turn.
/// </summary>
public sealed class ParseBenchmark(BounceEngine engine, TimeProvider timeProvider)
{
    /// <summary>
    /// Pause after each warm-up round. Tiered JIT starts counting calls only after a quiet spell with no method newly
    /// compiled (100 ms, ten times that on a single core), and a busy measuring thread on one core never gives the
    /// runtime's timer that moment.
    /// </summary>
    private static readonly TimeSpan WarmUpPause = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long no method may have been compiled before the JIT counts as settled: longer than the single-core delay
    /// plus the call counting and background compiling that follow it (tier-up comes in stages, a second or more apart).
    /// </summary>
    private static readonly TimeSpan SettledAfter = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Longest warm-up when the JIT does not settle: five times the measuring budget, at most 40 s (on one core the
    /// engine's 1,500-odd methods reach their last tier after about 30 s).
    /// </summary>
    private static readonly TimeSpan MaximumWarmUp = TimeSpan.FromSeconds(40);

    /// <summary>Warm-up allowed per second of measuring budget when the JIT does not settle.</summary>
    private const int WarmUpPerBudget = 5;

    /// <summary>Passes at the start of each block that are not counted: the heap still holds the previous block's state.</summary>
    private const int SettlingPasses = 3;

    /// <summary>Shortest warm-up, whatever the JIT does.</summary>
    private static readonly TimeSpan MinimumWarmUp = TimeSpan.FromSeconds(1);

    public BenchmarkResult Run(IReadOnlyList<byte[]> messages, TimeSpan budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var options = BounceEngine.CreateParserOptions();
        var parsed = PreParse(messages, options);
        var parser = new MimeParser(options, Stream.Null, persistent: true);
        Func<long> mimeKit = () => MimeKitPass(messages, dispose: false);
        Func<long> disposed = () => MimeKitPass(messages, dispose: true);
        Func<long> full = () => EnginePass(messages);
        Func<long> asEngine = () => ReusedParserPass(messages, parser);
        Func<long> classify = () => ClassifyPass(parsed);
        Func<long>[] all = [mimeKit, disposed, full, asEngine, classify];

        var (warmUp, settled) = WarmUp(all, budget, cancellationToken);

        // Blocks of consecutive passes, as a steady stream of messages would run: the three main contenders twice, in
        // turn (84% of the budget), then the two breakdown figures. Each block pays for its own garbage collections.
        Func<long>[] main = [mimeKit, disposed, full];
        var rates = main.Select(_ => new List<double>()).ToArray();
        var block = budget * 0.14;
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < main.Length; i++)
            {
                rates[i].AddRange(Block(main[i], messages.Count, block, cancellationToken));
            }
        }

        var asEngineRates = Block(asEngine, messages.Count, budget * 0.08, cancellationToken);
        var classifyRates = Block(classify, parsed.Count, budget * 0.08, cancellationToken);
        return new BenchmarkResult(messages.Count, PassRates.From(rates[0]), PassRates.From(rates[1]), PassRates.From(rates[2]),
            PassRates.From(asEngineRates), PassRates.From(classifyRates)) { WarmUp = warmUp, JitSettled = settled };
    }

    /// <summary>
    /// Runs every contender until tiered JIT has settled: no method compiled for <see cref="SettledAfter"/>, each round
    /// followed by a short pause. Without it the first contender measured would run partly unoptimised code, and on a
    /// single core (<c>taskset</c>) nothing would ever be promoted. At least the minimum time. When the JIT keeps
    /// compiling, at most <see cref="WarmUpPerBudget"/> times the budget (but long enough to see it settle) and never
    /// more than <see cref="MaximumWarmUp"/>.
    /// </summary>
    private (TimeSpan Elapsed, bool Settled) WarmUp(Func<long>[] contenders, TimeSpan budget, CancellationToken cancellationToken)
    {
        var start = timeProvider.GetTimestamp();
        // Long enough to see the JIT settle even with a small budget, never longer than the maximum.
        var limit = TimeSpan.FromTicks(Math.Clamp((budget * WarmUpPerBudget).Ticks, (SettledAfter + WarmUpPause).Ticks, MaximumWarmUp.Ticks));
        var compiled = JitInfo.GetCompiledMethodCount();
        var lastCompile = start;
        bool Settled() => timeProvider.GetElapsedTime(lastCompile) >= SettledAfter;
        for (var round = 0;
             round < 2 || timeProvider.GetElapsedTime(start) < MinimumWarmUp
             || (!Settled() && timeProvider.GetElapsedTime(start) < limit);
             round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var run in contenders)
            {
                run();
            }

            Thread.Sleep(WarmUpPause);
            var now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                (compiled, lastCompile) = (now, timeProvider.GetTimestamp());
            }
        }

        return (timeProvider.GetElapsedTime(start), Settled());
    }

    /// <summary>
    /// Messages per second of each pass in a block that runs for <paramref name="duration"/> (and at least
    /// <see cref="SettlingPasses"/> + 3 passes); the first <see cref="SettlingPasses"/> are not counted.
    /// </summary>
    private List<double> Block(Func<long> pass, int count, TimeSpan duration, CancellationToken cancellationToken)
    {
        var rates = new List<double>();
        var start = timeProvider.GetTimestamp();
        for (var i = 0; i < SettlingPasses + 3 || timeProvider.GetElapsedTime(start) < duration; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var begun = timeProvider.GetTimestamp();
            GC.KeepAlive(pass());
            var elapsed = timeProvider.GetElapsedTime(begun);
            if (i >= SettlingPasses)
            {
                rates.Add(count / Math.Max(elapsed.TotalSeconds, 1e-9));
            }
        }

        return rates;
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

    private static long MimeKitPass(IReadOnlyList<byte[]> messages, bool dispose)
    {
        long checksum = 0;
        foreach (var bytes in messages)
        {
            try
            {
                using var stream = new MemoryStream(bytes, writable: false);
                var message = MimeMessage.Load(stream);
                checksum += message.Headers.Count;
                if (dispose)
                {
                    message.Dispose();
                }
            }
            catch (FormatException)
            {
                checksum--;
            }
        }

        return checksum;
    }

    /// <summary>MimeKit's parse the way <c>BounceEngine</c> calls it for inputs of up to 256 KB (every corpus message).</summary>
    private static long ReusedParserPass(IReadOnlyList<byte[]> messages, MimeParser parser)
    {
        long checksum = 0;
        foreach (var bytes in messages)
        {
            try
            {
                parser.SetStream(new MemoryStream(bytes, writable: false), MimeFormat.Entity, persistent: true);
                using var message = parser.ParseMessage();
                checksum += message.Headers.Count;
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
