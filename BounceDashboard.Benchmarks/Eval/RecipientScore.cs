using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Benchmarks.Eval;

/// <summary>A recipient-labelled message the engine did not read exactly: the kind it gave and what was wrong.</summary>
public sealed record RecipientMiss(string File, string LabelKind, MessageKind Got, IReadOnlyList<string> Problems);

/// <summary>
/// Scores engine output against a recipient-labelled corpus exactly as ../shared/bounce-corpus-mailman/score.py does:
/// per bounce message the expected failed addresses and the predicted ones are compared as multisets
/// (case-insensitive, trimmed); a delay or not-bounce label only asks that the message is not read as a bounce;
/// an "unlabelled" message is counted and not scored.
/// </summary>
public sealed class RecipientScore
{
    public const string BounceLabel = "bounce";
    public const string DelayLabel = "delay";
    public const string NotBounceLabel = "not-bounce";

    private readonly List<RecipientMiss> _misses = [];

    public int Messages { get; private set; }
    public int Bounces { get; private set; }
    public int BouncesDetected { get; private set; }
    public int Delays { get; private set; }
    public int DelaysKeptApart { get; private set; }
    public int NotBounces { get; private set; }
    public int NotBouncesKeptOut { get; private set; }
    public int ExpectedAddresses { get; private set; }
    public int PredictedAddresses { get; private set; }
    public int AddressesFound { get; private set; }
    public int ExactSets { get; private set; }

    /// <summary>Messages per label kind, "unlabelled" included.</summary>
    public SortedDictionary<string, int> Kinds { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<RecipientMiss> Misses => _misses;

    /// <summary>Expected failed addresses found, over bounce messages; null when none was expected (score.py's None).</summary>
    public double? RecipientRecall => Ratio(AddressesFound, ExpectedAddresses);

    /// <summary>Predicted addresses of bounce messages that are expected.</summary>
    public double? RecipientPrecision => Ratio(AddressesFound, PredictedAddresses);

    /// <summary>Bounce messages with no missing and no extra address.</summary>
    public double? ExactSetFraction => Ratio(ExactSets, Bounces);

    public double? BouncesDetectedFraction => Ratio(BouncesDetected, Bounces);

    public double? DelaysKeptApartFraction => Ratio(DelaysKeptApart, Delays);

    public double? NotBouncesKeptOutFraction => Ratio(NotBouncesKeptOut, NotBounces);

    public void Add(CorpusMessage message, BounceReport report)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(report);
        var kind = message.Kind ?? "unlabelled";
        Messages++;
        Kinds[kind] = Kinds.GetValueOrDefault(kind) + 1;
        var isBounce = report.Kind == MessageKind.Bounce;
        var problems = new List<string>();
        switch (kind)
        {
            case BounceLabel:
                Bounces++;
                BouncesDetected += isBounce ? 1 : 0;
                if (!isBounce)
                {
                    problems.Add($"not read as a bounce (kind {report.Kind.ToCode()})");
                }

                ScoreAddresses(message.ExpectedRecipients, report, problems);
                break;
            case DelayLabel:
                Delays++;
                DelaysKeptApart += isBounce ? 0 : 1;
                if (isBounce)
                {
                    problems.Add("a delay read as a bounce");
                }

                break;
            case NotBounceLabel:
                NotBounces++;
                NotBouncesKeptOut += isBounce ? 0 : 1;
                if (isBounce)
                {
                    problems.Add("not a bounce, read as one");
                }

                break;
            default:
                break;
        }

        if (problems.Count > 0)
        {
            _misses.Add(new RecipientMiss(message.File, kind, report.Kind, problems));
        }
    }

    private void ScoreAddresses(IReadOnlyList<string> expected, BounceReport report, List<string> problems)
    {
        var want = Count(expected);
        var got = Count(report.Recipients.Select(r => r.Address));
        var hit = 0;
        var missing = new List<string>();
        foreach (var (address, n) in want)
        {
            var found = Math.Min(n, got.GetValueOrDefault(address));
            hit += found;
            if (found < n)
            {
                missing.Add(address);
            }
        }

        var extra = new List<string>();
        foreach (var (address, n) in got)
        {
            if (n > want.GetValueOrDefault(address))
            {
                extra.Add(address);
            }
        }

        ExpectedAddresses += expected.Count;
        PredictedAddresses += report.Recipients.Count;
        AddressesFound += hit;
        ExactSets += missing.Count == 0 && extra.Count == 0 ? 1 : 0;
        if (missing.Count > 0)
        {
            problems.Add("missing " + string.Join(", ", missing.Order(StringComparer.Ordinal)));
        }

        if (extra.Count > 0)
        {
            problems.Add("extra " + string.Join(", ", extra.Order(StringComparer.Ordinal)));
        }
    }

    /// <summary>score.py's Counter of stripped, lower-cased addresses.</summary>
    private static Dictionary<string, int> Count(IEnumerable<string?> addresses)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var address in addresses)
        {
            var key = (address ?? string.Empty).Trim().ToLowerInvariant();
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    private static double? Ratio(int hits, int total) => total == 0 ? null : (double)hits / total;
}
