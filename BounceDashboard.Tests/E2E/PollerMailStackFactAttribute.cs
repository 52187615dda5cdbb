using System.Net.Sockets;
using Xunit;

namespace BounceDashboard.Tests.E2E;

/// <summary>
/// A poller test against the local mail stack (scripts/mailstack.sh: Postfix SMTP on 127.0.0.1:2525, Dovecot IMAP on
/// 1143 and POP3 on 1110). Skipped, with the reason shown, when one of those ports is closed, except under
/// BOUNCEDASHBOARD_REQUIRE_EXTERNAL=1 (set by .ci/run), where a missing stack is a failure.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PollerMailStackFactAttribute : FactAttribute
{
    public const string RequireExternalVariable = "BOUNCEDASHBOARD_REQUIRE_EXTERNAL";

    private static readonly Lazy<string?> s_closed = new(FindClosedPort);

    public PollerMailStackFactAttribute()
    {
        if (s_closed.Value is { } closed && !IsRequired)
        {
            Skip = $"The local mail stack is not running ({closed} is closed): start it as root with scripts/mailstack.sh start " +
                   $"(with {RequireExternalVariable}=1 this test fails instead of skipping).";
        }
    }

    public static bool IsRequired => Environment.GetEnvironmentVariable(RequireExternalVariable) == "1";

    private static string? FindClosedPort()
    {
        foreach (var port in new[] { PollerMailServers.SmtpPort, PollerMailServers.ImapPort, PollerMailServers.Pop3Port })
        {
            using var client = new TcpClient();
            try
            {
                if (!client.ConnectAsync(PollerMailServers.Host, port).Wait(TimeSpan.FromSeconds(2)))
                {
                    return $"{PollerMailServers.Host}:{port}";
                }
            }
            catch (AggregateException)
            {
                return $"{PollerMailServers.Host}:{port}";
            }
        }

        return null;
    }
}
