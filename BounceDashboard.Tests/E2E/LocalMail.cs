using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using Xunit;

namespace BounceDashboard.Tests.E2E;

/// <summary>
/// The local mail stack as agreed for issue 10 (scripts/mailstack.sh, README "Local mail stack"): addresses, ports,
/// test-only users, and the few client steps the end-to-end tests share.
/// </summary>
public static class LocalMail
{
    public const string Host = "127.0.0.1";
    public const int SmtpPort = 2525;
    public const int ImapPort = 1143;
    public const int Pop3Port = 1110;

    /// <summary>The bounce mailbox: <c>bounces+TOKEN@bounces.test</c> lands here.</summary>
    public const string BouncesUser = "bounces";
    public const string BouncesPassword = "bounces-test-only";
    public const string BounceDomain = "bounces.test";

    /// <summary>Every address in <c>ok.test</c> lands here.</summary>
    public const string InboxUser = "inbox";
    public const string InboxPassword = "inbox-test-only";

    /// <summary>How long a test waits for Postfix to deliver (a DSN from nouser.test takes about a second).</summary>
    public static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Fails the test with the command to run when the stack is required but a port is closed.</summary>
    public static void AssertRunning() =>
        Assert.True(MailStackFactAttribute.ClosedPorts is null,
            $"The local mail stack is required ({MailStackFactAttribute.RequireExternalVariable}=1 or " +
            $"{MailStackFactAttribute.MailStackVariable}=1) but these ports do not answer: {MailStackFactAttribute.ClosedPorts}; " +
            $"run `{MailStackFactAttribute.StartCommand}`.");

    /// <summary>A token no earlier run used, so a re-run never reads an old run's mail.</summary>
    public static string UniqueToken() => "e2e" + Guid.NewGuid().ToString("N")[..12];

    public static string VerpAddress(string token) => $"bounces+{token}@{BounceDomain}";

    public static MimeMessage Message(string to, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("BounceDashboard E2E", $"sender@{BounceDomain}"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(BounceDomain);
        message.Body = new TextPart("plain") { Text = $"End-to-end test message: {subject}" };
        return message;
    }

    /// <summary>Sends through Postfix with <paramref name="envelopeFrom"/> as MAIL FROM (the VERP address).</summary>
    public static async Task SendAsync(MimeMessage message, string envelopeFrom, string recipient, CancellationToken cancellationToken = default)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(Host, SmtpPort, SecureSocketOptions.None, cancellationToken);
        try
        {
            await smtp.SendAsync(message, MailboxAddress.Parse(envelopeFrom), [MailboxAddress.Parse(recipient)], cancellationToken);
        }
        finally
        {
            await smtp.DisconnectAsync(quit: true, CancellationToken.None);
        }
    }

    /// <summary>
    /// Waits (up to <see cref="DeliveryWait"/>) for messages in the user's IMAP INBOX that match
    /// <paramref name="query"/>, returns their raw bytes and deletes them (expunged by UID), so re-runs start clean.
    /// </summary>
    public static async Task<IReadOnlyList<byte[]>> TakeOverImapAsync(string user, string password, SearchQuery query, CancellationToken cancellationToken = default)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync(Host, ImapPort, SecureSocketOptions.None, cancellationToken);
        await imap.AuthenticateAsync(user, password, cancellationToken);
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken);

        var waited = Stopwatch.StartNew();
        IList<UniqueId> uids = [];
        while (true)
        {
            uids = await inbox.SearchAsync(query, cancellationToken);
            if (uids.Count > 0 || waited.Elapsed >= DeliveryWait)
            {
                break;
            }

            await Task.Delay(PollInterval, cancellationToken);
            await imap.NoOpAsync(cancellationToken);
        }

        var raw = new List<byte[]>();
        foreach (var uid in uids)
        {
            raw.Add(await ReadAllAsync(await inbox.GetStreamAsync(uid, cancellationToken), cancellationToken));
        }

        if (uids.Count > 0)
        {
            await inbox.AddFlagsAsync(uids, MessageFlags.Deleted, silent: true, cancellationToken);
            await inbox.ExpungeAsync(uids, cancellationToken);
        }

        await imap.DisconnectAsync(quit: true, CancellationToken.None);
        return raw;
    }

    /// <summary>
    /// Waits (up to <see cref="DeliveryWait"/>) for messages in the user's POP3 drop whose headers match
    /// <paramref name="match"/>, returns their raw bytes and deletes them (DELE, committed by QUIT).
    /// </summary>
    public static async Task<IReadOnlyList<byte[]>> TakeOverPop3Async(string user, string password, Func<HeaderList, bool> match, CancellationToken cancellationToken = default)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            // A POP3 session sees the drop as it was at login: every look is a new session.
            using var pop3 = new Pop3Client();
            await pop3.ConnectAsync(Host, Pop3Port, SecureSocketOptions.None, cancellationToken);
            await pop3.AuthenticateAsync(user, password, cancellationToken);
            var raw = new List<byte[]>();
            for (var i = 0; i < pop3.Count; i++)
            {
                if (match(await pop3.GetMessageHeadersAsync(i, cancellationToken)))
                {
                    raw.Add(await ReadAllAsync(await pop3.GetStreamAsync(i, headersOnly: false, cancellationToken), cancellationToken));
                    await pop3.DeleteMessageAsync(i, cancellationToken);
                }
            }

            await pop3.DisconnectAsync(quit: true, CancellationToken.None);
            if (raw.Count > 0 || waited.Elapsed >= DeliveryWait)
            {
                return raw;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using (stream)
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
    }
}
