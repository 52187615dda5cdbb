using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

public sealed class ReasonClassifierStageTests
{
    [Fact]
    public void Parse_ShouldReportRejected_WhenAnUnexplainedRefusalCameInReplyToMailFrom()
    {
        // Postfix names the SMTP stage in its notice ("in reply to MAIL FROM command"); the report's own
        // wording ("Access denied") names no reason, so the stage decides: MAIL FROM only names our sender.
        var report = new BounceEngine().Parse(File.ReadAllBytes(FixtureFiles.Bounces("ours", "postfix-mail-from-refused.eml")));

        Assert.Equal(MessageKind.Bounce, report.Kind);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("reader@example.org", recipient.Address);
        Assert.Equal(BounceReason.Rejected, recipient.Reason);
        Assert.Equal("command:MAIL", recipient.Rule);
        Assert.Equal("5.7.1", recipient.Status?.ToString());
        Assert.Equal("550", recipient.ReplyCode);
        Assert.True(recipient.Permanent, "a 5.7.1 refusal is permanent");
        Assert.False(recipient.Hard, "a refused sender says nothing bad about the recipient's address");
        Assert.Equal("mailfromtok", report.Match.VerpToken);
        Assert.Equal("n-20261122-1@news.example.com", report.Match.OriginalMessageId?.Trim('<', '>'));
    }

    // "553 relay.example.org does not exist": the missing thing is a dotted name without an @, a host.
    // A forward-confirmed rDNS check refusing MAIL FROM with a bare 450 is requireptr, and the private code stays
    // the undecided x.0.901 because the refusal names no recipient-side detail.
    [Theory]
    [InlineData("exim-host-does-not-exist.eml", "reader@example.net", BounceReason.HostUnknown,
        "text:hostunknown:host does not exist", "5.0.912", "553", true)]
    [InlineData("exim-unverifiable-sending-ip.eml", "reader@example.com", BounceReason.RequirePtr,
        "text:requireptr:unverifyable sending ip", "4.0.901", "450", false)]
    public void Parse_ShouldNameTheReasonAndPrivateCode_WhenTheReplyHasNoEnhancedCode(
        string fixture, string address, BounceReason reason, string rule, string status, string reply, bool hard)
    {
        var report = new BounceEngine().Parse(File.ReadAllBytes(FixtureFiles.Bounces("ours", fixture)));

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal(address, recipient.Address);
        Assert.Equal(reason, recipient.Reason);
        Assert.Equal(rule, recipient.Rule);
        Assert.Equal(status, recipient.Status?.ToString());
        Assert.Equal(reply, recipient.ReplyCode);
        Assert.Equal(hard, recipient.Hard);
    }

    [Fact]
    public void Parse_ShouldReportBlocked_WhenTheRemoteRefusedBeforeAnyCommandWasSent()
    {
        // Sendmail's transcript: "... while talking to mx.example.net.:" then "<<< 554 ..." with no ">>>" between:
        // the refusal is the server's greeting (RFC 5321 §3.1), which names no reason of its own.
        var report = new BounceEngine().Parse(File.ReadAllBytes(FixtureFiles.Bounces("ours", "sendmail-greeting-refused.eml")));

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("judy@example.net", recipient.Address);
        Assert.Equal(BounceReason.Blocked, recipient.Reason);
        Assert.StartsWith("command:CONN", recipient.Rule, StringComparison.Ordinal);
        Assert.Equal("5.5.0", recipient.Status?.ToString());
        Assert.Equal("554", recipient.ReplyCode);
    }

    [Fact]
    public void Parse_ShouldReadTheWholeReplyFromTheTranscript_WhenDiagnosticCodeKeptOnlyItsFirstLine()
    {
        // Diagnostic-Code holds only "552-5.7.0 ... presents a potential" (RFC 5321 §4.2.1: "-" means more lines
        // follow); the session transcript has the rest, which names the reason.
        var report = new BounceEngine().Parse(File.ReadAllBytes(FixtureFiles.Bounces("ours", "sendmail-multiline-reply-cut.eml")));

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("reader@example.net", recipient.Address);
        Assert.Equal(BounceReason.PolicyViolation, recipient.Reason);
        Assert.EndsWith("content and attachment content guidelines.", recipient.Diagnostic, StringComparison.Ordinal);
        Assert.Equal("5.7.0", recipient.Status?.ToString());
    }
}
