using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BounceDashboard.Tests.Sending;

/// <summary>One SMTP transaction as the scripted relay saw it.</summary>
public sealed record RelayTransaction(int Connection, string MailFrom, IReadOnlyList<string> RcptTo, string? Data);

/// <summary>
/// A minimal SMTP server on a loopback port, answering as its script says: for the dispatcher's own tests without the
/// mail stack. It offers 8BITMIME and DSN (no PIPELINING, no CHUNKING, no AUTH); every reply is a whole line, e.g.
/// "550 5.1.1 User unknown"; a null reply means silence (the client's timeout decides). Records the transactions it saw.
/// </summary>
public sealed class ScriptedSmtpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<RelayTransaction> _transactions = [];
    private readonly List<Task> _sessions = [];
    private readonly Task _accepting;
    private int _connections;

    public ScriptedSmtpRelay()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The reply to MAIL FROM (the whole command line given).</summary>
    public Func<string, string?> MailReply { get; init; } = _ => "250 2.1.0 Ok";

    /// <summary>The reply to RCPT TO (the whole command line given).</summary>
    public Func<string, string?> RcptReply { get; init; } = _ => "250 2.1.5 Ok";

    /// <summary>The reply after the message's final dot (the message given).</summary>
    public Func<string, string?> DataReply { get; init; } = _ => "250 2.0.0 Ok: queued";

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Transactions that reached their end (a reply after DATA, or a refusal, or a silence).</summary>
    public IReadOnlyList<RelayTransaction> Transactions
    {
        get
        {
            lock (_transactions)
            {
                return [.. _transactions];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var number = Interlocked.Increment(ref _connections);
                lock (_sessions)
                {
                    _sessions.Add(ServeAsync(client, number));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(TcpClient client, int connection)
    {
        using var _ = client;
        try
        {
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.Latin1);
            await using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 scripted.test ESMTP");
            string? mailFrom = null;
            var rcptTo = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                string? reply;
                switch (verb)
                {
                    case "EHLO":
                        reply = "250-scripted.test\r\n250-8BITMIME\r\n250-DSN\r\n250 SIZE 10240000";
                        break;
                    case "HELO":
                    case "NOOP":
                        reply = "250 Ok";
                        break;
                    case "RSET":
                        (mailFrom, rcptTo) = (null, []);
                        reply = "250 2.0.0 Ok";
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    case "MAIL":
                        mailFrom = line;
                        rcptTo = [];
                        reply = MailReply(line);
                        if (reply is null || !reply.StartsWith('2'))
                        {
                            Record(new RelayTransaction(connection, line, [], null));
                        }

                        break;
                    case "RCPT":
                        rcptTo.Add(line);
                        reply = RcptReply(line);
                        if (reply is null || !reply.StartsWith('2'))
                        {
                            Record(new RelayTransaction(connection, mailFrom ?? string.Empty, [.. rcptTo], null));
                        }

                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        Record(new RelayTransaction(connection, mailFrom ?? string.Empty, [.. rcptTo], data.ToString()));
                        reply = DataReply(data.ToString());
                        break;
                    default:
                        reply = "502 5.5.2 Command not recognized";
                        break;
                }

                if (reply is null)
                {
                    // Silence until the client gives up and closes, or the relay stops.
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                await writer.WriteLineAsync(reply);
                if (reply!.StartsWith("421", StringComparison.Ordinal))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client or the test ended the session.
        }
    }

    private void Record(RelayTransaction transaction)
    {
        lock (_transactions)
        {
            _transactions.Add(transaction);
        }
    }
}
