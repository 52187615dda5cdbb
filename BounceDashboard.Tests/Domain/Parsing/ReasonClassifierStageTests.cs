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

    [Fact]
    public void Parse_ShouldReportHostUnknown_WhenTheRefusalSaysAHostNameDoesNotExist()
    {
        // "553 relay.example.org does not exist": the missing thing is a dotted name without an @, a host.
        var report = new BounceEngine().Parse(File.ReadAllBytes(FixtureFiles.Bounces("ours", "exim-host-does-not-exist.eml")));

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("reader@example.net", recipient.Address);
        Assert.Equal(BounceReason.HostUnknown, recipient.Reason);
        Assert.Equal("text:hostunknown:host does not exist", recipient.Rule);
        Assert.Equal("5.0.912", recipient.Status?.ToString());
        Assert.True(recipient.Hard, "a host that does not exist is a hard bounce");
    }

    [Fact]
    public void Parse_ShouldReportRequirePtrWithUndecidedCode_WhenMailFromIsRefusedForUnverifiableSendingIps()
    {
        // A forward-confirmed rDNS check refusing MAIL FROM with a bare 450: requireptr, and the private code
        // stays the undecided x.0.901 because the refusal names no recipient-side detail.
        var report = new BounceEngine().Parse(File.ReadAllBytes(FixtureFiles.Bounces("ours", "exim-unverifiable-sending-ip.eml")));

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("reader@example.com", recipient.Address);
        Assert.Equal(BounceReason.RequirePtr, recipient.Reason);
        Assert.Equal("text:requireptr:unverifyable sending ip", recipient.Rule);
        Assert.Equal("4.0.901", recipient.Status?.ToString());
        Assert.Equal("450", recipient.ReplyCode);
        Assert.False(recipient.Hard);
    }
}
