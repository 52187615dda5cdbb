using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using MailKit.Net.Smtp;
using MailKit.Search;
using MimeKit;
using Xunit;

namespace BounceDashboard.Tests.E2E;

/// <summary>
/// The local mail stack itself (scripts/mailstack.sh), through MailKit as the app will use it: what each test domain
/// does, and a real Postfix DSN read back over IMAP and POP3 and classified by the bounce engine. Every test uses its
/// own token or subject and deletes what it reads, so re-runs and an already used mailbox do not matter.
/// </summary>
[Trait("Category", TestCategories.E2E)]
[Collection(MailStackCollectionDefinition.Name)]
public sealed class MailStackTests
{
    private static readonly BounceEngine Engine = new();

    [MailStackFact]
    public async Task Send_ShouldReachTheInboxMailboxOverImap_WhenTheRecipientIsInOkTest()
    {
        LocalMail.AssertRunning();
        var subject = "ok " + LocalMail.UniqueToken();

        await LocalMail.SendAsync(LocalMail.Message("x@ok.test", subject), $"sender@{LocalMail.BounceDomain}", "x@ok.test");
        var delivered = await LocalMail.TakeOverImapAsync(LocalMail.InboxUser, LocalMail.InboxPassword, SearchQuery.SubjectContains(subject));

        var message = MimeMessage.Load(new MemoryStream(Assert.Single(delivered)));
        Assert.Equal(subject, message.Subject);
        Assert.Equal("x@ok.test", message.Headers["X-Original-To"]);
    }

    [MailStackFact]
    public async Task Send_ShouldBringARealDsnToTheBounceMailboxOverImap_WhenTheRecipientIsInNouserTest()
    {
        LocalMail.AssertRunning();
        var token = LocalMail.UniqueToken();

        await LocalMail.SendAsync(LocalMail.Message("y@nouser.test", "nouser " + token), LocalMail.VerpAddress(token), "y@nouser.test");
        var dsns = await LocalMail.TakeOverImapAsync(LocalMail.BouncesUser, LocalMail.BouncesPassword,
            SearchQuery.HeaderContains("Delivered-To", LocalMail.VerpAddress(token)));

        AssertUserUnknownDsn(Assert.Single(dsns), token);
    }

    [MailStackFact]
    public async Task Send_ShouldBringARealDsnToTheBounceMailboxOverPop3_WhenTheRecipientIsInNouserTest()
    {
        LocalMail.AssertRunning();
        var token = LocalMail.UniqueToken();

        await LocalMail.SendAsync(LocalMail.Message("y@nouser.test", "nouser " + token), LocalMail.VerpAddress(token), "y@nouser.test");
        var dsns = await LocalMail.TakeOverPop3Async(LocalMail.BouncesUser, LocalMail.BouncesPassword,
            headers => string.Equals(headers["Delivered-To"], LocalMail.VerpAddress(token), StringComparison.OrdinalIgnoreCase));

        AssertUserUnknownDsn(Assert.Single(dsns), token);
    }

    [MailStackFact]
    public async Task Send_ShouldBeRefusedWith550AtRcpt_WhenTheRecipientIsInRejectTest()
    {
        LocalMail.AssertRunning();

        var refused = await RefusedAtRcptAsync("z@reject.test");

        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
        Assert.StartsWith("5.1.1 ", refused.Message, StringComparison.Ordinal);
    }

    [MailStackFact]
    public async Task Send_ShouldBeDeferredWith450AtRcpt_WhenTheRecipientIsInDeferTest()
    {
        LocalMail.AssertRunning();

        var refused = await RefusedAtRcptAsync("w@defer.test");

        Assert.Equal(SmtpStatusCode.MailboxBusy, refused.StatusCode);
        Assert.StartsWith("4.2.1 ", refused.Message, StringComparison.Ordinal);
    }

    [MailStackFact]
    public async Task Send_ShouldBeRefusedAtRcpt_WhenTheRecipientIsOutsideTheTestDomains()
    {
        LocalMail.AssertRunning();

        var refused = await RefusedAtRcptAsync("someone@example.com");

        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
        Assert.StartsWith("5.4.4 ", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<SmtpCommandException> RefusedAtRcptAsync(string recipient)
    {
        var token = LocalMail.UniqueToken();
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            LocalMail.SendAsync(LocalMail.Message(recipient, "refused " + token), LocalMail.VerpAddress(token), recipient));
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
        Assert.Equal(recipient, refused.Mailbox?.Address);
        return refused;
    }

    private static void AssertUserUnknownDsn(byte[] raw, string token)
    {
        // A real RFC 3464 report from Postfix, not a notice in prose.
        var message = MimeMessage.Load(new MemoryStream(raw));
        var report = Assert.IsType<MultipartReport>(message.Body);
        Assert.Equal("delivery-status", report.ReportType);
        var status = Assert.Single(report.OfType<MessageDeliveryStatus>());
        var recipientFields = Assert.Single(status.StatusGroups.Skip(1));
        Assert.Equal("5.1.1", recipientFields["Status"]);
        Assert.Equal("failed", recipientFields["Action"]);

        // And the engine reads it as the poller will.
        var parsed = Engine.Parse(raw);
        Assert.Equal(MessageKind.Bounce, parsed.Kind);
        var recipient = Assert.Single(parsed.Recipients);
        Assert.Equal("y@nouser.test", recipient.Address);
        Assert.Equal(BounceReason.UserUnknown, recipient.Reason);
        Assert.True(recipient.Hard);
        Assert.Equal(token, parsed.Match.VerpToken);
    }
}

/// <summary>
/// Tests that send to and read from the local mail stack run alone (xUnit runs a collection with parallelization
/// disabled after the parallel ones), so no other test reads or moves their messages while they wait for them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MailStackCollectionDefinition
{
    public const string Name = "Local mail stack";
}
