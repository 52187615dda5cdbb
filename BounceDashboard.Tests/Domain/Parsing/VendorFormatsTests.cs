using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// The vendor and provider formats (gateways, filters, carriers, webmail providers) and the remote-host rules, each on a
/// real message of the shared corpus (Fixtures/Bounces/corpus, BSD licence, see README-corpus.md; expectations from
/// its labels and Sisimai's recipient output) or a message we wrote (Fixtures/Bounces/ours). CRLF and CR-only copies
/// check that line endings change nothing.
/// </summary>
public sealed class VendorFormatsTests
{
    private static readonly BounceEngine Engine = new();

    /// <summary>One expected recipient: file, index, kind, address, status, reply, reason, permanent, hard.</summary>
    public static TheoryData<string, int, MessageKind, string, string, string, BounceReason, bool, bool> Recipients => new()
    {
        // Unnamed Japanese provider: "address [User unknown]" with no SMTP stage reads as a recipient-side filter.
        { "corpus/mac-lhost-x1-01.eml", 0, MessageKind.Bounce, "kijitora@example.co.jp", "5.0.910", "", BounceReason.Filtered, true, false },
        { "corpus/bsd-lhost-x2-01.eml", 0, MessageKind.Bounce, "kijitora@example.co.jp", "5.0.910", "", BounceReason.Filtered, true, false },
        // Sendmail V5: a deferred host and no address in the transcript; the unsent message's To is the recipient.
        { "corpus/dos-lhost-v5sendmail-01.eml", 0, MessageKind.Bounce, "kijitora@example.com", "4.0.947", "421", BounceReason.Expired, false, false },
        { "corpus/bsd-lhost-surfcontrol-01.eml", 0, MessageKind.Bounce, "kijitora@example.com", "5.0.0", "550", BounceReason.Filtered, true, false },
        { "corpus/bsd-lhost-zoho-02.eml", 0, MessageKind.Bounce, "mikeneko@example.co.jp", "5.2.1", "550", BounceReason.Filtered, true, false },
        { "corpus/bsd-lhost-zoho-02.eml", 1, MessageKind.Bounce, "sabineko@example.co.jp", "5.2.2", "550", BounceReason.MailboxFull, true, false },
        { "corpus/bsd-lhost-kddi-01.eml", 0, MessageKind.Bounce, "kijitora@x0000000000000.dion.ne.jp", "5.0.922", "", BounceReason.MailboxFull, true, false },
        { "corpus/bsd-lhost-ezweb-01.eml", 0, MessageKind.Bounce, "this-message-rejected-by-the-domain-filter@ezweb.ne.jp", "5.0.910", "", BounceReason.Filtered, true, false },
        { "corpus/bsd-lhost-mfilter-01.eml", 0, MessageKind.Bounce, "kijitora@example.com", "5.0.910", "550", BounceReason.Filtered, true, false },
        // Apache James: the notice hides behind a multipart whose boundary line was not folded.
        { "corpus/bsd-lhost-apachejames-01.eml", 0, MessageKind.Bounce, "000000000000@vtext.example.com", "5.0.910", "550", BounceReason.Filtered, true, false },
        { "corpus/bsd-lhost-verizon-01.eml", 0, MessageKind.Bounce, "0000000000@vzwpix.com", "5.0.911", "", BounceReason.UserUnknown, true, true },
        // Lotus Notes in ISO-2022-JP: the Japanese "not in the directory" decodes and reads as an unknown user.
        { "corpus/bsd-lhost-notes-02.eml", 0, MessageKind.Bounce, "kijitora@u1.example.co.jp", "5.0.911", "", BounceReason.UserUnknown, true, true },
        { "corpus/bsd-lhost-fml-02.eml", 0, MessageKind.Bounce, "neko-nyaan@example.org", "5.0.918", "", BounceReason.Rejected, true, false },
        // Sendmail V5 transcript: the reply under ">>> RCPT" and the per-address lines.
        { "corpus/bsd-lhost-v5sendmail-05.eml", 1, MessageKind.Bounce, "kuroneko@example.or.jp", "5.0.912", "550", BounceReason.HostUnknown, true, true },
        { "corpus/bsd-lhost-v5sendmail-05.eml", 3, MessageKind.Bounce, "mikeneko@example.co.jp", "5.0.911", "550", BounceReason.UserUnknown, true, true },
        // Messaging Server report whose MIME structure was lost: its own recipient list; 5.7.1 is a policy refusal.
        { "corpus/bsd-lhost-messagingserver-03.eml", 1, MessageKind.Bounce, "mikeneko@example.org", "5.7.1", "550", BounceReason.Filtered, true, false },
        // Ours: InterScan's transcript form ("Sent <<< RCPT TO" / "Received >>> 550").
        { "ours/interscan-transcript.eml", 0, MessageKind.Bounce, "left.the.company@customer.example.org", "5.1.1", "550", BounceReason.UserUnknown, true, true },
        // Orange/Wanadoo's own code [506] decides, whichever MTA relayed the reply.
        { "corpus/bsd-rhost-franceptt-03.eml", 0, MessageKind.Bounce, "pseudo-local-part-kijitora@wanadoo.fr", "5.2.0", "550", BounceReason.SpamDetected, true, false },
    };

    [Theory]
    [MemberData(nameof(Recipients))]
    public void Parse_ShouldReportVendorRecipient_WhenNoticeIsFromThatVendor(
        string file, int index, MessageKind kind, string address, string status, string reply, BounceReason reason,
        bool permanent, bool hard)
    {
        var report = Engine.Parse(File.ReadAllBytes(FixtureFiles.Bounces(file)).AsMemory());

        BounceAssertions.Recipient(report, file, index, kind, address, status, reply, reason, permanent, hard);
    }
}
