using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Benchmarks.Eval;

/// <summary>The figures score.py reports, each a recall over the expected entries (multiset matching per message).</summary>
public enum EvalMetric
{
    /// <summary>(status, reason) pairs reproduced: the headline figure.</summary>
    StatusReason = 0,
    Reason = 1,
    Status = 2,
    /// <summary>(status, reply, reason, hard) all equal.</summary>
    All4 = 3,
    /// <summary>hard/soft flags reproduced.</summary>
    Hard = 4,
}

/// <summary>One expected or predicted entry as score.py compares it: absent fields are empty strings.</summary>
public sealed record ScoredEntry(string Status, string Reply, string Reason, bool Hard, string? Rule = null)
{
    public static ScoredEntry From(CorpusEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new ScoredEntry(entry.Status ?? "", entry.Reply ?? "", entry.Reason ?? "", entry.Hard);
    }

    public static ScoredEntry From(BounceRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return new ScoredEntry(recipient.Status?.ToString() ?? "", recipient.ReplyCode ?? "", recipient.Reason.ToCode(), recipient.Hard, recipient.Rule);
    }

    public static CorpusEntry ToPrediction(BounceRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var entry = From(recipient);
        return new CorpusEntry(entry.Status, entry.Reply, entry.Reason, entry.Hard, recipient.FeedbackType, recipient.Address);
    }
}

/// <summary>A message whose predicted (status, reason) multiset differs from the expected one.</summary>
public sealed record EvalMiss(string File, IReadOnlyList<ScoredEntry> Expected, IReadOnlyList<ScoredEntry> Got, MessageKind Kind, string? Error);

/// <summary>Counts for a set of messages (the whole corpus, or one folder).</summary>
public sealed class EvalTally
{
    private readonly int[] _hits = new int[Enum.GetValues<EvalMetric>().Length];

    public int Messages { get; private set; }
    public int ExpectedEntries { get; private set; }
    public int PredictedEntries { get; private set; }
    public int ExactMessages { get; private set; }
    public int ExtraEntries { get; private set; }

    public int Hits(EvalMetric metric) => _hits[(int)metric];

    /// <summary>Hits over expected entries; null when nothing was expected (score.py prints None).</summary>
    public double? Recall(EvalMetric metric) => ExpectedEntries == 0 ? null : (double)Hits(metric) / ExpectedEntries;

    public double? ExactFraction => Messages == 0 ? null : (double)ExactMessages / Messages;

    internal void Add(int expected, int predicted, int[] hits, int extra, bool exact)
    {
        Messages++;
        ExpectedEntries += expected;
        PredictedEntries += predicted;
        ExtraEntries += extra;
        ExactMessages += exact ? 1 : 0;
        for (var i = 0; i < _hits.Length; i++)
        {
            _hits[i] += hits[i];
        }
    }
}

/// <summary>
/// Scores engine output against labels exactly as ../shared/bounce-corpus/score.py does: per message, each
/// expected entry may be matched by at most one predicted entry with the same key (multiset), for each metric;
/// extra entries and exactness are judged on (status, reason).
/// </summary>
public sealed class EvalScore
{
    private static readonly EvalMetric[] Metrics = Enum.GetValues<EvalMetric>();
    private readonly SortedDictionary<string, EvalTally> _folders = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (int Hits, int Total)> _reasons = new(StringComparer.Ordinal);
    private readonly List<EvalMiss> _misses = [];

    public EvalTally Total { get; } = new();

    public IReadOnlyDictionary<string, EvalTally> Folders => _folders;

    /// <summary>Per expected reason: (status, reason) pairs reproduced out of expected.</summary>
    public IReadOnlyDictionary<string, (int Hits, int Total)> Reasons => _reasons;

    public IReadOnlyList<EvalMiss> Misses => _misses;

    /// <summary>The folder of a corpus file: the part before the first '/', e.g. "bsd".</summary>
    public static string FolderOf(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var slash = file.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "." : file[..slash];
    }

    public void Add(string file, IReadOnlyList<ScoredEntry> expected, BounceReport report)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(report);
        var got = report.Recipients.Select(ScoredEntry.From).ToList();
        var hits = new int[Metrics.Length];
        var extra = 0;
        foreach (var metric in Metrics)
        {
            var (h, x) = metric switch
            {
                EvalMetric.StatusReason => MultisetHits(expected, got, e => (e.Status, e.Reason)),
                EvalMetric.Reason => MultisetHits(expected, got, e => e.Reason),
                EvalMetric.Status => MultisetHits(expected, got, e => e.Status),
                EvalMetric.All4 => MultisetHits(expected, got, e => (e.Status, e.Reply, e.Reason, e.Hard)),
                EvalMetric.Hard => MultisetHits(expected, got, e => e.Hard),
                _ => throw new InvalidOperationException($"Unknown metric {metric}."),
            };
            hits[(int)metric] = h;
            if (metric == EvalMetric.StatusReason)
            {
                extra = x;
            }
        }

        var exact = hits[(int)EvalMetric.StatusReason] == expected.Count && extra == 0;
        Total.Add(expected.Count, got.Count, hits, extra, exact);
        var folder = FolderOf(file);
        if (!_folders.TryGetValue(folder, out var tally))
        {
            tally = new EvalTally();
            _folders[folder] = tally;
        }

        tally.Add(expected.Count, got.Count, hits, extra, exact);
        AddPerReason(expected, got);
        if (!exact)
        {
            _misses.Add(new EvalMiss(file, expected, got, report.Kind, report.Error));
        }
    }

    private void AddPerReason(IReadOnlyList<ScoredEntry> expected, List<ScoredEntry> got)
    {
        var available = Count(got, e => (e.Status, e.Reason));
        foreach (var entry in expected)
        {
            var key = (entry.Status, entry.Reason);
            var hit = available.TryGetValue(key, out var left) && left > 0;
            if (hit)
            {
                available[key] = left - 1;
            }

            _reasons.TryGetValue(entry.Reason, out var counts);
            _reasons[entry.Reason] = (counts.Hits + (hit ? 1 : 0), counts.Total + 1);
        }
    }

    /// <summary>score.py's multiset_hits: expected entries matched (each predicted entry used once), and predicted entries left over.</summary>
    private static (int Hits, int Extra) MultisetHits<TKey>(IReadOnlyList<ScoredEntry> expected, List<ScoredEntry> got, Func<ScoredEntry, TKey> key)
        where TKey : notnull
    {
        var available = Count(got, key);
        var hits = 0;
        foreach (var entry in expected)
        {
            var k = key(entry);
            if (available.TryGetValue(k, out var left) && left > 0)
            {
                available[k] = left - 1;
                hits++;
            }
        }

        return (hits, available.Values.Sum());
    }

    private static Dictionary<TKey, int> Count<TKey>(List<ScoredEntry> entries, Func<ScoredEntry, TKey> key)
        where TKey : notnull
    {
        var counts = new Dictionary<TKey, int>();
        foreach (var entry in entries)
        {
            var k = key(entry);
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }

        return counts;
    }
}
