using System.Text.Json;

namespace BounceDashboard.Benchmarks.Eval;

/// <summary>One labelled corpus message, its bytes held in memory.</summary>
public sealed record CorpusMessage(string File, IReadOnlyList<ScoredEntry> Expected, byte[] Content)
{
    /// <summary>The label's kind in a recipient-labelled corpus ("bounce", "delay", ...); null in a status/reason one.</summary>
    public string? Kind { get; init; }

    /// <summary>The failed addresses a recipient label expects (as labelled; compared case-insensitively).</summary>
    public IReadOnlyList<string> ExpectedRecipients { get; init; } = [];
}

/// <summary>What a corpus's labels assert, which decides how it is scored.</summary>
public enum CorpusLabelFormat
{
    /// <summary>(status, reply, reason, hard) per expected entry: ../shared/bounce-corpus.</summary>
    StatusReason = 0,

    /// <summary>The failed addresses and the message's kind: ../shared/bounce-corpus-mailman.</summary>
    Recipients = 1,
}

/// <summary>
/// A labelled bounce corpus laid out like ../shared/bounce-corpus: labels.jsonl (one object per message,
/// <c>file</c> relative to the folder, <c>expect</c> the expected entries) next to the message files.
/// </summary>
public sealed class BounceCorpus
{
    public const string LabelsFileName = "labels.jsonl";

    private BounceCorpus(IReadOnlyList<CorpusMessage> messages, IReadOnlyList<string> unreadable, CorpusLabelFormat format)
    {
        Messages = messages;
        Unreadable = unreadable;
        Format = format;
    }

    /// <summary>Recipients when any label carries a "kind" (the recipient-labelled layout); StatusReason otherwise.</summary>
    public CorpusLabelFormat Format { get; }

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
        var format = CorpusLabelFormat.StatusReason;
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

            if (label.Kind is not null)
            {
                format = CorpusLabelFormat.Recipients;
            }

            try
            {
                var content = File.ReadAllBytes(Path.Combine(directory, label.File));
                var expect = label.Expect ?? [];
                messages.Add(new CorpusMessage(label.File, label.Kind is null ? expect.Select(ScoredEntry.From).ToList() : [], content)
                {
                    Kind = label.Kind,
                    ExpectedRecipients = [.. expect.Where(e => !string.IsNullOrWhiteSpace(e.Recipient)).Select(e => e.Recipient!)],
                });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                unreadable.Add($"{label.File}: {ex.Message}");
            }
        }

        return new BounceCorpus(messages, unreadable, format);
    }
}
