using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BounceDashboard.Benchmarks.Eval;

/// <summary>
/// One line of labels.jsonl (fields the evaluation needs). <paramref name="Kind"/> is set only by corpora labelled by
/// recipient (../shared/bounce-corpus-mailman: "bounce", "delay", "not-bounce", "unlabelled"), whose entries carry
/// only a <c>recipient</c>.
/// </summary>
public sealed record CorpusLabel(string File, IReadOnlyList<CorpusEntry> Expect, string? Kind = null);

/// <summary>One expected or predicted entry, spelled the way score.py reads it.</summary>
public sealed record CorpusEntry(
    string? Status,
    string? Reply,
    string? Reason,
    bool Hard = false,
    [property: JsonPropertyName("feedbacktype"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FeedbackType = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Recipient = null);

/// <summary>One line of the predictions file score.py reads.</summary>
public sealed record CorpusPrediction(string File, IReadOnlyList<CorpusEntry> Results);

/// <summary>One line of the predictions file a recipient-labelled corpus's score.py reads (classify's shape).</summary>
public sealed record RecipientPrediction(string File, string Kind, IReadOnlyList<RecipientPredictionEntry> Recipients);

/// <summary>One predicted recipient: its address.</summary>
public sealed record RecipientPredictionEntry(string Address);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(CorpusLabel))]
[JsonSerializable(typeof(CorpusPrediction))]
[JsonSerializable(typeof(RecipientPrediction))]
internal sealed partial class CorpusJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context predictions are written with: '&lt;', '&gt;', '+' and non-ASCII letters as they are, like classify's
    /// output (score.py and people read the file; it is never embedded in HTML).
    /// </summary>
    public static CorpusJsonContext Output { get; } =
        new(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
