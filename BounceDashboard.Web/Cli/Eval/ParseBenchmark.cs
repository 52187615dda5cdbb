using BounceDashboard.Domain.Parsing;
using MimeKit;

namespace BounceDashboard.Web.Cli.Eval;

/// <summary>Messages per second of MimeKit's bare parse and of the full engine, measured in the same run.</summary>
public sealed record BenchmarkResult(int Messages, int MimeKitPasses, double MimeKitPerSecond, int EnginePasses, double EnginePerSecond)
{
    /// <summary>Engine rate as a share of MimeKit's rate (1.0 = as fast as the bare parse).</summary>
    public double EngineShareOfMimeKit => MimeKitPerSecond == 0 ? 0 : EnginePerSecond / MimeKitPerSecond;
}

/// <summary>
/// Single-threaded throughput over messages preloaded in memory: MimeKit's <c>MimeMessage.Load</c> alone versus the
/// engine's parse + classify. After a warm-up (so tiered JIT has optimised both paths), passes alternate between the
/// two until each has run for half the time budget; a full collection before each pass keeps one side's garbage
/// off the other's clock.
/// </summary>
public sealed class ParseBenchmark(BounceEngine engine, TimeProvider timeProvider)
{
    private const int WarmUpPasses = 2;
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
        var mimeKitPasses = 0;
        var enginePasses = 0;
        while (mimeKit < half || engineTime < half || mimeKitPasses == 0 || enginePasses == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (mimeKit <= engineTime)
            {
                mimeKit += Timed(() => MimeKitPass(messages));
                mimeKitPasses++;
            }
            else
            {
                engineTime += Timed(() => EnginePass(messages));
                enginePasses++;
            }
        }

        return new BenchmarkResult(
            messages.Count,
            mimeKitPasses,
            messages.Count * mimeKitPasses / mimeKit.TotalSeconds,
            enginePasses,
            messages.Count * enginePasses / engineTime.TotalSeconds);
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
