using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// The recipient rule (<see cref="RecipientResolver"/>) on messages we wrote in the layouts real notices use: an
/// RFC 3464 report whose Final-Recipient was rewritten, X.400 and Exchange address forms, a list's own address in the
/// notice, a screen name without a domain, a recipient reported in several groups, an alias "expanded from".
/// </summary>
public sealed class RecipientResolverTests
{
    private static readonly BounceEngine Engine = new();

    private static string Dsn(string recipientFields, string returnedTo = "jane@example.org", string noticeTo = "bounces+t1@news.example.com") => $"""
        From: Mail Delivery System <MAILER-DAEMON@mx1.example.org>
        To: {noticeTo}
        Subject: Delivery Status Notification (Failure)
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

        --b1
        Content-Type: text/plain

        Your message could not be delivered.

        --b1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx1.example.org

        {recipientFields}

        --b1
        Content-Type: text/rfc822-headers

        From: News <news@news.example.com>
        To: {returnedTo}
        Subject: Our October letter

        --b1--
        """;

    private static string Notice(string subject, string body, string from = "MAILER-DAEMON@mx1.example.org", string to = "bounces+t1@news.example.com") => $"""
        From: {from}
        To: {to}
        Subject: {subject}
        MIME-Version: 1.0
        Content-Type: text/plain; charset=us-ascii

        {body}
        """;

    private static BounceReport Parse(string message) => Engine.Parse(Encoding.UTF8.GetBytes(message.ReplaceLineEndings("\r\n")).AsMemory());

    private static List<string> Addresses(BounceReport report) => [.. report.Recipients.Select(r => r.Address.ToLowerInvariant()).Order(StringComparer.Ordinal)];

    [Fact]
    public void Parse_ShouldReportTheOriginalRecipient_WhenTheFinalRecipientWasRewritten()
    {
        var report = Parse(Dsn("""
            Original-Recipient: rfc822;jane@example.org
            Final-Recipient: rfc822;jdoe@store-7.mail.example.org
            Action: failed
            Status: 5.2.2
            """));

        Assert.Equal(MessageKind.Bounce, report.Kind);
        Assert.Equal(["jane@example.org"], Addresses(report));
    }

    [Fact]
    public void Parse_ShouldKeepTheFinalRecipient_WhenTheOriginalRecipientIsNotAnRfc822Address()
    {
        var report = Parse(Dsn("""
            Original-Recipient: x400; /S=doe/ADMD= /C=GB/
            Final-Recipient: rfc822;jane@example.org
            Action: failed
            Status: 5.1.1
            """));

        Assert.Equal(["jane@example.org"], Addresses(report));
    }

    [Fact]
    public void Parse_ShouldDecodeTheRfc822Attribute_WhenTheFinalRecipientIsAnX400Address()
    {
        var report = Parse(Dsn("""
            Final-Recipient: x400; /RFC-822=mark(a)example.net/ADMD= /C=WW/
            Action: failed
            Status: 5.0.0
            """, returnedTo: "mark@example.net"));

        Assert.Equal(["mark@example.net"], Addresses(report));
    }

    [Fact]
    public void Parse_ShouldQualifyTheSurnameFromTheReturnedTo_WhenTheX400AddressHasNoRfc822Form()
    {
        var report = Parse(Dsn("""
            Final-Recipient: x400; /S=pjones/OU=maths/PRMD=EXAMPLE.AC/ADMD= /C=GB/
            Action: failed
            Status: 5.1.1
            """, returnedTo: "PJones@maths.example.ac.uk"));

        Assert.Equal(["pjones@maths.example.ac.uk"], Addresses(report));
    }

    [Fact]
    public void Parse_ShouldReportARecipientOnce_WhenSeveralGroupsNameIt()
    {
        var group = """
            Final-Recipient: RFC822; <jane@example.org>
            Action: failed
            Status: 5.1.1
            """;
        var report = Parse(Dsn(group + "\n\n" + group + "\n\n" + group));

        Assert.Equal(["jane@example.org"], Addresses(report));
    }

    [Fact]
    public void Parse_ShouldStripTheSmtpPrefix_WhenExchangeQuotesTheAddressWithIt()
    {
        var report = Parse(Notice("Message Delivery Failure", """
            Delivery to the following recipients failed.

                   SMTP:omar@example.net

            550 Requested action not taken: mailbox unavailable
            """));

        Assert.Equal(["omar@example.net"], Addresses(report));
    }

