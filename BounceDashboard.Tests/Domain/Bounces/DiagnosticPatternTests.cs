using BounceDashboard.Domain.Bounces;
using Xunit;

namespace BounceDashboard.Tests.Domain.Bounces;

public class DiagnosticPatternTests
{
    [Fact]
    public void Normalize_ShouldGiveOnePattern_WhenOnlyTheAddressDiffers()
    {
        // The example; the reply is Postfix's, as in ../shared/bounce-corpus bsd/lhost-amavis-01.eml.
        var john = DiagnosticPattern.Normalize("550 5.1.1 <john@x.com>: Recipient address rejected: User unknown in virtual mailbox table");
        var mary = DiagnosticPattern.Normalize("550 5.1.1 <mary@y.org>: Recipient address rejected: User unknown in virtual mailbox table");

        Assert.Equal("550 5.1.1 <*>: Recipient address rejected: User unknown in virtual mailbox table", john);
        Assert.Equal(john, mary);
    }

    [Theory]
    // bsd/rfc3464-08.eml, bsd/lhost-barracuda-01.eml: the same amavis reply with different ids.
    [InlineData("smtp; 550 5.7.1 Message content rejected, UBE, id=00000-00-000", "smtp; 550 5.7.1 Message content rejected, UBE, id=22220-02-222", "550 5.7.1 Message content rejected, UBE, id=*")]
    // bsd/lhost-exim-43.eml and bsd/lhost-exim-48.eml: different client IPs.
    [InlineData("550 5.7.1 Connections not accepted from servers without a valid sender domain. Fix reverse DNS for 203.0.113.2", "550 5.7.1 Connections not accepted from servers without a valid sender domain. Fix reverse DNS for 198.51.100.200", "550 5.7.1 Connections not accepted from servers without a valid sender domain. Fix reverse DNS for *")]
    // bsd/rhost-yahooinc-03.eml: Yahoo names the address and the numbered host that answered.
    [InlineData("554 delivery error: dd This user doesn't have a yahoo.com account (this-local-part-does-not-exist@yahoo.com) [0] - mta1061.mail.ne1.yahoo.com", "554 delivery error: dd This user doesn't have a yahoo.com account (someone.else@yahoo.com) [0] - mta4014.mail.ne2.yahoo.com", "554 delivery error: dd This user doesn't have a yahoo.com account (*) [*] - mta*.mail.ne*.yahoo.com")]
    // bsd/lhost-postfix-74.eml: Yahoo's deferral with the sending IP, its own code and a help URL.
    [InlineData("421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes?ip=192.0.2.25", "421 4.7.0 [TSS04] Messages from 203.0.113.9 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes?ip=203.0.113.9", "421 4.7.0 [TSS*] Messages from * temporarily deferred due to unexpected volume or user complaints - *; see https://postmaster.yahooinc.com/error-codes?*")]
    // bsd/lhost-amazonses-16.eml: a multi-line reply's code with a dash.
    [InlineData("521-5.7.1 Service unavailable; client [203.0.113.225] blocked using dnsbl.sorbs.net", "521-5.7.1 Service unavailable; client [192.0.2.1] blocked using dnsbl.sorbs.net", "521-5.7.1 Service unavailable; client [*] blocked using dnsbl.sorbs.net")]
    public void Normalize_ShouldGroupTheSameReply_WhenIdsIpsAndNumbersDiffer(string first, string second, string expected)
    {
        Assert.Equal(expected, DiagnosticPattern.Normalize(first));
        Assert.Equal(expected, DiagnosticPattern.Normalize(second));
    }

    [Fact]
    public void Normalize_ShouldReplaceDatesTimesAndQueueIds_WhenTheReplyCarriesThem()
    {
        var monday = DiagnosticPattern.Normalize("451 4.3.0 Temporary failure, queue id 4F3A2B1C0D at Mon, 7 Dec 2026 17:30:50 +0000; retry after 2026-12-07T18:00:00Z");
        var friday = DiagnosticPattern.Normalize("451 4.3.0 Temporary failure, queue id 9E8D7C6B5A at Fri, 11 Dec 2026 09:05:01 +0100; retry after 2026-12-11 10:00");

        Assert.Equal("451 4.3.0 Temporary failure, queue id * at *; retry after *", monday);
        Assert.Equal(monday, friday);
    }

    [Fact]
    public void Normalize_ShouldKeepTheCodesAndTheWords_WhenTheTextDiffersInMeaning()
    {
        var unknown = DiagnosticPattern.Normalize("550 5.1.1 <a@example.com>... User unknown");
        var full = DiagnosticPattern.Normalize("552 5.2.2 <a@example.com>... Mailbox full");

        Assert.Equal("550 5.1.1 <*>... User unknown", unknown);
        Assert.Equal("552 5.2.2 <*>... Mailbox full", full);
    }

    [Fact]
    public void Normalize_ShouldKeepAnInnerStatusCode_WhenARelayQuotesTheRemoteReply()
    {
        // bsd/lhost-amavis-01.eml: amavis quotes Postfix's reply after its own.
        var pattern = DiagnosticPattern.Normalize("550 5.1.1 Failed, id=02022-02, from MTA([127.0.0.1]:10025): 550 5.1.1 <neko@example.co.jp>: Recipient address rejected: User unknown in virtual mailbox table");

        Assert.Equal("550 5.1.1 Failed, id=*, from MTA([*]:*): 550 5.1.1 <*>: Recipient address rejected: User unknown in virtual mailbox table", pattern);
    }

    [Fact]
    public void Normalize_ShouldCapTheLength_WhenTheReplyIsLong()
    {
        var pattern = DiagnosticPattern.Normalize("550 5.7.1 " + string.Concat(Enumerable.Repeat("policy words ", 200)));

        Assert.Equal(DiagnosticPattern.MaxLength, pattern.Length);
        Assert.EndsWith("…", pattern, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Normalize_ShouldSayThereIsNoText_WhenTheReplyIsEmpty(string? reply)
    {
        Assert.Equal(DiagnosticPattern.NoText, DiagnosticPattern.Normalize(reply));
    }

    [Theory]
    [InlineData("550", "5.1.1", "<a@b.example>: user does not exist", "550 5.1.1 <*>: user does not exist")]
    [InlineData("553", "5.7.9", "5.7.9 [BL21] Connections will not be accepted from 192.0.2.7", "553 5.7.9 [BL*] Connections will not be accepted from *")]
    [InlineData("550", "5.1.1", "smtp; 550 5.1.1 <neko@example.co.jp>... User unknown", "550 5.1.1 <*>... User unknown")]
    [InlineData("451", null, null, "451")]
    [InlineData(null, null, null, DiagnosticPattern.NoText)]
    public void For_ShouldPutTheCodesInFront_UnlessTheDiagnosticStartsWithThem(string? reply, string? status, string? diagnostic, string expected)
    {
        Assert.Equal(expected, DiagnosticPattern.For(reply, status, diagnostic));
    }

    [Fact]
    public void Hash_ShouldBeStableAndDiffer_WhenPatternsDiffer()
    {
        var a = DiagnosticPattern.Hash("550 5.1.1 <*>: User unknown");

        Assert.Equal(a, DiagnosticPattern.Hash("550 5.1.1 <*>: User unknown"));
        Assert.NotEqual(a, DiagnosticPattern.Hash("552 5.2.2 <*>: Mailbox full"));
    }
}
