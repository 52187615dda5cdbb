using BounceDashboard.Benchmarks.Eval;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Benchmarks.Eval;

public sealed class EvalRatchetTests
{
    /// <summary>bsd: 1 of 2 entries right (status+reason and hard 0.5); mac: 0 of 1.</summary>
    private static EvalScore Score()
    {
        var score = new EvalScore();
        var hard = new ScoredEntry("5.1.1", "550", "userunknown", true);
        var recipient = new BounceRecipient(
            "x@example.net", DeliveryAction.Failed, EnhancedStatusCode.Parse("5.1.1"), "550", null, null,
            BounceReason.UserUnknown, Permanent: true, Hard: true, "test");
        score.Add("bsd/a.eml", [hard, hard], new BounceReport(MessageKind.Bounce, [recipient], BounceMatch.None));
        score.Add("mac/a.eml", [hard], new BounceReport(MessageKind.NotABounce, [], BounceMatch.None));
        return score;
    }

    [Fact]
    public void Violations_ShouldNameEachFigureBelowItsMinimum_WhenTheRunFallsShort()
    {
        var ratchet = new EvalRatchet(StatusReason: 0.34, Hard: 0.3, Folders: new Dictionary<string, EvalRatchet>
        {
            ["bsd"] = new(StatusReason: 0.5),
            ["mac"] = new(Hard: 0.1),
        });

        var violations = ratchet.Violations(Score());

        Assert.Equal(["statusReason 0.3333 < 0.3400", "mac/hard 0.0000 < 0.1000"], violations);
    }

    [Fact]
    public void Violations_ShouldBeEmpty_WhenEveryRecordedFigureIsMet()
    {
        var ratchet = EvalRatchet.From(Score());

        Assert.Empty(ratchet.Violations(Score()));
        Assert.Equal(0.3333, ratchet.StatusReason);
        Assert.Equal(0.5, ratchet.Folders!["bsd"].Hard);
    }

    [Fact]
    public void Violations_ShouldNameTheFolder_WhenARecordedFolderHasNoMessages()
    {
        var ratchet = new EvalRatchet(Folders: new Dictionary<string, EvalRatchet> { ["dos"] = new(StatusReason: 0.1) });

        Assert.Contains("dos", Assert.Single(ratchet.Violations(Score())), StringComparison.Ordinal);
    }

    [Fact]
    public void Raise_ShouldKeepTheHigherFigureOfEach_WhenMergingARunIntoTheRecordedRatchet()
    {
        var recorded = new EvalRatchet(StatusReason: 0.9, Hard: 0.2, Folders: new Dictionary<string, EvalRatchet> { ["bsd"] = new(Hard: 0.8) });

        var raised = recorded.Raise(EvalRatchet.From(Score()));

        Assert.Equal(0.9, raised.StatusReason);
        Assert.Equal(0.3333, raised.Hard);
        Assert.Equal(0.8, raised.Folders!["bsd"].Hard);
        Assert.Equal(0.5, raised.Folders["bsd"].StatusReason);
        Assert.Equal(0.0, raised.Folders["mac"].StatusReason);
    }

    [Fact]
    public void Load_ShouldReadWhatSaveWrote_WhenTheRatchetHasFolders()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "eval-ratchet.json");
        EvalRatchet.From(Score()).Save(path);

        var loaded = EvalRatchet.Load(path);

        Assert.Equal(0.3333, loaded.StatusReason);
        Assert.Equal(0.5, loaded.Folders!["bsd"].StatusReason);
        Assert.Empty(loaded.Violations(Score()));
        Assert.DoesNotContain("null", File.ReadAllText(path), StringComparison.Ordinal);
    }
}
