using BounceDashboard.Benchmarks.Eval;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using Xunit;

namespace BounceDashboard.Tests.Benchmarks.Eval;

public sealed class EvalScoreTests
{
    private static readonly ScoredEntry UserUnknown = new("5.1.1", "550", "userunknown", true);
    private static readonly ScoredEntry MailboxFull = new("4.2.2", "452", "mailboxfull", false);

    /// <summary>
    /// Four messages whose figures were worked out by hand and checked with ../shared/bounce-corpus/score.py:
    /// a duplicate expected entry matched once, a prediction with another reply plus an extra entry,
    /// a wrong reason with the right status, and ordinary mail that expects and gets nothing.
    /// </summary>
    private static EvalScore ScoreFourMessages()
    {
        var score = new EvalScore();
        score.Add("bsd/a.eml", [UserUnknown, UserUnknown], Report(Recipient("5.1.1", "550", BounceReason.UserUnknown)));
        score.Add("bsd/b.eml", [MailboxFull], Report(Recipient("4.2.2", null, BounceReason.MailboxFull), Recipient("5.7.1", "550", BounceReason.Filtered)));
        score.Add("mac/c.eml", [UserUnknown], Report(Recipient("5.1.1", "550", BounceReason.Filtered)));
        score.Add("not/d.eml", [], new BounceReport(MessageKind.NotABounce, [], BounceMatch.None));
        return score;
    }

    [Fact]
    public void Add_ShouldMatchEntriesAsAMultisetLikeScorePy_WhenMessagesHaveDuplicatesExtrasAndMisses()
    {
        var total = ScoreFourMessages().Total;

        Assert.Equal(4, total.Messages);
        Assert.Equal(4, total.ExpectedEntries);
        Assert.Equal(4, total.PredictedEntries);
        Assert.Equal(2, total.Hits(EvalMetric.StatusReason));
        Assert.Equal(2, total.Hits(EvalMetric.Reason));
        Assert.Equal(3, total.Hits(EvalMetric.Status));
        Assert.Equal(1, total.Hits(EvalMetric.All4));
        Assert.Equal(2, total.Hits(EvalMetric.Hard));
        Assert.Equal(1, total.ExactMessages);
        Assert.Equal(2, total.ExtraEntries);
        Assert.Equal(0.5, total.Recall(EvalMetric.StatusReason));
    }

    [Fact]
    public void Add_ShouldTallyPerFolderAndPerReason_WhenMessagesComeFromSeveralFolders()
    {
        var score = ScoreFourMessages();

        Assert.Equal(["bsd", "mac", "not"], score.Folders.Keys);
        Assert.Equal(2, score.Folders["bsd"].Hits(EvalMetric.StatusReason));
        Assert.Equal(3, score.Folders["bsd"].ExpectedEntries);
        Assert.Equal(0, score.Folders["mac"].Hits(EvalMetric.StatusReason));
        Assert.Null(score.Folders["not"].Recall(EvalMetric.StatusReason));
        Assert.Equal(1.0, score.Folders["not"].ExactFraction);
        Assert.Equal((1, 3), score.Reasons["userunknown"]);
        Assert.Equal((1, 1), score.Reasons["mailboxfull"]);
    }

    [Fact]
    public void Add_ShouldListAMissWithTheRule_WhenTheMessageIsNotReproducedExactly()
    {
        var misses = ScoreFourMessages().Misses;

        Assert.Equal(["bsd/a.eml", "bsd/b.eml", "mac/c.eml"], misses.Select(m => m.File));
        Assert.Equal("test.rule.filtered", Assert.Single(misses[2].Got).Rule);
    }

    [Fact]
    public void FolderOf_ShouldReturnTheFirstPathSegment_WhenTheFileIsInAFolder()
    {
        Assert.Equal("dos", EvalScore.FolderOf("dos/lhost-postfix-01.eml"));
        Assert.Equal(".", EvalScore.FolderOf("loose.eml"));
    }

    private static BounceReport Report(params BounceRecipient[] recipients) =>
        new(MessageKind.Bounce, recipients, BounceMatch.None);

    private static BounceRecipient Recipient(string status, string? reply, BounceReason reason)
    {
        var code = EnhancedStatusCode.Parse(status);
        return new BounceRecipient(
            "someone@example.net", DeliveryAction.Failed, code, reply, null, null, reason,
            code.IsPermanent, BounceReasons.IsHard(reason, code.IsPermanent), $"test.rule.{reason.ToCode()}");
    }
}
