using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using MimeKit;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// One RFC 3464 per-recipient group read by <see cref="DsnFields"/> and classified by <see cref="ReasonClassifier"/>:
/// what the diagnostic-type and the shape of Diagnostic-Code say when no notice text is there to help.
/// </summary>
public sealed class DiagnosticCodeReasonTests
{
    private static readonly ReasonClassifier Classifier = new(new ReasonPatterns(), new SmtpCodeFinder(), new ProviderRules());

    [Theory]
    // RFC 3464 §2.3.6 "X-Unix": the delivery program's exit status; an X.3.x status blames the mail system itself.
    [InlineData("5.3.0", "X-Unix; 77", BounceReason.SystemError, "diagnostic-type:x-unix+status:5.3.0", "5.3.0", false)]
    [InlineData("5.0.0", "X-Unix; 77", BounceReason.MailerError, "diagnostic-type:x-unix", "5.0.0", false)]
    // No diagnostic-type and no reply code: the reporter's own words, at an unknown stage, so "does not exist" is a filter.
    [InlineData("5.0.0", "The email account that you tried to reach does not exist.", BounceReason.Filtered,
        "command:unknown+text:userunknown:", "5.0.0", false)]
    // au (KDDI): "550 : User unknown" with the address left out is its reception filter; with the address, a missing mailbox.
    [InlineData("5.0.0", "smtp;550 : User unknown", BounceReason.Filtered, "provider:au:user-unknown-without-address", "5.0.0", false, "erin@ezweb.ne.jp")]
    [InlineData("5.0.0", "smtp;550: : User unknown", BounceReason.Filtered, "provider:au:user-unknown-without-address", "5.0.0", false, "erin@ezweb.ne.jp")]
    [InlineData("5.0.0", "smtp;550 <erin@ezweb.ne.jp>: User unknown", BounceReason.UserUnknown, "text:userunknown:", "5.0.0", true, "erin@ezweb.ne.jp")]
    // Only au means that: elsewhere, and for a 5.1.1 even at au, "550: User unknown" is a missing mailbox.
    [InlineData("5.0.0", "smtp;550 : User unknown", BounceReason.UserUnknown, "text:userunknown:", "5.0.0", true, "erin@example.jp")]
    [InlineData("5.1.1", "smtp;550: User unknown", BounceReason.UserUnknown, "status:5.1.1", "5.1.1", true, "erin@ezweb.ne.jp")]
    public void Classify_ShouldNameTheReason_WhenReportGroupHasThatDiagnosticCode(
        string status, string diagnosticCode, BounceReason reason, string rulePrefix, string finalStatus, bool hard, string address = "erin@example.jp")
    {
        var group = new HeaderList
        {
            { "Final-Recipient", "rfc822; " + address },
            { "Action", "failed" },
            { "Status", status },
            { "Diagnostic-Code", diagnosticCode },
        };
        var evidence = new List<RecipientEvidence>();
        new DsnFields().ReadGroups([group], evidence);

        var recipient = Classifier.Classify(Assert.Single(evidence));

        Assert.Equal(address, recipient.Address);
        Assert.True(recipient.Reason == reason, $"reason {recipient.Reason} by rule {recipient.Rule}, expected {reason}");
        Assert.StartsWith(rulePrefix, recipient.Rule, StringComparison.Ordinal);
        Assert.Equal(finalStatus, recipient.Status?.ToString());
        Assert.Equal(hard, recipient.Hard);
    }
}
