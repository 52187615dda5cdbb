using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Web.Ingest;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>
/// A few stored inbound messages with real raw bytes for the demo's review queue (the simulation's unmatched events carry
/// no message): a bounce for an address that is no contact of ours, a complaint naming nobody, a message whose headers
/// were lost, and a reply with HTML, a remote image and a script that the page must show as text. Read by the real
/// engine, stored as the ingest would store them; the same every run.
/// </summary>
internal static class DemoReviewMessages
{
    private static readonly (TimeSpan Age, string Text)[] Messages =
    [
        (TimeSpan.FromDays(4) + TimeSpan.FromHours(3), """
            Return-Path: <>
            Date: Thu, 3 Dec 2026 11:20:17 +0000
            From: MAILER-DAEMON@relay.example.org (Mail Delivery System)
            Subject: Undelivered Mail Returned to Sender
            To: bounces@news.example.org
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status;
            	boundary="7C1D20A11.1764760817/relay.example.org"
            Message-Id: <20261203112017.7C1D20A11@relay.example.org>

            --7C1D20A11.1764760817/relay.example.org
            Content-Description: Notification
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host relay.example.org.

            I'm sorry to have to inform you that your message could not
            be delivered to one or more recipients.

            <former.staff@northwind-traders.example>: host mx.northwind-traders.example[192.0.2.80] said:
                550 5.1.1 <former.staff@northwind-traders.example>: Recipient address rejected:
                User unknown (in reply to RCPT TO command)

            --7C1D20A11.1764760817/relay.example.org
            Content-Description: Delivery report
            Content-Type: message/delivery-status

            Reporting-MTA: dns; relay.example.org
            Arrival-Date: Thu, 3 Dec 2026 11:20:16 +0000

            Final-Recipient: rfc822; former.staff@northwind-traders.example
            Original-Recipient: rfc822; info@northwind-traders.example
            Action: failed
            Status: 5.1.1
            Remote-MTA: dns; mx.northwind-traders.example
            Diagnostic-Code: smtp; 550 5.1.1 <former.staff@northwind-traders.example>: Recipient
                address rejected: User unknown

            --7C1D20A11.1764760817/relay.example.org
            Content-Description: Undelivered Message Headers
            Content-Type: text/rfc822-headers

            From: News <news@example.org>
            To: info@northwind-traders.example
            Subject: December news
            Message-Id: <forwarded-copy-5521@news.example.org>

            --7C1D20A11.1764760817/relay.example.org--
            """),
        (TimeSpan.FromDays(3) + TimeSpan.FromHours(7), """
            Return-Path: <fbl@isp.example.net>
            From: Feedback Loop <fbl@isp.example.net>
            To: abuse@example.org
            Subject: FW: December news
            Date: Fri, 4 Dec 2026 13:00:00 +0000
            Message-Id: <fbl-1207@isp.example.net>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=feedback-report; boundary="ARF-PART"

            --ARF-PART
            Content-Type: text/plain; charset=us-ascii

            This is an email abuse report for an email message received from IP 192.0.2.10.
            The recipient's address was removed by the provider.

            --ARF-PART
            Content-Type: message/feedback-report

            Feedback-Type: abuse
            User-Agent: ExampleFBL/1.0
            Version: 1
            Original-Mail-From: <bounces+0000demo0000@news.example.org>
            Arrival-Date: Fri, 4 Dec 2026 12:59:00 +0000
            Source-IP: 192.0.2.10

            --ARF-PART
            Content-Type: message/rfc822

            From: News <news@example.org>
            To: undisclosed-recipients:;
            Subject: December news
            Date: Fri, 4 Dec 2026 12:58:00 +0000

            Our December news.
            --ARF-PART--
            """),
        (TimeSpan.FromDays(2) + TimeSpan.FromHours(1), """
            This is the mail system at host mx3.mailhost.example (headers lost when the message was exported).

            <script>alert('not run')</script>
            ----- The following addresses had permanent fatal errors -----
            <s.moreau@mailhost.example>
                (reason: 552 5.2.2 Mailbox over quota)
            <img src="http://tracker.example/lost.gif">
            """),
        (TimeSpan.FromHours(20), """
            Date: Tue, 1 Dec 2026 14:03:11 +0100
            From: "Marta Kowalski" <marta.kowalski@example-shop.pl>
            To: bounces@news.example.org
            Subject: Re: Your December newsletter
            Message-ID: <reply-8812@example-shop.pl>
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="b1"

            --b1
            Content-Type: text/plain; charset=utf-8

            Please take me off this list, I asked twice already.

            --b1
            Content-Type: text/html; charset=utf-8

            <html><body><p>Please take me off this list, I asked twice already.</p>
            <img src="http://tracker.example-shop.pl/open.gif?id=8812" width="1" height="1">
            <script>document.location='http://example-shop.pl/'</script>
            </body></html>
            --b1--
            """),
    ];

    /// <summary>Stores the messages and their unmatched events; returns how many rows of each it added.</summary>
    public static async Task<(int Messages, int Events)> AddAsync(BounceDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var engine = new BounceEngine();
        var events = 0;
        for (var i = 0; i < Messages.Length; i++)
        {
            var (age, text) = Messages[i];
            var bytes = Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n") + "\r\n");
            var at = now - age;
            var message = InboundMessage.Receive(InboundSource.File, $"seed-demo/review-{i + 1}.eml", bytes, at);
            var report = engine.Parse(bytes, cancellationToken);
            var outcome = report.Kind switch
            {
                MessageKind.Unparseable => InboundOutcome.Unparseable,
                _ when report.Recipients.Count == 0 => report.Kind is MessageKind.NotABounce or MessageKind.Challenge ? InboundOutcome.NotABounce : InboundOutcome.NoRecipients,
                _ => InboundOutcome.Unmatched,
            };
            message.RecordClassification(outcome, report.Kind, report.Format, report.Error, EngineVersion.Current, at);
            db.InboundMessages.Add(message);
            await db.SaveChangesAsync(cancellationToken);

            // Keyed as the ingest keys them, so a later reclassify finds these events rather than adding others.
            var source = InboundIngest.ToBounceSource(message.Source);
            for (var r = 0; r < report.Recipients.Count; r++)
            {
                var recipient = report.Recipients[r];
                var key = string.IsNullOrWhiteSpace(recipient.Address) ? $"#{r + 1}" : recipient.Address;
                db.BounceEvents.Add(BounceEvent.FromReport(
                    report, recipient, source, at, BounceEvent.KeyFor(source, message.ContentHash, key),
                    rawMessageRef: message.SourceKey, inboundMessageId: message.Id));
                events++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (Messages.Length, events);
    }
}
