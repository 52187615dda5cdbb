using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Inbound;
using Xunit;

namespace BounceDashboard.Tests.Domain.Inbound;

public class InboundMessageTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] s_content = Encoding.ASCII.GetBytes("Subject: hello\r\n\r\nbody\r\n");

    private static InboundMessage Receive() => InboundMessage.Receive(InboundSource.Imap, "bounces:7:42", s_content, s_now);

    [Fact]
    public void Receive_ShouldKeepTheBytesWithTheirHashAndSize_WhenStored()
    {
        var message = Receive();

        Assert.Equal(InboundOutcome.Pending, message.Outcome);
        Assert.Equal(s_content, message.RawContent);
        Assert.Equal(s_content.Length, message.Size);
        Assert.Equal(64, message.ContentHash.Length);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(s_content)), message.ContentHash);
    }

    [Fact]
    public void Receive_ShouldThrow_WhenTheMessageIsEmpty()
    {
        Assert.Throws<DomainException>(() => InboundMessage.Receive(InboundSource.File, "/tmp/x.eml", [], s_now));
    }

    [Fact]
    public void Receive_ShouldThrowNamingTheLimit_WhenTheMessageIsTooLarge()
    {
        var error = Assert.Throws<DomainException>(() =>
            InboundMessage.Receive(InboundSource.File, "/tmp/huge.eml", new byte[InboundMessage.MaxContentBytes + 1], s_now));

        Assert.Contains(InboundMessage.MaxContentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FitSourceKey_ShouldShortenUniquely_WhenThePathIsTooLong()
    {
        var a = InboundMessage.FitSourceKey("/" + new string('a', 900) + "/1.eml");
        var b = InboundMessage.FitSourceKey("/" + new string('a', 900) + "/2.eml");

        Assert.Equal(InboundMessage.SourceKeyMaxLength, a.Length);
        Assert.NotEqual(a, b);
        Assert.Equal("/short.eml", InboundMessage.FitSourceKey("/short.eml"));
    }

    [Fact]
    public void RecordClassification_ShouldChangeNothing_WhenTheReadingIsTheSame()
    {
        var message = Receive();
        Assert.True(message.RecordClassification(InboundOutcome.Unmatched, MessageKind.Bounce, "postfix", null, "1", s_now));

        var changed = message.RecordClassification(InboundOutcome.Unmatched, MessageKind.Bounce, "postfix", null, "1", s_now.AddDays(1));

        Assert.False(changed);
        Assert.Equal(s_now, message.ClassifiedAt);
    }

    [Fact]
    public void RecordClassification_ShouldThrow_WhenTheOutcomeContradictsTheKind()
    {
        var message = Receive();

        Assert.Throws<DomainException>(() => message.RecordClassification(InboundOutcome.Matched, MessageKind.Unparseable, null, "bad", "1", s_now));
        Assert.Throws<DomainException>(() => message.RecordClassification(InboundOutcome.Pending, MessageKind.Bounce, null, null, "1", s_now));
    }

    [Theory]
    [InlineData(InboundOutcome.Unparseable, MessageKind.Unparseable, true)]
    [InlineData(InboundOutcome.NotABounce, MessageKind.NotABounce, true)]
    [InlineData(InboundOutcome.NoRecipients, MessageKind.Bounce, true)]
    [InlineData(InboundOutcome.Unmatched, MessageKind.Bounce, true)]
    [InlineData(InboundOutcome.Matched, MessageKind.Bounce, false)]
    public void AwaitsReview_ShouldBeTrue_WhenAnythingButMatched(InboundOutcome outcome, MessageKind kind, bool expected)
    {
        var message = Receive();
        Assert.False(message.AwaitsReview);

        message.RecordClassification(outcome, kind, null, kind == MessageKind.Unparseable ? "bad" : null, "1", s_now);

        Assert.Equal(expected, message.AwaitsReview);
    }

    [Fact]
    public void DropRawContent_ShouldDropTheBytes_WhenMatchedAndTheRetentionHasPassed()
    {
        var message = Receive();
        message.RecordClassification(InboundOutcome.Matched, MessageKind.Bounce, "rfc3464", null, "1", s_now);

        Assert.True(message.DropRawContent(s_now.AddDays(31), TimeSpan.FromDays(30)));

        Assert.False(message.HasRawContent);
        Assert.Equal(s_now.AddDays(31), message.RawContentDroppedAt);
        Assert.Equal(s_content.Length, message.Size);
        Assert.False(message.DropRawContent(s_now.AddDays(32), TimeSpan.FromDays(30)));
    }

    [Fact]
    public void DropRawContent_ShouldThrow_WhenTheRetentionIsNotOver()
    {
        var message = Receive();
        message.RecordClassification(InboundOutcome.Matched, MessageKind.Bounce, "rfc3464", null, "1", s_now);

        Assert.Throws<DomainException>(() => message.DropRawContent(s_now.AddDays(29), TimeSpan.FromDays(30)));
        Assert.True(message.HasRawContent);
    }

    [Theory]
    [InlineData(InboundOutcome.Unmatched, MessageKind.Bounce)]
    [InlineData(InboundOutcome.Unparseable, MessageKind.Unparseable)]
    [InlineData(InboundOutcome.NoRecipients, MessageKind.Bounce)]
    [InlineData(InboundOutcome.NotABounce, MessageKind.NotABounce)]
    public void DropRawContent_ShouldThrowNamingTheOutcome_WhenTheMessageIsNotMatched(InboundOutcome outcome, MessageKind kind)
    {
        var message = Receive();
        message.RecordClassification(outcome, kind, null, kind == MessageKind.Unparseable ? "bad" : null, "1", s_now);

        var error = Assert.Throws<DomainException>(() => message.DropRawContent(s_now.AddYears(1), TimeSpan.FromDays(30)));

        Assert.Contains(outcome.ToString(), error.Message, StringComparison.Ordinal);
        Assert.True(message.HasRawContent);
    }
}
