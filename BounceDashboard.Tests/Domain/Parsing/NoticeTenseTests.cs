using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>Delay or final failure from the notice's own tense, and challenge/response requests kept apart; messages we wrote.</summary>
public sealed class NoticeTenseTests
{
    private static readonly BounceEngine Engine = new();

    private static BounceReport Parse(string subject, string body, string from = "MAILER-DAEMON@mx1.example.org") =>
        Engine.Parse(Encoding.UTF8.GetBytes($"""
            From: {from}
            To: bounces+t1@news.example.com
            Subject: {subject}
            MIME-Version: 1.0
            Content-Type: text/plain; charset=us-ascii

            {body}
            """.ReplaceLineEndings("\r\n")).AsMemory());

    [Fact]
    public void Parse_ShouldReadADelay_WhenTheNoticeSaysAttemptsWillContinueWhateverItsSubject()
    {
        var report = Parse("Delivery failure notification", """
            Your message with Subject: October letter
            could not be delivered to the following recipients:

            jane@example.org

            Please do not resend your original message.
            Delivery attempts will continue to be made for 5 day(s).
            """);

        Assert.Equal(MessageKind.Delay, report.Kind);
        Assert.Equal("jane@example.org", Assert.Single(report.Recipients).Address);
    }

    [Fact]
    public void Parse_ShouldReadAFailure_WhenTheNoticeSaysItIsGivingUpThoughTheSubjectSaysDelayed()
    {
        var report = Parse("Delayed mail to jane@example.org", """
            Hi. This is the mail transport agent at mx1.example.org.

            <jane@example.org>:
            Connection refused. (#4.4.1)
            I'm not going to try again; this message has been in the queue too long.
            """);

        Assert.Equal(MessageKind.Bounce, report.Kind);
    }

    [Fact]
    public void Parse_ShouldReadAFailure_WhenOnlyTheSubjectSaysWarningAndTheTextSaysTheUserIsUnknown()
    {
        var report = Parse("Warning: jane@example.org - User unknown!", """
            jane@example.org - no such user here.

            There is no user by that name at this server.
            """, from: "MDaemon@mail.example.org");

        Assert.Equal(MessageKind.Bounce, report.Kind);
        Assert.Equal("jane@example.org", Assert.Single(report.Recipients).Address);
    }

    [Theory]
    [InlineData("Delivery attempts will continue to be made for 5 day(s).", NoticeTense.Tense.StillTrying)]
    [InlineData("Warning: message could not be delivered for 4 hours. Will keep trying.", NoticeTense.Tense.StillTrying)]
    [InlineData("The message could not be delivered for the past 24 hours.", NoticeTense.Tense.StillTrying)]
    [InlineData("I'm not going to try again; this message has been in the queue too long.", NoticeTense.Tense.GaveUp)]
    [InlineData("Delivery to the following recipient failed permanently:", NoticeTense.Tense.GaveUp)]
    [InlineData("Message could not be delivered for 5 days.", NoticeTense.Tense.Unsaid)]
    [InlineData("We will keep trying, then we are giving up.", NoticeTense.Tense.Unsaid)]
    public void Of_ShouldReadTheTense_WhenTheTextSaysWhatTheMailSystemWillDo(string text, NoticeTense.Tense expected)
    {
        Assert.Equal(expected, NoticeTense.Of(text));
    }

    [Fact]
    public void Parse_ShouldReadAChallengeWithNoRecipient_WhenTheMessageAsksTheSenderToVerifyItself()
    {
        var report = Parse("Please verify your email to Jane Doe", """
            Hello,

            Jane Doe uses a challenge/response filter. Your message is held until you verify that you are a person:
            open the link below and your message will be delivered.

            https://verify.example.net/c/8f2a
            """, from: "Jane Doe <jane@example.org>");

        Assert.Equal(MessageKind.Challenge, report.Kind);
        Assert.Empty(report.Recipients);
        Assert.Equal("challenge", report.Kind.ToCode());
    }

    [Fact]
    public void Parse_ShouldStillReadABounce_WhenTheFailureAsksToVerifyTheRecipientAddress()
    {
        var report = Parse("Undeliverable: October letter", """
            Delivery has failed to these recipients or groups:

            jane@example.org
            The e-mail address you entered couldn't be found. Please verify the recipient's e-mail address and try to resend the message.
            """, from: "postmaster@example.org");

        Assert.Equal(MessageKind.Bounce, report.Kind);
    }
}
