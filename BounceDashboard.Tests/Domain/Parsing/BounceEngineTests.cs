using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// The engine against real messages: a sample of the shared Sisimai corpus (Fixtures/Bounces/corpus, BSD licence,
/// see README-corpus.md; expectations from its labels and Sisimai's recipient output) and messages we wrote
/// (Fixtures/Bounces/ours) for our own VERP address and tracking header.
/// </summary>
public sealed class BounceEngineTests
{
    private static readonly BounceEngine Engine = new();

    /// <summary>One expected recipient: file, index, kind, address, status, reply, reason, permanent, hard.</summary>
    public static TheoryData<string, int, MessageKind, string, string, string, BounceReason, bool, bool> Recipients => new()
    {
        { "corpus/bsd-arf-01.eml", 0, MessageKind.FeedbackReport, "redacted@example.net", "", "", BounceReason.Feedback, false, false },
        { "corpus/bsd-arf-18.eml", 0, MessageKind.FeedbackReport, "kijitora@example.com", "", "", BounceReason.Feedback, false, false },
        { "corpus/bsd-lhost-amazonses-05.eml", 0, MessageKind.Bounce, "bounce@simulator.amazonses.com", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-courier-01.eml", 0, MessageKind.Bounce, "kijitora@example.co.jp", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-domino-01.eml", 0, MessageKind.Bounce, "kijitora@example.jp", "5.0.911", "", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-dragonfly-02.eml", 0, MessageKind.Bounce, "pseudo-local-part@outlook.example.com", "5.7.509", "550", BounceReason.AuthFailure, true, false },
        { "corpus/bsd-lhost-exchange2003-01.eml", 0, MessageKind.Bounce, "kijitora@example.jp", "5.0.911", "", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-exchange2007-01.eml", 0, MessageKind.Bounce, "mikeneko@example.co.jp", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-exim-01.eml", 0, MessageKind.Bounce, "kijitora@example.ed.jp", "5.7.0", "550", BounceReason.Blocked, true, false },
        { "corpus/bsd-lhost-exim-06.eml", 0, MessageKind.Bounce, "kijitora@example.com", "4.0.947", "", BounceReason.Expired, false, false },
        { "corpus/bsd-lhost-gmail-01.eml", 0, MessageKind.Bounce, "userunknown@example.jp", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-gmail-06.eml", 0, MessageKind.Delay, "kijitora@example.jp", "4.2.2", "450", BounceReason.MailboxFull, false, false },
        { "corpus/bsd-lhost-googlegroups-02.eml", 0, MessageKind.Bounce, "libsisimai@googlegroups.com", "5.0.918", "", BounceReason.Rejected, true, false },
        { "corpus/bsd-lhost-mailru-01.eml", 0, MessageKind.Bounce, "kijitora@example.jp", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-messagingserver-01.eml", 0, MessageKind.Bounce, "kijitora@example.jp", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-office365-01.eml", 0, MessageKind.Bounce, "kijitora@example.com", "5.1.10", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-opensmtpd-17.eml", 0, MessageKind.Bounce, "userunknown@libsisimai.net", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-opensmtpd-17.eml", 1, MessageKind.Bounce, "mailboxfull@libsisimai.net", "5.2.2", "552", BounceReason.MailboxFull, true, false },
        { "corpus/bsd-lhost-outlook-01.eml", 0, MessageKind.Bounce, "kijitora@example.jp", "5.2.2", "550", BounceReason.MailboxFull, true, false },
        { "corpus/bsd-lhost-outlook-06.eml", 0, MessageKind.Delay, "kijitora@example.com", "4.4.7", "", BounceReason.Expired, false, false },
        { "corpus/bsd-lhost-postfix-02.eml", 0, MessageKind.Bounce, "filtered@example.co.jp", "5.2.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-postfix-02.eml", 1, MessageKind.Bounce, "userunknown@example.co.jp", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-postfix-05.eml", 0, MessageKind.Bounce, "kijitora@example.org", "4.1.1", "450", BounceReason.UserUnknown, false, true },
        { "corpus/bsd-lhost-qmail-01.eml", 0, MessageKind.Bounce, "kijitora@example.ne.jp", "5.5.0", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-qmail-02.eml", 1, MessageKind.Bounce, "filtered@example.jp", "5.2.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-sendmail-01.eml", 0, MessageKind.Bounce, "userunknown@bouncehammer.jp", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-sendmail-02.eml", 1, MessageKind.Bounce, "filtered@example.com", "5.2.1", "550", BounceReason.Filtered, true, false },
        { "corpus/bsd-lhost-yahoo-01.eml", 0, MessageKind.Bounce, "kijitora@example.org", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-rfc3464-07.eml", 0, MessageKind.Delay, "kijitora@example.net", "4.4.0", "", BounceReason.Expired, false, false },
        { "corpus/bsd-rfc3834-01.eml", 0, MessageKind.AutoReply, "kijitora@example.net", "", "", BounceReason.Vacation, false, false },
        { "corpus/bsd-rhost-google-01.eml", 0, MessageKind.Bounce, "shironeko@example.ne.jp", "5.2.1", "550", BounceReason.Suspend, true, false },
        // CRLF and CR-only copies of bsd/ samples: same answer whatever the line endings.
        { "corpus/dos-lhost-exim-01.eml", 0, MessageKind.Bounce, "kijitora@example.ed.jp", "5.7.0", "550", BounceReason.Blocked, true, false },
        { "corpus/dos-lhost-sendgrid-01.eml", 0, MessageKind.Bounce, "kijitora@example.jp", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/mac-lhost-exchange2007-01.eml", 0, MessageKind.Bounce, "mikeneko@example.co.jp", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "corpus/mac-lhost-qmail-01.eml", 0, MessageKind.Bounce, "kijitora@example.ne.jp", "5.5.0", "550", BounceReason.UserUnknown, true, true },
        // Ours: a bounce of one of our messages, Exchange's base64-wrapped status group, an Exim notice, a success DSN.
        { "ours/postfix-dsn-verp-token.eml", 0, MessageKind.Bounce, "no-such-person@customer.example.org", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "ours/exchange-base64-status.eml", 0, MessageKind.Bounce, "full.mailbox@corp.example.net", "5.2.2", "554", BounceReason.MailboxFull, true, false },
        { "ours/exim-inline-token.eml", 0, MessageKind.Bounce, "gone@old-domain.example", "5.0.912", "", BounceReason.HostUnknown, true, true },
        { "ours/success-dsn.eml", 0, MessageKind.SuccessReport, "reader@customer.example.org", "2.0.0", "250", BounceReason.Delivered, false, false },
        // Ours: Postfix's "errors from HOST" notice to postmaster: the first refusal of the session transcript decides;
        // refused at DATA it names the recipients accepted before, refused at RCPT only the one just named.
        { "ours/postfix-smtpd-transcript-data.eml", 0, MessageKind.Bounce, "alice@example.net", "4.3.0", "451", BounceReason.SystemError, false, false },
        { "ours/postfix-smtpd-transcript-rcpt.eml", 0, MessageKind.Bounce, "bob@example.net", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        // Ours: Amazon SES wraps the remote reply ("5.1.0 - Unknown address error 550-'...'") and never says the stage:
        // the reply's own 5.7.1 names no reason (security last resort); its "unknown user" alone reads as a filter.
        { "ours/amazonses-wrapped-access-denied.eml", 0, MessageKind.Bounce, "x@example.org", "5.7.1", "550", BounceReason.SecurityError, true, false },
        { "ours/amazonses-wrapped-unknown-user.eml", 0, MessageKind.Bounce, "carol@example.com", "5.3.0", "550", BounceReason.Filtered, true, false },
        // Ours: a Postfix report with no per-recipient group and only its template text: the returned To, no reason.
        { "ours/postfix-report-unavailable.eml", 0, MessageKind.Bounce, "dave@example.org", "5.0.900", "", BounceReason.Undefined, true, false },
        // Ours: Sendmail refused at the greeting ("... while talking to" then "<<< 554" with no ">>>" command).
        { "ours/sendmail-greeting-refused.eml", 0, MessageKind.Bounce, "judy@example.net", "5.5.0", "554", BounceReason.Blocked, true, false },
        // Ours: OpenSMTPD's placeholder 4.4.7 is dropped; "Envelope expired" on the recipient's line decides.
        { "ours/opensmtpd-delay-expired.eml", 0, MessageKind.Delay, "frank@example.org", "5.0.947", "", BounceReason.Expired, false, false },
        // Ours: "address ... reason" under a "Failed addresses follow:" rule.
        { "ours/failed-addresses-unknown-host.eml", 0, MessageKind.Bounce, "grace@nowhere.example.com", "5.0.912", "", BounceReason.HostUnknown, true, true },
        // Ours: Exchange's QUEUE.Expired gives way to the remote server's own last answer (451 4.4.1).
        { "ours/exchange-queue-expired.eml", 0, MessageKind.Bounce, "kate@example.net", "4.4.1", "451", BounceReason.Expired, false, false },
        // Ours: a Diagnostic-Code with no diagnostic-type and no reply code says nothing of the SMTP stage.
        { "ours/untyped-diagnostic-account-missing.eml", 0, MessageKind.Bounce, "liam@example.com", "5.0.0", "", BounceReason.Filtered, true, false },
        // Ours: "X-Unix; 77" (procmail's exit status) with an X.3.x status blames the mail system.
        { "ours/sendmail-procmail-exit-77.eml", 0, MessageKind.Bounce, "mia@example.org", "5.3.0", "", BounceReason.SystemError, true, false },
        // Ours: the returned original (multipart) carries our tracking header folded onto a continuation line.
        { "ours/postfix-dsn-folded-token.eml", 0, MessageKind.Bounce, "nina@example.org", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        // Ours, from the review of every format for markers that held only in the samples seen: each address its own
        // reasons (Notes), further recipients (James, X-Failed-Recipients, labelled lines, a list sharing one reason),
        // multi-line replies joined and accepted steps skipped (InterScan, V5 Sendmail, an MDaemon transcript whose
        // "250 2.1.0 Ok" was once read as a delivery), delays kept (GMX), a failure subject quoting "Warning:", a qmail
        // clone with its own introduction, Amazon SES event publishing and bounceSubType.
        { "ours/notes-two-recipients.eml", 0, MessageKind.Bounce, "a@notes.example.jp", "5.0.911", "", BounceReason.UserUnknown, true, true },
        { "ours/notes-two-recipients.eml", 1, MessageKind.Bounce, "b@notes.example.jp", "5.0.922", "", BounceReason.MailboxFull, true, false },
        { "ours/apachejames-two-recipients.eml", 1, MessageKind.Bounce, "b@example.com", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "ours/interscan-multiline-reply.eml", 0, MessageKind.Bounce, "kijitora@example.co.jp", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "ours/v5sendmail-multiline-reply.eml", 0, MessageKind.Bounce, "a@example.com", "5.7.1", "554", BounceReason.SpamDetected, true, false },
        { "ours/notice-list-shared-reason.eml", 0, MessageKind.Bounce, "a@example.com", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "ours/notice-list-shared-reason.eml", 1, MessageKind.Bounce, "b@example.com", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "ours/x-failed-recipients-two.eml", 1, MessageKind.Bounce, "b@example.com", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "ours/notice-failed-recipient-labels.eml", 0, MessageKind.Bounce, "a@example.com", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "ours/notice-failed-recipient-labels.eml", 1, MessageKind.Bounce, "b@example.net", "5.2.2", "552", BounceReason.MailboxFull, true, false },
        { "ours/notice-failure-subject-quoting-warning.eml", 0, MessageKind.Bounce, "user@example.com", "5.1.1", "", BounceReason.UserUnknown, true, true },
        { "ours/gmx-delay.eml", 0, MessageKind.Delay, "user@example.com", "4.7.1", "451", BounceReason.Expired, false, false },
        { "ours/qmail-clone-intro.eml", 1, MessageKind.Bounce, "b@example.net", "4.4.2", "", BounceReason.NetworkError, false, false },
        { "ours/amazonses-event-publishing.eml", 0, MessageKind.Bounce, "user@example.com", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "ours/amazonses-subtype-mailboxfull.eml", 0, MessageKind.Bounce, "user@example.com", "4.0.922", "", BounceReason.MailboxFull, false, false },
        { "ours/mdaemon-transcript-no-auto-submitted.eml", 0, MessageKind.Bounce, "mona@example.org", "5.0.922", "552", BounceReason.MailboxFull, true, false },
        // Ours, from the review of those fixes: an empty "Received >>>" line, help-desk addresses after a colon, a
        // person's auto-reply whose subject quotes a delivery notification, a quoted original mentioning Google Groups.
        { "ours/interscan-empty-reply-line.eml", 0, MessageKind.Bounce, "kijitora@example.co.jp", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "ours/notice-helpdesk-contact-line.eml", 0, MessageKind.Bounce, "rcpt@dest.example", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        { "ours/notice-help-address-only-label.eml", 0, MessageKind.Bounce, "rcpt@dest.example", "5.0.911", "550", BounceReason.UserUnknown, true, true },
        { "ours/vacation-subject-quotes-delivery.eml", 0, MessageKind.AutoReply, "jane@dest.example", "", "", BounceReason.Vacation, false, false },
        { "ours/gmail-original-mentions-google-groups.eml", 0, MessageKind.Bounce, "nobody.here@gmail.com", "5.0.911", "", BounceReason.UserUnknown, true, true },
    };

    [Theory]
    [InlineData("ours/notice-helpdesk-contact-line.eml")]
    [InlineData("ours/notice-help-address-only-label.eml")]
    [InlineData("ours/vacation-subject-quotes-delivery.eml")]
    public void Parse_ShouldReportOneRecipient_WhenTheNoticeAlsoNamesAHelpAddress(string file)
    {
        // "For further assistance contact: helpdesk@..." names no failed recipient.
        var report = Parse(file);

        Assert.True(report.Recipients.Count == 1, $"{file}: {string.Join(", ", report.Recipients.Select(r => r.Address))}");
    }

    [Theory]
    [MemberData(nameof(Recipients))]
    public void Parse_ShouldReportRecipient_WhenMessageIsAReport(
        string file, int index, MessageKind kind, string address, string status, string reply, BounceReason reason,
        bool permanent, bool hard)
    {
        var report = Parse(file);

        BounceAssertions.Recipient(report, file, index, kind, address, status, reply, reason, permanent, hard);
    }

    [Fact]
    public void Parse_ShouldReportNothing_WhenMessageIsOrdinaryMail()
    {
        var report = Parse("corpus/not-is-not-bounce-01.eml");

        Assert.True(report.Kind == MessageKind.NotABounce, $"kind {report.Kind}, expected NotABounce");
        Assert.True(report.Recipients.Count == 0, $"{report.Recipients.Count} recipients, expected none");
    }

    [Fact]
    public void Parse_ShouldMatchVerpTokenTrackingHeaderAndIds_WhenOurMessageBouncedAsDsn()
    {
        var match = Parse("ours/postfix-dsn-verp-token.eml").Match;

        Assert.True(match.VerpToken == "d41c9a7e.Q2FtcGFpZ24", $"VERP token {match.VerpToken}");
        Assert.True(match.TrackingToken == "d41c9a7e.Q2FtcGFpZ24.sig", $"tracking token {match.TrackingToken}");
        Assert.True(match.OriginalMessageId == "campaign-42.delivery-4711@news.example.com", $"message id {match.OriginalMessageId}");
        Assert.True(match.OriginalEnvelopeId == "delivery-4711", $"envelope id {match.OriginalEnvelopeId}");
    }

    [Fact]
    public void Parse_ShouldFindTrackingHeader_WhenReturnedMessageIsAttached()
    {
        var match = Parse("ours/exchange-base64-status.eml").Match;

        Assert.True(match.VerpToken == "7f3e22b1.Q2FtcGFpZ24", $"VERP token {match.VerpToken}");
        Assert.True(match.TrackingToken == "7f3e22b1.Q2FtcGFpZ24.sig", $"tracking token {match.TrackingToken}");
        Assert.True(match.OriginalMessageId == "campaign-42.delivery-4712@news.example.com", $"message id {match.OriginalMessageId}");
    }

    [Fact]
    public void Parse_ShouldFindTrackingHeaderQuotedInline_WhenNoticeIsPlainText()
    {
        var match = Parse("ours/exim-inline-token.eml").Match;

        Assert.True(match.VerpToken == "9c0ffee1.Q2FtcGFpZ24", $"VERP token {match.VerpToken}");
        Assert.True(match.TrackingToken == "9c0ffee1.Q2FtcGFpZ24.sig", $"tracking token {match.TrackingToken}");
        Assert.True(match.OriginalMessageId == "campaign-42.delivery-4713@news.example.com", $"message id {match.OriginalMessageId}");
    }

    [Theory]
    [InlineData("ours/postfix-smtpd-transcript-data.eml", "alice@example.net")]
    [InlineData("ours/postfix-smtpd-transcript-rcpt.eml", "bob@example.net")]
    public void Parse_ShouldReportOnlyTheRecipientTheRefusalConcerns_WhenNoticeIsAnSmtpTranscript(string file, string address)
    {
        // The RCPT fixture also has carol@example.net accepted before bob was refused: she is not a failure.
        var report = Parse(file);

        Assert.True(report.Format == "smtp-transcript", $"{file}: format {report.Format}");
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal(address, recipient.Address);
    }

    [Theory]
    // RFC 5321 allows "RCPT TO:address" without brackets; a multi-line reply is read whole.
    [InlineData(" In:  RCPT TO:bob@example.net\n Out: 550-5.1.1 The account bob@example.net\n Out: 550 5.1.1 does not exist here\n",
        "bob@example.net", "550-5.1.1 The account bob@example.net does not exist here")]
    public void Parse_ShouldBlameOnlyTheRefusedRecipient_WhenASessionTranscriptRefusesRcpt(string session, string address, string diagnostic)
    {
        var raw = "From: MAILER-DAEMON@mx.example.net\nTo: postmaster@mx.example.net\n" +
            "Subject: Postfix SMTP server: errors from mail.example.com[192.0.2.10]\n\nTranscript of session follows.\n\n" +
            " Out: 220 mx.example.net ESMTP\n In:  MAIL FROM:<a@example.com>\n Out: 250 2.1.0 Ok\n" +
            " In:  RCPT TO:<carol@example.net>\n Out: 250 2.1.5 Ok\n" + session;

        var report = Engine.Parse(System.Text.Encoding.ASCII.GetBytes(raw).AsMemory());

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal(address, recipient.Address);
        Assert.Equal(diagnostic, recipient.Diagnostic);
        Assert.Equal(BounceReason.UserUnknown, recipient.Reason);
    }

    [Fact]
    public void Parse_ShouldReportTheRefusalWithoutAnAddress_WhenARefusedRcptNamesNoReadableAddress()
    {
        var raw = "From: MAILER-DAEMON@mx.example.net\nTo: postmaster@mx.example.net\n" +
            "Subject: Postfix SMTP server: errors from mail.example.com[192.0.2.10]\n\nTranscript of session follows.\n\n" +
            " In:  RCPT TO:<carol@example.net>\n Out: 250 2.1.5 Ok\n In:  RCPT TO:<>\n Out: 550 5.1.1 Bad recipient\n";

        var report = Engine.Parse(System.Text.Encoding.ASCII.GetBytes(raw).AsMemory());

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal(string.Empty, recipient.Address);
        Assert.Equal("550 5.1.1 Bad recipient", recipient.Diagnostic);
    }

    [Fact]
    public void Parse_ShouldKeepTheWholeRemoteAnswer_WhenExchangeQuotesAnApostropheInIt()
    {
        var raw = File.ReadAllText(FixtureFiles.Bounces("ours", "exchange-queue-expired.eml"))
            .Replace("Error encountered while communicating with primary target IP address", "The host doesn't answer", StringComparison.Ordinal);

        var report = Engine.Parse(System.Text.Encoding.UTF8.GetBytes(raw).AsMemory());

        var recipient = Assert.Single(report.Recipients);
        Assert.Contains("The host doesn't answer", recipient.Diagnostic, StringComparison.Ordinal);
        Assert.Equal("4.4.1", recipient.Status?.ToString());
    }

    [Fact]
    public void Parse_ShouldKeepARealStatusOfOpenSmtpdsReport_WhenItIsNotAPlaceholder()
    {
        var raw = File.ReadAllText(FixtureFiles.Bounces("ours", "opensmtpd-delay-expired.eml"))
            .Replace("Status: 4.4.7", "Status: 4.4.2", StringComparison.Ordinal);

        var report = Engine.Parse(System.Text.Encoding.UTF8.GetBytes(raw).AsMemory());

        Assert.Equal("4.4.2", Assert.Single(report.Recipients).Status?.ToString());
    }

    [Fact]
    public void Parse_ShouldFindTheOriginalMessageId_WhenTheReturnedHeadersRunPast64Kilobytes()
    {
        // The raw header reader stops at 64 KB; past that, MimeKit reads the block.
        var filler = string.Concat(Enumerable.Range(0, 1200).Select(i => $"X-Filler-{i}: {new string('x', 60)}\n"));
        var raw = "From: MAILER-DAEMON@mx.example.net\nTo: bounces@example.com\nSubject: Undelivered Mail Returned to Sender\n" +
            "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n" +
            "--b\nContent-Type: text/plain\n\nDelivery failed.\n\n" +
            "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n" +
            "Final-Recipient: rfc822; kim@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n\n" +
            "--b\nContent-Type: message/rfc822\n\nFrom: news@example.com\nTo: kim@example.org\n" + filler +
            "Message-ID: <deep@example.com>\nSubject: hello\n\nbody\n--b--\n";

        var report = Engine.Parse(System.Text.Encoding.ASCII.GetBytes(raw).AsMemory());

        Assert.Equal("kim@example.org", Assert.Single(report.Recipients).Address);
        Assert.Equal("deep@example.com", report.Match.OriginalMessageId);
    }

    [Fact]
    public void Parse_ShouldReportADelayReadByOpenSmtpd_WhenItsNoticeSaysDelayed()
    {
        var report = Parse("ours/opensmtpd-delay-expired.eml");

        Assert.True(report.Format == "opensmtpd", $"format {report.Format}");
        Assert.True(report.Kind == MessageKind.Delay, $"kind {report.Kind}");
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal(DeliveryAction.Delayed, recipient.Action);
    }

    [Fact]
    public void Parse_ShouldReadFoldedTrackingHeaderOfReturnedMessage_WhenOriginalIsMultipart()
    {
        // "X-BounceDashboard-Token:" with its value on an indented continuation line (and trailing blanks).
        var match = Parse("ours/postfix-dsn-folded-token.eml").Match;

        Assert.True(match.TrackingToken == "ABCDEF234567", $"tracking token '{match.TrackingToken}'");
        Assert.True(match.OriginalMessageId == "m1@example.org", $"message id {match.OriginalMessageId}");
        Assert.True(match.VerpToken is null, $"VERP token {match.VerpToken}: the notice went to the bare bounce address");
    }

    [Fact]
    public void Parse_ShouldGiveSameResult_WhenLineEndingsDiffer()
    {
        var bytes = File.ReadAllBytes(FixturePath("corpus/bsd-lhost-exim-01.eml"));
        var lf = Engine.Parse(bytes.AsMemory());
        var crlf = Engine.Parse(Convert(bytes, "\r\n"u8));
        var cr = Engine.Parse(Convert(bytes, "\r"u8));

        foreach (var (name, other) in new[] { ("CRLF", crlf), ("CR", cr) })
        {
            Assert.True(other.Kind == lf.Kind, $"{name}: kind {other.Kind}, LF gave {lf.Kind}");
            Assert.True(other.Recipients.Count == lf.Recipients.Count, $"{name}: {other.Recipients.Count} recipients, LF gave {lf.Recipients.Count}");
            Assert.True(other.Recipients[0].Reason == lf.Recipients[0].Reason, $"{name}: reason {other.Recipients[0].Reason}");
            Assert.True(other.Recipients[0].Status == lf.Recipients[0].Status, $"{name}: status {other.Recipients[0].Status}");
        }
    }

    [Fact]
    public void Parse_ShouldReturnUnparseableOrNotABounce_WhenInputIsNotMail()
    {
        var report = Engine.Parse(new byte[] { 0, 1, 2, 3, 0xff, 0xfe }.AsMemory());

        Assert.True(report.Kind is MessageKind.Unparseable or MessageKind.NotABounce, $"kind {report.Kind}");
        Assert.True(report.Recipients.Count == 0, "no recipients from binary noise");
    }

    [Fact]
    public void Parse_ShouldGiveEachThreadTheSameAnswers_WhenThreadsParseAtOnce()
    {
        // Each thread reuses its own MimeKit parser: answers must not leak between threads or messages.
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Bounces"), "*.eml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).ToArray();
        var expected = files.Select(file => Describe(Parse(file))).ToArray();
        var actual = new string[4 * files.Length];

        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            actual[i] = Describe(Engine.Parse(File.ReadAllBytes(files[i % files.Length]).AsMemory())));

        for (var i = 0; i < actual.Length; i++)
        {
            Assert.True(actual[i] == expected[i % files.Length], $"{files[i % files.Length]}: {actual[i]}, alone: {expected[i % files.Length]}");
        }

        static string Describe(BounceReport report) =>
            $"{report.Kind} {report.Match.VerpToken} {report.Match.OriginalMessageId} "
            + string.Join(";", report.Recipients.Select(r => $"{r.Address} {r.Status} {r.Reason} {r.Diagnostic}"));
    }

    [Fact]
    public void Parse_ShouldGiveTheSameAnswer_WhenAMessageIsTooLargeForTheReusedParser()
    {
        // Over 256 KB a message gets a MimeKit parser of its own; the answer must not change, and the reused parser
        // must still read the next small message.
        var small = File.ReadAllText(FixturePath("ours/postfix-dsn-verp-token.eml"));
        var boundary = "--8A3F21E0C4.1763720102/mx.news.example.com--";
        var padding = string.Concat(Enumerable.Repeat("X-Padding: " + new string('p', 70) + "\n", 4000));
        var large = small.Replace(boundary, "--8A3F21E0C4.1763720102/mx.news.example.com\nContent-Type: text/plain\n\n"
            + padding + "\n" + boundary, StringComparison.Ordinal);
        Assert.True(large.Length > 300_000, $"the large message has {large.Length} characters");

        var expected = Engine.Parse(System.Text.Encoding.ASCII.GetBytes(small).AsMemory());
        var actual = Engine.Parse(System.Text.Encoding.ASCII.GetBytes(large).AsMemory());
        var after = Engine.Parse(System.Text.Encoding.ASCII.GetBytes(small).AsMemory());

        foreach (var report in new[] { actual, after })
        {
            Assert.Equal(expected.Kind, report.Kind);
            Assert.Equal(expected.Match, report.Match);
            Assert.Equal(expected.Recipients.Single().Address, report.Recipients.Single().Address);
            Assert.Equal(expected.Recipients.Single().Reason, report.Recipients.Single().Reason);
        }
    }

    [Fact]
    public void Parse_ShouldLeaveTheCallersMessageUsable_WhenGivenAParsedMessage()
    {
        using var message = MimeKit.MimeMessage.Load(FixturePath("corpus/bsd-lhost-postfix-02.eml"));

        var first = Engine.Parse(message);
        var second = Engine.Parse(message);

        Assert.True(first.Recipients.Count == 2 && second.Recipients.Count == 2, $"{first.Recipients.Count} then {second.Recipients.Count} recipients");
        Assert.True(message.TextBody is { Length: > 0 }, "the caller's message is still readable after the engine used it");
    }

    private static BounceReport Parse(string file)
    {
        using var stream = File.OpenRead(FixturePath(file));
        return Engine.Parse(stream);
    }

    private static string FixturePath(string file) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "Bounces", file);

    private static ReadOnlyMemory<byte> Convert(byte[] lf, ReadOnlySpan<byte> newline)
    {
        var output = new List<byte>(lf.Length + 1024);
        foreach (var b in lf)
        {
            if (b == (byte)'\n')
            {
                output.AddRange(newline);
            }
            else
            {
                output.Add(b);
            }
        }

        return output.ToArray();
    }
}
