using System.Net.Sockets;
using BounceDashboard.Web.Options;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace BounceDashboard.Web.Sending;

/// <summary>
/// One open SMTP session with a relay, sending one message at a time, each with its own envelope (the VERP return
/// path is per recipient). A refusal of a recipient or a message is a result, not an error: the session goes on. A
/// failure of the session itself (network, TLS, timeout, a 421, a refused sender) makes the message <see cref="SendOutcomeKind.NotSent"/>
/// and closes the session.
/// </summary>
internal sealed class SmtpRelayConnection : IAsyncDisposable
{
    /// <summary>RFC 5321 §3.8: the server is closing the session; says nothing about the message or recipient.</summary>
    private const int ServiceNotAvailable = 421;

    private readonly DsnSmtpClient _client;
    private readonly RelayOptions _relay;

    private SmtpRelayConnection(DsnSmtpClient client, RelayOptions relay)
    {
        _client = client;
        _relay = relay;
    }

    /// <summary>Messages sent over this session (accepted or refused).</summary>
    public int Sent { get; private set; }

    /// <summary>True while the session is open and has not reached <see cref="RelayOptions.MessagesPerConnection"/>.</summary>
    public bool IsUsable => _client.IsConnected && Sent < _relay.MessagesPerConnection;

    /// <summary>Whether the relay offers DSN (RFC 3461): then NOTIFY and ENVID are sent.</summary>
    public bool OffersDsn => _client.Capabilities.HasFlag(SmtpCapabilities.Dsn);

    /// <summary>Connects, secures and signs in as configured.</summary>
    /// <exception cref="RelayUnavailableException">
    /// The relay could not be reached, secured or signed in to, including a relay that does not offer the STARTTLS or
    /// AUTH the settings require (MailKit's <see cref="NotSupportedException"/>).
    /// </exception>
    public static async Task<SmtpRelayConnection> OpenAsync(RelayOptions relay, bool requestDsn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var client = new DsnSmtpClient(requestDsn) { Timeout = (int)relay.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(relay.Host, relay.EffectivePort, SocketOptions(relay.TlsMode), cancellationToken);
            if (!string.IsNullOrEmpty(relay.UserName))
            {
                await client.AuthenticateAsync(relay.UserName, relay.Password ?? string.Empty, cancellationToken);
            }

            return new SmtpRelayConnection(client, relay);
        }
        catch (Exception ex) when (IsSessionFailure(ex, cancellationToken) || ex is NotSupportedException)
        {
            client.Dispose();
            throw new RelayUnavailableException($"Relay '{relay.Name}' ({relay.Host}:{relay.EffectivePort}): {Describe(ex)}", ex);
        }
    }

    /// <summary>Sends one message to one recipient with the given envelope sender.</summary>
    public async Task<SendOutcome> SendAsync(MimeMessage message, string envelopeFrom, string recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Sent++;
        try
        {
            var reply = await _client.SendAsync(message, MailboxAddress.Parse(envelopeFrom), [MailboxAddress.Parse(recipient)], cancellationToken);
            return SendOutcome.Accepted(reply);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode != ServiceNotAvailable && (int)ex.StatusCode is >= 400 and < 600)
        {
            return ex.ErrorCode switch
            {
                SmtpErrorCode.RecipientNotAccepted => SendOutcome.Refused((int)ex.StatusCode, ex.Message, "RCPT"),
                SmtpErrorCode.SenderNotAccepted => await CloseWithAsync($"The relay refused the envelope sender: {(int)ex.StatusCode} {ex.Message}"),
                _ => SendOutcome.Refused((int)ex.StatusCode, ex.Message, "DATA"),
            };
        }
        catch (Exception ex) when (IsSessionFailure(ex, cancellationToken))
        {
            return await CloseWithAsync(Describe(ex));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.DisconnectAsync(quit: true, quit.Token);
            }
            catch (Exception ex) when (IsSessionFailure(ex, CancellationToken.None))
            {
                // The session is over either way.
            }
        }

        _client.Dispose();
    }

    private async Task<SendOutcome> CloseWithAsync(string error)
    {
        await DisposeAsync();
        return SendOutcome.NotSent(error);
    }

    private static SecureSocketOptions SocketOptions(RelayTlsMode mode) => mode switch
    {
        RelayTlsMode.None => SecureSocketOptions.None,
        RelayTlsMode.StartTls => SecureSocketOptions.StartTls,
        RelayTlsMode.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    /// <summary>Errors of the session, not of one message; cancellation by the caller is not one of them.</summary>
    private static bool IsSessionFailure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        SmtpCommandException or SmtpProtocolException or IOException or SocketException or SslHandshakeException
            or System.Security.Authentication.AuthenticationException or MailKit.Security.AuthenticationException or ServiceNotConnectedException
            or ServiceNotAuthenticatedException or TimeoutException => true,
        _ => false,
    };

    private static string Describe(Exception ex) => ex switch
    {
        SmtpCommandException command => $"{(int)command.StatusCode} {command.Message}",
        OperationCanceledException or TimeoutException => "timed out",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };
}

/// <summary>A relay could not be reached, secured or signed in to: nothing was sent; try later.</summary>
public sealed class RelayUnavailableException(string message, Exception innerException) : Exception(message, innerException);
