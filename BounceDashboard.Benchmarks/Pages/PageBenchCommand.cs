using System.Diagnostics;
using System.Globalization;

namespace BounceDashboard.Benchmarks.Pages;

/// <summary>
/// <c>page-bench DATABASE [--runs N] [--warmup N] [--only TEXT]</c>: times every page's queries on a seed-demo database
/// (SQLite) through the app's own query services and DI, each scenario run N times after W warm-up runs, and prints
/// p50, p95 and max milliseconds per scenario; exits 1 when a scenario's p95 is over the target (150 ms).
/// </summary>
public sealed class PageBenchCommand(Func<string, IServiceProvider> createServices, Func<IServiceProvider, CancellationToken, Task<IReadOnlyList<PageScenario>>> scenarios) : IBenchmarkCommand
{
    public const double TargetP95Milliseconds = 150;

    private const string UsageText =
        "usage: page-bench DATABASE [--runs N] [--warmup N] [--only TEXT]\n" +
        "  DATABASE  a SQLite file made by seed-demo (e.g. --contacts 1000000 --campaigns 100); opened as the app opens it\n" +
        "  --runs    timed runs per scenario (default 40)\n" +
        "  --warmup  untimed runs per scenario first (default 3)\n" +
        "  --only    run only scenarios whose page or case contains TEXT";

    public string Name => "page-bench";

    public string Summary => "page-bench DATABASE [--runs N] [--warmup N] [--only TEXT]   each page's queries: p50/p95/max ms";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        string? database = null;
        var runs = 40;
        var warmup = 3;
        string? only = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out runs) && runs > 0:
                case "--warmup" when i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out warmup) && warmup >= 0:
                    i++;
                    break;
                case "--only" when i + 1 < args.Count:
                    only = args[++i];
                    break;
                case var path when database is null && !path.StartsWith("--", StringComparison.Ordinal):
                    database = path;
                    break;
                default:
                    await errorOutput.WriteLineAsync(UsageText);
                    return ExitCodes.Usage;
            }
        }

        if (database is null || !File.Exists(database))
        {
            await errorOutput.WriteLineAsync(database is null ? UsageText : $"page-bench: no such database '{database}'");
            return database is null ? ExitCodes.Usage : ExitCodes.Failure;
        }

        var services = createServices(Path.GetFullPath(database));
        var all = await scenarios(services, cancellationToken);
        var selected = all.Where(s => only is null
            || s.Page.Contains(only, StringComparison.OrdinalIgnoreCase)
            || s.Case.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"page-bench {database}: {selected.Count} scenarios, {warmup} warm-up + {runs} timed runs each; target p95 <= {TargetP95Milliseconds} ms"));
        await output.WriteLineAsync($"{"page",-22} {"case",-44} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
        var over = 0;
        foreach (var scenario in selected)
        {
            for (var i = 0; i < warmup; i++)
            {
                await scenario.RunAsync(services, cancellationToken);
            }

            var times = new double[runs];
            for (var i = 0; i < runs; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await scenario.RunAsync(services, cancellationToken);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            Array.Sort(times);
            var p95 = Percentile(times, 0.95);
            var flag = p95 > TargetP95Milliseconds ? "  OVER" : string.Empty;
            over += flag.Length > 0 ? 1 : 0;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{scenario.Page,-22} {scenario.Case,-44} {Percentile(times, 0.5),8:F1} {p95,8:F1} {times[^1],8:F1}{flag}"));
        }

        await output.WriteLineAsync(over == 0
            ? $"RESULT all {selected.Count} scenarios within p95 <= {TargetP95Milliseconds} ms"
            : $"RESULT {over} of {selected.Count} scenarios over p95 {TargetP95Milliseconds} ms");
        return over == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
