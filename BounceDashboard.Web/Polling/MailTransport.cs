using BounceDashboard.Web.Options;
using MailKit;
using MailKit.Security;

namespace BounceDashboard.Web.Polling;

/// <summary>Connection settings shared by the IMAP and POP3 readers.</summary>
internal static class MailTransport
{
    public static SecureSocketOptions SocketOptions(MailboxTlsMode mode) => mode switch
    {
        MailboxTlsMode.None => SecureSocketOptions.None,
        MailboxTlsMode.StartTls => SecureSocketOptions.StartTls,
        MailboxTlsMode.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    /// <summary>The configured port, or the protocol's own for the TLS mode.</summary>
    public static int PortFor(MailboxOptions mailbox) => mailbox.Port switch
    {
        > 0 => mailbox.Port,
        _ when mailbox.Kind == MailboxKind.Pop3 => mailbox.TlsMode == MailboxTlsMode.SslOnConnect ? 995 : 110,
        _ => mailbox.TlsMode == MailboxTlsMode.SslOnConnect ? 993 : 143,
    };

    /// <summary>Connects with the configured TLS mode and signs in; the settings were validated at start-up.</summary>
    public static async Task ConnectAsync(MailService client, MailboxOptions mailbox, CancellationToken cancellationToken)
    {
        var host = mailbox.Host ?? throw new InvalidOperationException($"Mailbox '{mailbox.Name}' has no Host.");
        await client.ConnectAsync(host, PortFor(mailbox), SocketOptions(mailbox.TlsMode), cancellationToken);
        await client.AuthenticateAsync(mailbox.UserName ?? string.Empty, mailbox.Password ?? string.Empty, cancellationToken);
    }

    public static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
