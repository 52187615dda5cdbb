using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// <see cref="ReasonPatterns.Scan"/>: every reason whose wording occurs in a diagnostic, with the phrase found first,
/// case-insensitively and anywhere in the text.
/// </summary>
public sealed class ReasonPatternsTests
{
    private static readonly ReasonPatterns Patterns = new();

    [Theory]
    [InlineData("550 5.2.2 <a@example.org>: MAILBOX FULL", BounceReason.MailboxFull, "mailbox full")]
    [InlineData("552 Requested action aborted: mailbox is full", BounceReason.MailboxFull, "mailbox is full")]
    [InlineData("550 5.1.1 ... User unknown", BounceReason.UserUnknown, null)]
    [InlineData("554 message too big", BounceReason.MesgTooBig, "message too big")]
    [InlineData("553 sorry, the mailbox is frozen", BounceReason.Suspend, "mailbox is frozen")]
    public void Scan_ShouldFindThePhraseOfTheReason_WhenTheTextSaysIt(string text, BounceReason reason, string? phrase)
    {
        var hits = Patterns.Scan(text);

        Assert.NotNull(hits[(int)reason]);
        if (phrase is not null)
        {
            Assert.Equal(phrase, hits[(int)reason], ignoreCase: true);
        }
    }

    [Fact]
    public void Scan_ShouldNameTheFirstDeclaredPhrase_WhenNestedPhrasesStartAtTheSamePlace()
    {
        // "mailbox full" is declared before "mailbox full (#5.2.2)", and both start at the same character.
        var hits = Patterns.Scan("qmail: mailbox full (#5.2.2)");

        Assert.Equal("mailbox full", hits[(int)BounceReason.MailboxFull]);
    }

    [Fact]
    public void Scan_ShouldNameTheLeftmostPhrase_WhenTwoPhrasesOfOneReasonOccur()
    {
        var hits = Patterns.Scan("quota exceeded; the mailbox is full");

        Assert.Equal("quota exceeded", hits[(int)BounceReason.MailboxFull]);
    }

    [Fact]
    public void Scan_ShouldFindJapaneseWording_WhenTheTextIsNotAscii()
    {
        var hits = Patterns.Scan("550 5.1.1 宛先のアドレスはディレクトリには見つかりません");

        Assert.NotNull(hits.FirstOrDefault(hit => hit is not null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("ma")]
    [InlineData("mai")]
    [InlineData("250 2.0.0 OK queued as 4F2A1")]
    public void Scan_ShouldFindNothing_WhenTheTextNamesNoReason(string text)
    {
        var hits = Patterns.Scan(text);

        Assert.All(hits, hit => Assert.Null(hit));
    }
}
