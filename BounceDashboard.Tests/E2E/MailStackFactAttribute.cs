using System.Net.Sockets;
using Xunit;

namespace BounceDashboard.Tests.E2E;

/// <summary>
/// A test that needs the local mail stack (<c>scripts/mailstack.sh start</c>: Postfix on 127.0.0.1:2525, Dovecot IMAP
/// on 1143 and POP3 on 1110). Skipped, with the command to run as the reason, when a port is closed, except under
/// BOUNCEDASHBOARD_REQUIRE_EXTERNAL=1 (set by .ci/run) or BOUNCEDASHBOARD_MAILSTACK=1 (set by .ci/run once the stack
/// is started), where a closed port is a failure (<see cref="LocalMail.AssertRunning"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MailStackFactAttribute : FactAttribute
{
    public const string RequireExternalVariable = "BOUNCEDASHBOARD_REQUIRE_EXTERNAL";
    public const string MailStackVariable = "BOUNCEDASHBOARD_MAILSTACK";
    public const string StartCommand = "sudo scripts/mailstack.sh start";

    // Probed once per test run: discovery creates one attribute per test.
    private static readonly Lazy<string?> s_closedPorts = new(ProbeClosedPorts);

    public MailStackFactAttribute()
    {
        if (ClosedPorts is { } closed && !IsRequired)
        {
            Skip = $"The local mail stack is not running ({closed} closed): run `{StartCommand}` " +
                   $"(with {RequireExternalVariable}=1 or {MailStackVariable}=1 this test fails instead of skipping).";
        }
    }

    /// <summary>True when the environment says the stack must be there: a closed port fails the test.</summary>
    public static bool IsRequired =>
        Environment.GetEnvironmentVariable(RequireExternalVariable) == "1"
        || Environment.GetEnvironmentVariable(MailStackVariable) == "1";

    /// <summary>The closed ports as "127.0.0.1:2525, ..."; null when all three answer.</summary>
    public static string? ClosedPorts => s_closedPorts.Value;

    private static string? ProbeClosedPorts()
    {
        var closed = new[] { LocalMail.SmtpPort, LocalMail.ImapPort, LocalMail.Pop3Port }
            .AsParallel()
            .Where(port => !Answers(port))
            .Select(port => $"{LocalMail.Host}:{port}")
            .ToList();
        return closed.Count == 0 ? null : string.Join(", ", closed.Order(StringComparer.Ordinal));
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(LocalMail.Host, port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (AggregateException ex) when (ex.InnerException is SocketException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
