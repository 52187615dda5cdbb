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
    // A DNS blocklist's name is not spam wording; "spam" inside a host name neither.
    [InlineData("5.7.1", "smtp; 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", BounceReason.Blocked, "text:blocked:blocked using", "5.7.1", false)]
    [InlineData("5.0.0", "smtp; 554 Blocked - see https://www.spamcop.net/bl.shtml?192.0.2.1", BounceReason.Blocked, "text:blocked:", "5.0.0", false)]
    // Exim's callout of our sender quotes the callout's own "5.1.1 User unknown": our sender was refused, not the recipient.
    [InlineData("5.0.0", "smtp; 550-Verification failed for <news@example.org> 550-Response: 550 5.1.1 <news@example.org>: User unknown 550 Sender verify failed",
        BounceReason.Rejected, "text:rejected:sender verify failed", "5.1.1", false)]
    // Rate limits and sending quotas are speeding, not spam and not a full mailbox.
    [InlineData("4.7.28", "smtp; 421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address", BounceReason.Speeding, "text:speeding:unusual rate of", "4.7.28", false)]
    [InlineData("4.2.1", "smtp; 450-4.2.1 The user you are trying to contact is receiving mail too quickly", BounceReason.Speeding, "text:speeding:", "4.2.1", false)]
    [InlineData("5.0.0", "smtp; 554 Throttling failure: Daily message quota exceeded.", BounceReason.Speeding, "text:speeding:daily message quota", "5.0.0", false)]
    [InlineData("5.7.1", "smtp; 550 5.7.1 <news@example.org>: Sender address rejected: rate limit: too many messages in a short time", BounceReason.Speeding, "text:speeding:", "5.7.1", false)]
    // Reverse DNS wording beats the broad "doesn't have a" / "was not found" of unknown users.
    [InlineData("5.7.1", "smtp; 550 5.7.1 Client host 192.0.2.9 doesn't have a valid reverse DNS (PTR) record", BounceReason.RequirePtr, "text:requireptr:", "5.7.1", false)]
    [InlineData("5.7.1", "smtp; 550 5.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.9]", BounceReason.RequirePtr, "text:requireptr:", "5.7.1", false)]
    // Relaying refused.
    [InlineData("5.7.1", "smtp; 550 5.7.1 Unable to relay", BounceReason.NoRelaying, "text:norelaying:unable to relay", "5.7.1", false)]
    [InlineData("5.0.0", "smtp; 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", BounceReason.NoRelaying, "text:norelaying:", "5.7.1", false)]
    // What is missing decides: a mailbox with a dotted name, or a domain.
    [InlineData("5.0.0", "smtp; 550 Mailbox john.smith does not exist", BounceReason.UserUnknown, "text:userunknown:does not exist", "5.0.0", true)]
    [InlineData("5.0.0", "smtp; 550 because the domain example.it couldn't be found", BounceReason.HostUnknown, "text:hostunknown:host couldn't be found", "5.0.0", true)]
    // "not active" about our sender's domain; a policy-class refusal calling the message spam.
    [InlineData("5.0.0", "smtp; 550 Sender domain not active", BounceReason.Rejected, "text:rejected:sender domain", "5.0.0", false)]
    [InlineData("5.7.1", "smtp; 550 5.7.1 Requested action not taken: mailbox unavailable. Your message looks like spam.", BounceReason.SpamDetected, "text:spamdetected:", "5.7.1", false)]
    // Non-English wording and the server's own disk.
    [InlineData("5.0.0", "smtp; 550 Benutzer unbekannt", BounceReason.UserUnknown, "text:userunknown:benutzer unbekannt", "5.0.0", true)]
    [InlineData("5.0.0", "smtp; 552 el buzón del destinatario está lleno", BounceReason.MailboxFull, "text:mailboxfull:", "5.0.0", false)]
    [InlineData("4.4.5", "smtp; 452 4.4.5 Insufficient disk space; try again later", BounceReason.SystemFull, "text:systemfull:insufficient disk space", "4.4.5", false)]
    // Broad wording kept from winning over the right reason.
    [InlineData("5.7.1", "smtp; 554 5.7.1 Your message was automatically rejected because it was identified as spam", BounceReason.SpamDetected, "text:spamdetected:", "5.7.1", false)]
    [InlineData("5.7.1", "smtp; 553 5.7.1 Requested action not taken: mailbox name not allowed", BounceReason.SecurityError, "status:5.7.1:last-resort", "5.7.1", false)]
    [InlineData("4.7.0", "smtp; 421 4.7.0 Too many connections in a short time from your IP", BounceReason.TooManyConn, "text:toomanyconn:", "4.7.0", false)]
    [InlineData("5.0.0", "smtp; 554 Message rejected by SpamAssassin (score 12.3)", BounceReason.SpamDetected, "text:spamdetected:spamassassin", "5.0.0", false)]
    [InlineData("5.0.0", "smtp; 550 Превышен лимит отправки сообщений", BounceReason.OnHold, "text:unrecognised", "5.0.0", false)]
    [InlineData("5.0.0", "smtp; 554 Transaction failed (the server had said 250-8BITMIME)", BounceReason.OnHold, "text:unrecognised", "5.0.0", false)]
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
