using System.Text.Json;

namespace BounceDashboard.Benchmarks.Eval;

/// <summary>One labelled corpus message, its bytes held in memory.</summary>
public sealed record CorpusMessage(string File, IReadOnlyList<ScoredEntry> Expected, byte[] Content);

/// <summary>
/// A labelled bounce corpus laid out like ../shared/bounce-corpus: labels.jsonl (one object per message,
/// <c>file</c> relative to the folder, <c>expect</c> the expected entries) next to the message files.
/// </summary>
public sealed class BounceCorpus
{
    public const string LabelsFileName = "labels.jsonl";

    private BounceCorpus(IReadOnlyList<CorpusMessage> messages, IReadOnlyList<string> unreadable)
    {
        Messages = messages;
        Unreadable = unreadable;
    }

    /// <summary>The labelled messages whose file could be read, in label order.</summary>
    public IReadOnlyList<CorpusMessage> Messages { get; }

    /// <summary>Labelled files that could not be read, each with the reason.</summary>
    public IReadOnlyList<string> Unreadable { get; }

    /// <summary>Reads the labels and every labelled file. Throws <see cref="InvalidDataException"/> for a bad labels line.</summary>
    public static BounceCorpus Load(string directory)
    {
        var labelsPath = Path.Combine(directory, LabelsFileName);
        var messages = new List<CorpusMessage>();
        var unreadable = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(labelsPath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            CorpusLabel? label;
            try
            {
                label = JsonSerializer.Deserialize(line, CorpusJsonContext.Default.CorpusLabel);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{labelsPath}:{lineNumber}: {ex.Message}", ex);
            }

            if (label is null || string.IsNullOrEmpty(label.File))
            {
                throw new InvalidDataException($"{labelsPath}:{lineNumber}: a label needs a \"file\".");
            }

            try
            {
                var content = File.ReadAllBytes(Path.Combine(directory, label.File));
                messages.Add(new CorpusMessage(label.File, (label.Expect ?? []).Select(ScoredEntry.From).ToList(), content));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                unreadable.Add($"{label.File}: {ex.Message}");
            }
        }

        return new BounceCorpus(messages, unreadable);
    }
}