    [Fact]
    public void Parse_ShouldReadTheX400SmtpAttribute_WhenTheNoticeOtherwiseNamesOnlyTheListAddress()
    {
        var report = Parse(Notice("Undeliverable: our letter", """
            Your message

              To:      news@lists.example.com
              Subject: our letter

            did not reach the following recipient(s):

            c=US;a= ;p=Example;o=Hub1;dda:SMTP=omar@example.net; on Fri, 4 Oct 2002
                The recipient name is not recognized
            """, from: "System Administrator <postmaster@example.net>", to: "news-bounces@lists.example.com"));

        Assert.Equal(MessageKind.Bounce, report.Kind);
        Assert.Equal(["omar@example.net"], Addresses(report));
    }

    [Fact]
    public void Parse_ShouldQualifyTheScreenNameWithTheReportingDomain_WhenTheNoticeNamesTheListAsTheSender()
    {
        var report = Parse(Notice("Mail Delivery Problem", """
            Your mail to the following recipients could not be delivered because they are not accepting mail from news@lists.example.com:
            	sunnyday77
            """, from: "Mail Delivery Subsystem <MAILER-DAEMON@mx3.example-isp.com>", to: "news-bounces@lists.example.com"));

        Assert.Equal(["sunnyday77@example-isp.com"], Addresses(report));
    }

    [Fact]
    public void Parse_ShouldReportTheAliasWeSentTo_WhenTheNoticeSaysTheFailedAddressWasExpandedFromIt()
    {
        var report = Parse(Notice("Returned mail: Too many hops", """
            The original message was received at Sat, 14 Oct 2000 06:14:45 +0200

               ----- The following addresses had permanent fatal errors -----
            jane@host7.example.org
                (expanded from: jane@example.org)

               ----- Transcript of session follows -----
            554 Too many hops 26 (25 max)
            """));

        Assert.Equal(["jane@example.org", "jane@host7.example.org"], Addresses(report));
    }

    [Fact]
    public void Parse_ShouldReportBothAddresses_WhenTheRemoteReplyNamesAnotherFailedAddress()
    {
        var report = Parse(Notice("failure notice", """
            Sorry, unable to deliver your message to ann@example.org for
            the following reason:

             552 Quota violation for bob@example.org

            A copy of the original message below this line:
            """));

        Assert.Equal(["ann@example.org", "bob@example.org"], Addresses(report));
    }

    [Fact]
    public void Parse_ShouldKeepTheReturnedRecipient_WhenTheOriginalWasSentFromTheSameAddress()
    {
        var report = Parse("""
            From: MAILER-DAEMON@mx1.example.com (Mail Delivery System)
            To: carl@example.com
            Subject: Undelivered Mail Returned to Sender
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b2"

            --b2
            Content-Type: text/plain

            This is the Postfix program at host mx1.example.com.

            <carl@example.net>: Name service error for domain example.net: Host not found

            --b2
            Content-Type: message/rfc822

            From: carl@example.net
            To: carl@example.net
            Subject: testing

            hello
            --b2--
            """);

        Assert.Equal(["carl@example.net"], Addresses(report));
    }

    [Fact]
    public void Parse_ShouldReportTheEnvelopeRecipient_WhenTheProseAlsoMentionsAnotherAddress()
    {
        var report = Parse(Notice("FAILED MAIL to \"ann\"", """
            The standard form of email address here is firstname.lastname@corp.example.org. The address to
            which your message was addressed, ann@example.org, did not match any address.

            Original message as received is as follows:
            ==========================================
            >Received: from mx.news.example.com by gate.corp.example.org with ESMTP id OAA03514
            >	for <ann@example.org>; Sun, 27 May 2001 14:21:25 -0700
            >From: News <news@news.example.com>
            >Subject: Our letter
            """, from: "postmaster@corp.example.org"));

        Assert.Equal(["ann@example.org"], Addresses(report));
    }

    [Theory]
    [InlineData("SMTP:omar@example.net", "omar@example.net")]
    [InlineData("rfc822;omar@example.net", "omar@example.net")]
    [InlineData("/RFC-822=o(u)brien(a)example.net/ADMD= /C=WW/", "o_brien@example.net")]
    [InlineData("c=US;a= ;p=Example;o=Hub1;dda:SMTP=omar@example.net;", "omar@example.net")]
    [InlineData("/G=Omar/S=Haddad/OU=sales/PRMD=example/ADMD= /C=GB/", "Omar.Haddad")]
    public void Decode_ShouldGiveThePlainAddress_WhenTheAddressIsEncoded(string encoded, string expected)
    {
        Assert.Equal(expected, RecipientResolver.Decode(encoded));
    }

    [Fact]
    public void Decode_ShouldGiveNull_WhenTheAddressIsPlain()
    {
        Assert.Null(RecipientResolver.Decode("omar@example.net"));
    }
}
