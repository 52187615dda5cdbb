using System.Text.Json;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// The engine against messages we wrote from real MTA and provider templates (Fixtures/Bounces/written, see its
/// README): formats and wording the engine was not tuned on, each checked against its label for the kind, the set of
/// recipients, the reason (one of those a careful reader would accept), and the hard and permanent flags.
/// </summary>
public sealed class WrittenBouncesTests
{
    private static readonly BounceEngine Engine = new();

    private static readonly IReadOnlyDictionary<string, Label> Labels = ReadLabels();

    /// <summary>Every message but the known gaps, whose labels say why the engine still answers otherwise.</summary>
    public static TheoryData<string> Files() => [.. Labels.Values.Where(l => l.Gap is null).Select(l => l.File).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public void Parse_ShouldAgreeWithTheLabel_WhenTheMessageIsOneWeWrote(string file)
    {
        var label = Labels[file];
        var report = Engine.Parse(File.ReadAllBytes(FixtureFiles.Bounces("written", file)).AsMemory());

        Assert.Equal(label.Kind, report.Kind.ToCode());
        Assert.Equal(
            label.Recipients.Select(r => r.Address.ToLowerInvariant()).Order(StringComparer.Ordinal),
            report.Recipients.Select(r => r.Address.ToLowerInvariant()).Order(StringComparer.Ordinal));
        foreach (var expected in label.Recipients)
        {
            var actual = report.Recipients.First(r => r.Address.Equals(expected.Address, StringComparison.OrdinalIgnoreCase));
            var why = $"{expected.Address}: {actual.Reason.ToCode()} by rule {actual.Rule}";
            Assert.True(expected.Reasons.Contains(actual.Reason.ToCode()), $"{why}; accepted: {string.Join(", ", expected.Reasons)}");

            if (expected.Hard is { } hard)
            {
                Assert.True(actual.Hard == hard, $"{why}; hard {actual.Hard}, expected {hard}");
            }

            if (expected.Permanent is { } permanent)
            {
                Assert.True(actual.Permanent == permanent, $"{why}; permanent {actual.Permanent}, expected {permanent}");
            }
        }
    }

    [Fact]
    public void Labels_ShouldListFewKnownGaps_WhenTheSetIsRead()
    {
        var gaps = Labels.Values.Where(l => l.Gap is not null).Select(l => l.File).ToList();

        Assert.True(gaps.Count <= 10, "known gaps: " + string.Join(", ", gaps));
    }

    [Fact]
    public void Labels_ShouldCoverEveryFailureReasonAndEveryKind_WhenTheSetIsRead()
    {
        var reasons = Labels.Values.SelectMany(l => l.Recipients).SelectMany(r => r.Reasons).ToHashSet(StringComparer.Ordinal);
        var missing = Enum.GetValues<BounceReason>()
            .Where(r => r is not (BounceReason.OnHold or BounceReason.Undefined))
            .Select(r => r.ToCode())
            .Where(code => !reasons.Contains(code))
            .ToList();

        Assert.True(missing.Count == 0, "reasons no written message stands for: " + string.Join(", ", missing));
        Assert.Equal(
            ["autoreply", "bounce", "delay", "feedback", "notabounce", "success"],
            Labels.Values.Select(l => l.Kind).Distinct().Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, Label> ReadLabels()
    {
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        return File.ReadLines(FixtureFiles.Bounces("written", "labels.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<Label>(line, options)!)
            .ToDictionary(label => label.File, StringComparer.Ordinal);
    }

    /// <param name="Gap">Why the engine's reason still differs from the label, for the few it gets wrong.</param>
    private sealed record Label(string File, string Kind, IReadOnlyList<LabelledRecipient> Recipients, string? Gap = null);

    private sealed record LabelledRecipient(string Address, IReadOnlyList<string> Reasons, bool? Hard, bool? Permanent);
}
