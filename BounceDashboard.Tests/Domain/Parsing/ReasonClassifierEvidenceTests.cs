using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// The classifier alone decides: formats hand it evidence (a format's own code included, <see cref="ExplicitClass"/>),
/// it gives the reason, the class, the rule and a sentence for people. Certain failures get their class from the code
/// or the wording even when no reason fits.
/// </summary>
public sealed class ReasonClassifierEvidenceTests
{
    private static readonly ReasonClassifier Classifier = new(new ReasonPatterns(), new SmtpCodeFinder(), new ProviderRules());

    [Fact]
    public void Classify_ShouldDecideByTheFormatsFixedWording_WhenTheDiagnosticSaysSomethingElse()
    {
        // EZweb's fixed sentence names the reason; "user unknown" in the same text must not override it.
        var recipient = Classifier.Classify(new RecipientEvidence
        {
            Address = "a@ezweb.example.jp",
            Diagnostic = "550 user unknown",
            Explicit = new ExplicitClass("ezweb", "account is disabled"),
        });

        Assert.Equal(BounceReason.Suspend, recipient.Reason);
        Assert.Equal("ezweb:account is disabled", recipient.Rule);
    }

    [Fact]
    public void Classify_ShouldUseAFormatsStageCode_OnlyWhenNoSpecificWordingDecides()
    {
        var stageOnly = Classifier.Classify(new RecipientEvidence
        {
            Address = "a@example.com",
            Diagnostic = "550 Requested action not taken (state 14).",
            Command = "RCPT",
            Explicit = new ExplicitClass("gmail", "state-14"),
        });
        var mailboxFull = Classifier.Classify(new RecipientEvidence
        {
            Address = "a@example.com",
            Diagnostic = "552 mailbox full (state 14).",
            Command = "RCPT",
            Explicit = new ExplicitClass("gmail", "state-14"),
        });

        Assert.Equal((BounceReason.UserUnknown, "gmail:state-14"), (stageOnly.Reason, stageOnly.Rule));
        Assert.Equal(BounceReason.MailboxFull, mailboxFull.Reason);
        Assert.StartsWith("text:mailboxfull:", mailboxFull.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NoEmail", BounceReason.UserUnknown, "amazonses:subtype:userunknown", true)]
    [InlineData("MailboxFull", BounceReason.MailboxFull, "amazonses:subtype:mailboxfull", false)]
    [InlineData("General", BounceReason.Undefined, "none", false)]
    public void Classify_ShouldKeepTheStoredRuleIds_WhenAmazonSesNamesOnlyItsSubType(string subType, BounceReason reason, string rule, bool hard)
    {
        // SES sends some bounces without a diagnosticCode: the subtype is all there is. Rule ids are stored on bounce
        // events, so they stay what they were when the format decided the reason itself.
        var recipient = Classifier.Classify(new RecipientEvidence
        {
            Address = "a@example.com",
            Explicit = new ExplicitClass("amazonses", subType),
        });

        Assert.Equal((reason, rule, hard), (recipient.Reason, recipient.Rule, recipient.Hard));
    }

    [Fact]
    public void Classify_ShouldBlameTheMailSystem_WhenALocalDeliveryProgramFailedWithAnX3Status()
    {
        var program = Classifier.Classify(new RecipientEvidence
        {
            Address = "a@example.com",
            Status = "5.1.1",
            Diagnostic = "procmail: exit 67",
            Explicit = new ExplicitClass("diagnostic-type", "x-unix"),
        });
        var system = Classifier.Classify(new RecipientEvidence
        {
            Address = "a@example.com",
            Status = "5.3.0",
            Diagnostic = "procmail: exit 75",
            Explicit = new ExplicitClass("diagnostic-type", "x-unix"),
        });

        Assert.Equal((BounceReason.MailerError, "diagnostic-type:x-unix"), (program.Reason, program.Rule));
        Assert.False(program.Hard, "a failing delivery program says nothing of the address");
        Assert.Equal((BounceReason.SystemError, "diagnostic-type:x-unix+status:5.3.0"), (system.Reason, system.Rule));
    }

    [Theory]
    [InlineData("Temporary failure while talking to the other side, zzq", false, "4.0.901")]
    [InlineData("Delivery deferred: will retry the frobnicator", false, "4.0.901")]
    [InlineData("Frobnicator refused the message; giving up", true, "5.0.901")]
    [InlineData("Frobnicator refused the message", true, "5.0.901")]
    public void Classify_ShouldTakeTheClassFromTheWording_WhenNoCodeAndNoReasonFits(string diagnostic, bool permanent, string status)
    {
        var recipient = Classifier.Classify(new RecipientEvidence { Address = "a@example.com", Diagnostic = diagnostic });

        Assert.Equal(BounceReason.OnHold, recipient.Reason);
        Assert.Equal(permanent, recipient.Permanent);
        Assert.Equal(status, recipient.Status?.ToString());
    }

    [Theory]
    [InlineData("451 frobnicator says no", false)]
    [InlineData("554 frobnicator says no", true)]
    public void Classify_ShouldTakeTheClassFromTheReply_WhenNoReasonFits(string diagnostic, bool permanent)
    {
        var recipient = Classifier.Classify(new RecipientEvidence { Address = "a@example.com", Diagnostic = diagnostic });

        Assert.Equal(BounceReason.OnHold, recipient.Reason);
        Assert.Equal(permanent, recipient.Permanent);
        Assert.Contains("from reply " + diagnostic[..3], recipient.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ShouldTakeTheNoticesOwnClass_WhenItCallsTheFailureTemporaryWithoutACode()
    {
        // "The following recipients returned temporary errors: ..." quoting no code.
        var recipient = Classifier.Classify(new RecipientEvidence
        {
            Address = "a@example.com",
            Diagnostic = "the frobnicator is unwell",
            Explicit = new ExplicitClass("trouble-delivering", null, Temporary: true),
        });

        Assert.False(recipient.Permanent);
        Assert.Equal(4, recipient.Status?.Class);
        Assert.Contains("from the notice's own class", recipient.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Explanation_ShouldNameTheStageCodesWordingMeaningClassAndRule_WhenARecipientWasRefusedAtRcpt()
    {
        var recipient = new BounceEngine().ReadSmtpReply("a@example.com", 550, "5.1.1 <a@example.com>: no such user here", "RCPT", "mx.example.com");

        Assert.Equal(
            "Refused at RCPT with 550 5.1.1 '<a@example.com>: no such user here': the recipient mailbox does not exist at that domain "
            + "(permanent, from status 5.1.1; rule " + recipient.Rule + ").",
            recipient.Explanation);
    }

    [Fact]
    public void Explanation_ShouldLeaveOutThePrivateCode_WhenTheNoticeGaveNone()
    {
        var recipient = Classifier.Classify(new RecipientEvidence
        {
            Address = "a@example.com",
            Action = DeliveryAction.Delayed,
            Diagnostic = "connection timed out, will try again later",
        });

        Assert.StartsWith("Delayed 'connection timed out': ", recipient.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain(".0.9", recipient.Explanation, StringComparison.Ordinal);
        Assert.Contains("temporary, from the wording 'try again later'", recipient.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ours", "postfix-mail-from-refused.eml",
        "Refused at MAIL with 550 5.7.1 'Access denied': the receiving server refused the sender address or sending domain "
        + "(permanent, from status 5.7.1; rule command:MAIL).")]
    [InlineData("written", "kddi-au-over-quota.eml",
        "Failed 'account is temporarily over quota': the recipient's mailbox is over its quota "
        + "(temporary, from the wording 'temporarily'; rule text:mailboxfull:account is temporarily over quota).")]
    public void Parse_ShouldExplainEachRecipient_WhenAMessageIsRead(string folder, string file, string explanation)
    {
        // Whole messages: the stage found while deciding, the codes, the wording, the class and what said it.
        var report = new BounceEngine().Parse(File.ReadAllBytes(FixtureFiles.Bounces(folder, file)));

        Assert.Equal(explanation, Assert.Single(report.Recipients).Explanation);
    }

    [Fact]
    public void Explanation_ShouldSayItIsNoFailure_WhenTheReportIsFeedback()
    {
        var recipient = Classifier.Classify(new RecipientEvidence
        {
            Address = "a@example.com",
            Action = DeliveryAction.Unknown,
            FeedbackType = "abuse",
            Explicit = new ExplicitClass("arf", "abuse"),
        });

        Assert.Equal((BounceReason.Feedback, "arf:abuse"), (recipient.Reason, recipient.Rule));
        Assert.Equal("A feedback report (abuse) about our message, not a delivery failure (rule arf:abuse).", recipient.Explanation);
    }
}
