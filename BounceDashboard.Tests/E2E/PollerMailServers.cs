using BounceDashboard.Web.Options;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace BounceDashboard.Tests.E2E;

/// <summary>The poller's view of the local mail stack (<see cref="LocalMail"/>): its bounce mailbox as configured options, and helpers to fill and inspect it.</summary>
public static class PollerMailServers
{
    public const string Host = LocalMail.Host;
    public const int SmtpPort = LocalMail.SmtpPort;
    public const int ImapPort = LocalMail.ImapPort;
    public const int Pop3Port = LocalMail.Pop3Port;
    public const string BounceAddress = LocalMail.BouncesUser + "@" + LocalMail.BounceDomain;
    public const string UserName = LocalMail.BouncesUser;
    public const string Password = LocalMail.BouncesPassword;

    /// <summary>A header carrying the test run's id, so a test finds its own messages among what others left.</summary>
    public const string RunHeader = "X-Poller-Test-Run";

    public static MailboxOptions Mailbox(string name, MailboxKind kind) => new()
    {
        Name = name,
        Kind = kind,
        Host = Host,
        Port = kind == MailboxKind.Pop3 ? Pop3Port : ImapPort,
        TlsMode = MailboxTlsMode.None,
        UserName = UserName,
        Password = Password,
    };

    /// <summary>The message with the run header added (its bytes, and so its content hash, differ per run).</summary>
    public static MimeMessage Tagged(byte[] content, string run)
    {
        using var stream = new MemoryStream(content);
        var message = MimeMessage.Load(stream);
        message.Headers.Add(RunHeader, run);
        return message;
    }

    public static async Task<ImapClient> ConnectImapAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync(Host, ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(UserName, Password);
        return client;
    }

    /// <summary>Creates the folder (or opens it when it exists), appends the messages, and returns its UIDVALIDITY.</summary>
    public static async Task<uint> FillFolderAsync(string folderName, params MimeMessage[] messages)
    {
        using var client = await ConnectImapAsync();
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var folder = await root.CreateAsync(folderName, isMessageFolder: true) ?? await client.GetFolderAsync(folderName);
        foreach (var message in messages)
        {
            await folder.AppendAsync(message);
        }

        await folder.OpenAsync(FolderAccess.ReadOnly);
        var uidValidity = folder.UidValidity;
        await client.DisconnectAsync(quit: true);
        return uidValidity;
    }

    /// <summary>Delivers through Postfix to the bounce mailbox, as a remote MTA's report would arrive.</summary>
    public static async Task SendToBounceMailboxAsync(MimeMessage message)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync(Host, SmtpPort, SecureSocketOptions.None);
        await client.SendAsync(message, MailboxAddress.Parse("postmaster@bounces.test"), [MailboxAddress.Parse(BounceAddress)]);
        await client.DisconnectAsync(quit: true);
    }

    /// <summary>The UIDs of this run's messages in a folder of the bounce mailbox.</summary>
    public static async Task<IList<UniqueId>> FindRunAsync(string folderName, string run)
    {
        using var client = await ConnectImapAsync();
        var folder = await client.GetFolderAsync(folderName);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var found = await folder.SearchAsync(SearchQuery.HeaderContains(RunHeader, run));
        await client.DisconnectAsync(quit: true);
        return found;
    }

    /// <summary>Waits until Postfix has delivered <paramref name="count"/> messages of this run to the INBOX.</summary>
    public static async Task WaitForDeliveryAsync(string run, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await FindRunAsync("INBOX", run)).Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Postfix did not deliver {count} messages of run {run} to {BounceAddress} within 30 s.");
            }

            await Task.Delay(250);
        }
    }
}
