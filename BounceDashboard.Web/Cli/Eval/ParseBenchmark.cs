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
public sealed record BenchmarkResult(int Messages, PassRates MimeKit, PassRates Engine)
{
    /// <summary>Engine median rate as a share of MimeKit's median rate (1.0 = as fast as the bare parse).</summary>
    public double EngineShareOfMimeKit => MimeKit.Median == 0 ? 0 : Engine.Median / MimeKit.Median;
}

/// <summary>
/// Single-threaded throughput over messages preloaded in memory: MimeKit's <c>MimeMessage.Load</c> alone versus the
/// engine's parse + classify. After a warm-up (so tiered JIT has optimised both paths), passes alternate between the
/// two until each has run for half the time budget (and at least three passes); a full collection before each pass keeps one side's garbage
/// off the other's clock.
/// </summary>
public sealed class ParseBenchmark(BounceEngine engine, TimeProvider timeProvider)
{
    private const int WarmUpPasses = 2;
    private const int MinimumPasses = 3;
    private static readonly TimeSpan MinimumWarmUp = TimeSpan.FromSeconds(1);

    public BenchmarkResult Run(IReadOnlyList<byte[]> messages, TimeSpan budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var warmUpStart = timeProvider.GetTimestamp();
        for (var pass = 0; pass < WarmUpPasses || timeProvider.GetElapsedTime(warmUpStart) < MinimumWarmUp; pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MimeKitPass(messages);
            EnginePass(messages);
        }

        var half = budget / 2;
        var mimeKit = TimeSpan.Zero;
        var engineTime = TimeSpan.Zero;
        var mimeKitRates = new List<double>();
        var engineRates = new List<double>();
        while (mimeKit < half || engineTime < half || mimeKitRates.Count < MinimumPasses || engineRates.Count < MinimumPasses)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (mimeKit <= engineTime)
            {
                var elapsed = Timed(() => MimeKitPass(messages));
                mimeKit += elapsed;
                mimeKitRates.Add(messages.Count / elapsed.TotalSeconds);
            }
            else
            {
                var elapsed = Timed(() => EnginePass(messages));
                engineTime += elapsed;
                engineRates.Add(messages.Count / elapsed.TotalSeconds);
            }
        }

        return new BenchmarkResult(messages.Count, PassRates.From(mimeKitRates), PassRates.From(engineRates));
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
}
