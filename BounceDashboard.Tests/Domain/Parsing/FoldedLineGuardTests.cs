using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

public sealed class FoldedLineGuardTests
{
    private const string Dsn =
        "From: MAILER-DAEMON@example.net\nTo: bounces+tok@example.com\nSubject: Undelivered\nMIME-Version: 1.0\n" +
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n" +
        "--b\nContent-Type: text/plain\n\nDelivery failed.\n\n" +
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n" +
        "Final-Recipient: rfc822; gone@example.org\nAction: failed\nStatus: 5.1.1\n" +
        "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown\n\n--b--\n";

    private static byte[] WithFoldedHeader(int continuationLines)
    {
        var text = new StringBuilder("X-Bomb: start\n");
        for (var i = 0; i < continuationLines; i++)
        {
            text.Append(" x\n");
        }

        return Encoding.ASCII.GetBytes(text.Append(Dsn).ToString());
    }

    [Fact]
    public void Bound_ShouldReturnTheInputWithoutACopy_WhenNoRunIsOverTheLimit()
    {
        var raw = new ReadOnlyMemory<byte>(WithFoldedHeader(FoldedLineGuard.MaxRunLines));

        var bounded = new FoldedLineGuard().Bound(raw);

        Assert.True(bounded.Equals(raw), "a message within the limit must come back as the same memory, not a copy");
    }

    [Fact]
    public void Bound_ShouldKeepOnlyTheLimitOfARun_WhenAHeaderIsFoldedOverMoreLines()
    {
        var bounded = new FoldedLineGuard().Bound(WithFoldedHeader(50_000));

        var text = Encoding.ASCII.GetString(bounded.Span);
        var continuation = text.Split('\n').Count(line => line == " x");
        Assert.Equal(FoldedLineGuard.MaxRunLines, continuation);
        Assert.EndsWith(Dsn, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ShouldStillClassifyTheReport_WhenAHeaderBombPrecedesIt()
    {
        var report = new BounceEngine().Parse(WithFoldedHeader(100_000));

        Assert.Equal(MessageKind.Bounce, report.Kind);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("gone@example.org", recipient.Address);
        Assert.Equal(BounceReason.UserUnknown, recipient.Reason);
        Assert.Equal("tok", report.Match.VerpToken);
    }
}
