using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using MimeKit;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// <see cref="BounceEngine.ReadSmtpReply"/> on the replies the project's Postfix really gives at RCPT (scripts/mailstack.sh
/// test domains), and on common relay refusals: the same classifier as a bounce message.
/// </summary>
public sealed class ReadSmtpReplyTests
{
    private const string Relay = "127.0.0.1";

    private static readonly BounceEngine Engine = new();

    [Fact]
    public void ReadSmtpReply_ShouldBeAHardPermanentUserUnknown_WhenPostfixRejectsAnUnknownRecipient()
    {
        var reading = Engine.ReadSmtpReply(
            "x@reject.test",
            550,
            "5.1.1 <x@reject.test>: Recipient address rejected: User unknown in virtual alias table",
            "RCPT",
            Relay);

        Assert.Equal(BounceReason.UserUnknown, reading.Reason);
        Assert.True(reading.Permanent);
        Assert.True(reading.Hard);
        Assert.Equal(EnhancedStatusCode.Create(5, 1, 1), reading.Status);
        Assert.Equal("550", reading.ReplyCode);
        Assert.Equal("x@reject.test", reading.Address);
        Assert.Equal(Relay, reading.RemoteMta);
        Assert.StartsWith("550 5.1.1 <x@reject.test>", reading.Diagnostic, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(reading.Rule));
    }

    [Fact]
    public void ReadSmtpReply_ShouldBeTransientAndNotHard_WhenPostfixDefersTheRecipient()
    {
        var reading = Engine.ReadSmtpReply(
            "x@defer.test",
            450,
            "4.2.1 <x@defer.test>: Recipient address rejected: Mailbox temporarily unavailable (test domain defer.test)",
            "RCPT",
            Relay);

        Assert.False(reading.Permanent);
        Assert.False(reading.Hard);
        Assert.Equal(EnhancedStatusCode.Create(4, 2, 1), reading.Status);
        Assert.Equal("450", reading.ReplyCode);
        Assert.Equal(DeliveryAction.Failed, reading.Action);
    }

    [Fact]
    public void ReadSmtpReply_ShouldBeMailboxFull_WhenTheMailboxIsFull()
    {
        var reading = Engine.ReadSmtpReply("x@example.net", 552, "5.2.2 Mailbox full", "RCPT", Relay);

        Assert.Equal(BounceReason.MailboxFull, reading.Reason);
        Assert.True(reading.Permanent);
        Assert.False(reading.Hard);
        Assert.Equal(EnhancedStatusCode.Create(5, 2, 2), reading.Status);
    }

    [Fact]
    public void ReadSmtpReply_ShouldBeBlockedAndNotHard_WhenTheRelayIsOnABlocklist()
    {
        var reading = Engine.ReadSmtpReply(
            "x@example.net",
            554,
            "5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1",
            "RCPT",
            Relay);

        Assert.Equal(BounceReason.Blocked, reading.Reason);
        Assert.True(reading.Permanent);
        Assert.False(reading.Hard);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void ReadSmtpReply_ShouldBePermanentAndNotHardWithTheCodeAsDiagnostic_WhenA550HasNoText(string? text)
    {
        var reading = Engine.ReadSmtpReply("x@example.net", 550, text, "RCPT", Relay);

        Assert.True(reading.Permanent);
        Assert.False(reading.Hard);
        Assert.Equal("550", reading.ReplyCode);
        Assert.Equal("550", reading.Diagnostic);
        Assert.False(string.IsNullOrWhiteSpace(reading.Rule));
    }

    [Fact]
    public void ReadSmtpReply_ShouldBeTransient_WhenA4xxHasNoText()
    {
        var reading = Engine.ReadSmtpReply("x@example.net", 451, null, "DATA", Relay);

        Assert.False(reading.Permanent);
        Assert.False(reading.Hard);
    }

    [Theory]
    [InlineData(550, "5.1.1 <x@example.net>: Recipient address rejected: User unknown in virtual alias table")]
    [InlineData(450, "4.2.1 <x@example.net>: Recipient address rejected: Mailbox temporarily unavailable")]
    [InlineData(552, "5.2.2 Mailbox full")]
    [InlineData(554, "5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org")]
    public void ReadSmtpReply_ShouldReadTheSameAsTheBounceMessage_WhenADsnReportsTheSameReply(int code, string text)
    {
        // The report Postfix would write for the same refusal: Status and "Diagnostic-Code: smtp; <reply>".
        var status = text[..5];
        var group = new HeaderList
        {
            { "Final-Recipient", "rfc822; x@example.net" },
            { "Action", code < 500 ? "delayed" : "failed" },
            { "Status", status },
            { "Remote-MTA", "dns; " + Relay },
            { "Diagnostic-Code", $"smtp; {code} {text}" },
        };
        var evidence = new List<RecipientEvidence>();
        new DsnFields().ReadGroups([group], evidence);
        var fromReport = new ReasonClassifier(new ReasonPatterns(), new SmtpCodeFinder(), new ProviderRules()).Classify(Assert.Single(evidence));

        var fromReply = Engine.ReadSmtpReply("x@example.net", code, text, "RCPT", Relay);

        Assert.Equal(
            (fromReport.Reason, fromReport.Rule, fromReport.Permanent, fromReport.Hard, fromReport.Status),
            (fromReply.Reason, fromReply.Rule, fromReply.Permanent, fromReply.Hard, fromReply.Status));
    }

    [Theory]
    [InlineData(250)]
    [InlineData(399)]
    [InlineData(600)]
    public void ReadSmtpReply_ShouldThrow_WhenTheCodeIsNotAFailure(int code)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Engine.ReadSmtpReply("x@example.net", code, "text", "RCPT", Relay));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void ReadSmtpReply_ShouldThrow_WhenTheRecipientIsMissing(string recipient)
    {
        Assert.Throws<ArgumentException>(() => Engine.ReadSmtpReply(recipient, 550, "5.1.1 unknown", "RCPT", Relay));
    }
}
