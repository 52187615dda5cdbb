using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BounceDashboard.Benchmarks.Eval;

/// <summary>
/// Minimum accuracy figures (fractions rounded to 4 decimals, as score.py prints them), overall and per folder.
/// A status/reason corpus records the first six; a recipient-labelled corpus (bounce-corpus-mailman) the
/// recipient ones (recall, precision, exact sets, bounces detected, delays kept apart, not-bounces kept out), each
/// corpus in its own file. A run below any recorded figure fails. Figures are raised as the engine improves and never lowered;
/// speed is deliberately absent because CI machines differ.
/// </summary>
public sealed record EvalRatchet(
    double? StatusReason = null,
    double? Reason = null,
    double? Status = null,
    double? All4 = null,
    double? Hard = null,
    double? ExactMessages = null,
    IReadOnlyDictionary<string, EvalRatchet>? Folders = null,
    double? RecipientRecall = null,
    double? RecipientPrecision = null,
    double? ExactSets = null,
    double? BouncesDetected = null,
    double? DelaysKeptApart = null,
    double? NotBouncesKeptOut = null)
{
    private const int Decimals = 4;

    public static EvalRatchet Load(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize(stream, RatchetJsonContext.Default.EvalRatchet)
            ?? throw new JsonException($"{path} holds no ratchet object.");
    }

    public void Save(string path)
    {
        var json = JsonSerializer.Serialize(this, RatchetJsonContext.Default.EvalRatchet);
        File.WriteAllText(path, json + Environment.NewLine);
    }

    /// <summary>The figures of a run, rounded the way they are compared.</summary>
    public static EvalRatchet From(EvalScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return From(score.Total) with
        {
            Folders = score.Folders.ToDictionary(f => f.Key, f => From(f.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>The figures of a recipient-labelled run, rounded the way they are compared.</summary>
    public static EvalRatchet From(RecipientScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return new EvalRatchet(
            RecipientRecall: Round(score.RecipientRecall),
            RecipientPrecision: Round(score.RecipientPrecision),
            ExactSets: Round(score.ExactSetFraction),
            BouncesDetected: Round(score.BouncesDetectedFraction),
            DelaysKeptApart: Round(score.DelaysKeptApartFraction),
            NotBouncesKeptOut: Round(score.NotBouncesKeptOutFraction));
    }

    /// <summary>Every recorded figure a recipient-labelled run falls below, named (e.g. "recipientRecall 0.8898 &lt; 0.9800").</summary>
    public IReadOnlyList<string> Violations(RecipientScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var violations = new List<string>();
        AddViolations(From(score), "", violations);
        return violations;
    }

    /// <summary>Every recorded figure the run falls below, named (e.g. "mac/hard 0.9111 &lt; 0.9556").</summary>
    public IReadOnlyList<string> Violations(EvalScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var violations = new List<string>();
        AddViolations(From(score.Total), "", violations);
        foreach (var (folder, minimum) in Folders ?? new Dictionary<string, EvalRatchet>())
        {
            if (score.Folders.TryGetValue(folder, out var tally))
            {
                minimum.AddViolations(From(tally), folder + "/", violations);
            }
            else
            {
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"{folder}: folder has no messages in this run"));
            }
        }

        return violations;
    }

    /// <summary>The higher of two ratchets, figure by figure, so writing a new one never lowers it.</summary>
    public EvalRatchet Raise(EvalRatchet current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var folders = new Dictionary<string, EvalRatchet>(StringComparer.Ordinal);
        foreach (var name in (Folders?.Keys ?? []).Union(current.Folders?.Keys ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var mine = Folders?.GetValueOrDefault(name);
            var theirs = current.Folders?.GetValueOrDefault(name);
            folders[name] = mine is null ? theirs! : theirs is null ? mine : mine.Raise(theirs);
        }

        return new EvalRatchet(
            Max(StatusReason, current.StatusReason),
            Max(Reason, current.Reason),
            Max(Status, current.Status),
            Max(All4, current.All4),
            Max(Hard, current.Hard),
            Max(ExactMessages, current.ExactMessages),
            folders.Count == 0 ? null : folders,
            Max(RecipientRecall, current.RecipientRecall),
            Max(RecipientPrecision, current.RecipientPrecision),
            Max(ExactSets, current.ExactSets),
            Max(BouncesDetected, current.BouncesDetected),
            Max(DelaysKeptApart, current.DelaysKeptApart),
            Max(NotBouncesKeptOut, current.NotBouncesKeptOut));
    }

    private static EvalRatchet From(EvalTally tally) => new(
        Round(tally.Recall(EvalMetric.StatusReason)),
        Round(tally.Recall(EvalMetric.Reason)),
        Round(tally.Recall(EvalMetric.Status)),
        Round(tally.Recall(EvalMetric.All4)),
        Round(tally.Recall(EvalMetric.Hard)),
        Round(tally.ExactFraction));

    private void AddViolations(EvalRatchet actual, string prefix, List<string> violations)
    {
        Check(nameof(StatusReason), StatusReason, actual.StatusReason);
        Check(nameof(Reason), Reason, actual.Reason);
        Check(nameof(Status), Status, actual.Status);
        Check(nameof(All4), All4, actual.All4);
        Check(nameof(Hard), Hard, actual.Hard);
        Check(nameof(ExactMessages), ExactMessages, actual.ExactMessages);
        Check(nameof(RecipientRecall), RecipientRecall, actual.RecipientRecall);
        Check(nameof(RecipientPrecision), RecipientPrecision, actual.RecipientPrecision);
        Check(nameof(ExactSets), ExactSets, actual.ExactSets);
        Check(nameof(BouncesDetected), BouncesDetected, actual.BouncesDetected);
        Check(nameof(DelaysKeptApart), DelaysKeptApart, actual.DelaysKeptApart);
        Check(nameof(NotBouncesKeptOut), NotBouncesKeptOut, actual.NotBouncesKeptOut);

        void Check(string name, double? minimum, double? value)
        {
            if (minimum is { } min && (value ?? 0) < min)
            {
                var figure = prefix + JsonNamingPolicy.CamelCase.ConvertName(name);
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"{figure} {value ?? 0:0.0000} < {min:0.0000}"));
            }
        }
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, Decimals, MidpointRounding.ToEven) : null;

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(EvalRatchet))]
internal sealed partial class RatchetJsonContext : JsonSerializerContext;
