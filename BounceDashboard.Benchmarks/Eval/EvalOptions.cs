using System.Globalization;

namespace BounceDashboard.Benchmarks.Eval;

/// <summary>Arguments of <c>eval CORPUS [--ratchet FILE] [--update-ratchet FILE] [--predictions OUT] [--misses N] [--bench-seconds S]</c>.</summary>
public sealed record EvalOptions(
    string Corpus,
    string? Ratchet = null,
    string? UpdateRatchet = null,
    string? Predictions = null,
    int? Misses = null,
    double BenchSeconds = EvalOptions.DefaultBenchSeconds)
{
    public const double DefaultBenchSeconds = 9;

    public const string Usage =
        "usage: eval CORPUS [--ratchet FILE] [--update-ratchet FILE] [--predictions OUT.jsonl] [--misses N] [--bench-seconds S]\n" +
        "  CORPUS             a folder with labels.jsonl and the labelled .eml files (e.g. ../shared/bounce-corpus)\n" +
        "  --ratchet FILE     fail (exit 1) when an accuracy figure is below the minimum recorded in FILE\n" +
        "  --update-ratchet FILE  write this run's figures to FILE, keeping any higher figure already there\n" +
        "  --predictions OUT  write the predictions in score.py's format (python3 score.py labels.jsonl OUT)\n" +
        "  --misses N         list at most N missed messages (default: all)\n" +
        "  --bench-seconds S  time budget of the speed benchmark, split between MimeKit, the engine and the engine's\n" +
        "                     classification alone (default 9; 0 skips it). Build with -c Release for meaningful figures.";

    /// <summary>The options with every path absolute: as typed when absolute, otherwise under <paramref name="baseDirectory"/>.</summary>
    public EvalOptions ResolvePaths(string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(baseDirectory);
        return this with
        {
            Corpus = Path.GetFullPath(Corpus, baseDirectory),
            Ratchet = Ratchet is null ? null : Path.GetFullPath(Ratchet, baseDirectory),
            UpdateRatchet = UpdateRatchet is null ? null : Path.GetFullPath(UpdateRatchet, baseDirectory),
            Predictions = Predictions is null ? null : Path.GetFullPath(Predictions, baseDirectory),
        };
    }

    public static bool TryParse(IReadOnlyList<string> args, out EvalOptions? options, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = null;
        error = null;
        string? corpus = null;
        var parsed = new EvalOptions("");
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (corpus is not null)
                {
                    error = $"more than one CORPUS given ('{corpus}', '{arg}')";
                    return false;
                }

                corpus = arg;
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{arg} needs a value";
                return false;
            }

            var value = args[++i];
            switch (arg)
            {
                case "--ratchet":
                    parsed = parsed with { Ratchet = value };
                    break;
                case "--update-ratchet":
                    parsed = parsed with { UpdateRatchet = value };
                    break;
                case "--predictions":
                    parsed = parsed with { Predictions = value };
                    break;
                case "--misses" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var misses):
                    parsed = parsed with { Misses = misses };
                    break;
                case "--bench-seconds" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds):
                    parsed = parsed with { BenchSeconds = seconds };
                    break;
                case "--misses" or "--bench-seconds":
                    error = $"{arg} needs a non-negative number, not '{value}'";
                    return false;
                default:
                    error = $"unknown option '{arg}'";
                    return false;
            }
        }

        if (corpus is null)
        {
            error = "no CORPUS folder given";
            return false;
        }

        options = parsed with { Corpus = corpus };
        return true;
    }
}
