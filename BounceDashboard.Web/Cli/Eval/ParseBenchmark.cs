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
public sealed record BenchmarkResult(int Messages, PassRates MimeKit, PassRates Engine, PassRates ClassifyOnly)
{
    /// <summary>Engine median rate as a share of MimeKit's median rate (1.0 = as fast as the bare parse).</summary>
    public double EngineShareOfMimeKit => MimeKit.Median == 0 ? 0 : Engine.Median / MimeKit.Median;
}

/// <summary>
/// Single-threaded throughput over messages preloaded in memory: MimeKit's <c>MimeMessage.Load</c> alone, the engine's
/// parse + classify, and (as a breakdown) the engine's classification of messages parsed beforehand. After a warm-up
/// (so tiered JIT has optimised every path), passes go to whichever contender has had the least time until each has
/// had its share of the budget (and at least three passes); a full collection before each pass keeps one contender's
/// garbage off another's clock.
/// </summary>
public sealed class ParseBenchmark(BounceEngine engine, TimeProvider timeProvider)
{
    private const int WarmUpPasses = 2;
    private const int MinimumPasses = 3;
    private static readonly TimeSpan MinimumWarmUp = TimeSpan.FromSeconds(1);

    public BenchmarkResult Run(IReadOnlyList<byte[]> messages, TimeSpan budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var parsed = PreParse(messages);
        Func<long>[] passes = [() => MimeKitPass(messages), () => EnginePass(messages), () => ClassifyPass(parsed)];
        var counts = new[] { messages.Count, messages.Count, parsed.Count };

        var warmUpStart = timeProvider.GetTimestamp();
        for (var pass = 0; pass < WarmUpPasses || timeProvider.GetElapsedTime(warmUpStart) < MinimumWarmUp; pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var run in passes)
            {
                run();
            }
        }

        var share = budget / passes.Length;
        var spent = new TimeSpan[passes.Length];
        var rates = passes.Select(_ => new List<double>()).ToArray();
        while (Enumerable.Range(0, passes.Length).Any(i => spent[i] < share || rates[i].Count < MinimumPasses))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = Array.IndexOf(spent, spent.Min());
            var elapsed = Timed(passes[next]);
            spent[next] += elapsed;
            rates[next].Add(counts[next] / elapsed.TotalSeconds);
        }

        return new BenchmarkResult(messages.Count, PassRates.From(rates[0]), PassRates.From(rates[1]), PassRates.From(rates[2]));
    }

    private TimeSpan Timed(Func<long> pass)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var start = timeProvider.GetTimestamp();
        var checksum = pass();
        var elapsed = timeProvider.GetElapsedTime(start);
        GC.KeepAlive(checksum);
        return elapsed;
    }

    private static List<MimeMessage> PreParse(IReadOnlyList<byte[]> messages)
    {
        var parsed = new List<MimeMessage>(messages.Count);
        foreach (var bytes in messages)
        {
            try
            {
                using var stream = new MemoryStream(bytes, writable: false);
                parsed.Add(MimeMessage.Load(stream));
            }
            catch (FormatException)
            {
                // Not a message MimeKit can read: only the full-engine pass sees it.
            }
        }

        return parsed;
    }

    private static long MimeKitPass(IReadOnlyList<byte[]> messages)
    {
        long checksum = 0;
        foreach (var bytes in messages)
        {
            try
            {
                using var stream = new MemoryStream(bytes, writable: false);
                checksum += MimeMessage.Load(stream).Headers.Count;
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
