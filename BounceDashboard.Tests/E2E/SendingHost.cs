using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BounceDashboard.Tests.E2E;

/// <summary>
/// The app's own service registrations (data, rules, inbound, polling, sending) on a SQLite file, configured for the
/// local mail stack: Postfix as the relay, the <c>bounces</c> user's mailbox over IMAP (<see cref="ImapMailbox"/>) and
/// POP3 (<see cref="Pop3Mailbox"/>), and a fake clock so retries can be reached without waiting hours.
/// </summary>
public sealed class SendingHost : IAsyncDisposable
{
    public const string ImapMailbox = "e2e-send-imap";
    public const string Pop3Mailbox = "e2e-send-pop3";
    public const string RelayName = "local-postfix";
    public const string SendingIp = "127.0.0.1";
    public const string PublicBaseUrl = "http://dashboard.test/";

    private readonly TempDirectory _directory;
    private readonly IHost _host;

    private SendingHost(IHost host, FakeTimeProvider time, CapturingLoggerProvider logs, TempDirectory directory)
    {
        _host = host;
        _directory = directory;
        Time = time;
        Logs = logs;
    }

    public FakeTimeProvider Time { get; }

    /// <summary>Every log line the app wrote.</summary>
    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<SendingHost> StartAsync(int maxConnections = 2, IDictionary<string, string?>? extra = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var directory = new TempDirectory();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", ContentRootPath = directory.Path });
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(directory.Path, "send.db")}",
            ["Tracking:SigningKey"] = Convert.ToBase64String(InboundFixtures.TestKey),
            ["Sending:BounceDomain"] = LocalMail.BounceDomain,
            ["Sending:PublicBaseUrl"] = PublicBaseUrl,
            ["Sending:Relays:0:Name"] = RelayName,
            ["Sending:Relays:0:Host"] = LocalMail.Host,
            ["Sending:Relays:0:Port"] = LocalMail.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sending:Relays:0:TlsMode"] = "None",
            ["Sending:Relays:0:SendingIp"] = SendingIp,
            ["Sending:Relays:0:MaxConnections"] = maxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mailboxes:0:Name"] = ImapMailbox,
            ["Mailboxes:0:Kind"] = "Imap",
            ["Mailboxes:0:Host"] = LocalMail.Host,
            ["Mailboxes:0:Port"] = LocalMail.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mailboxes:0:TlsMode"] = "None",
            ["Mailboxes:0:UserName"] = LocalMail.BouncesUser,
            ["Mailboxes:0:Password"] = LocalMail.BouncesPassword,
            ["Mailboxes:1:Name"] = Pop3Mailbox,
            ["Mailboxes:1:Kind"] = "Pop3",
            ["Mailboxes:1:Host"] = LocalMail.Host,
            ["Mailboxes:1:Port"] = LocalMail.Pop3Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mailboxes:1:TlsMode"] = "None",
            ["Mailboxes:1:UserName"] = LocalMail.BouncesUser,
            ["Mailboxes:1:Password"] = LocalMail.BouncesPassword,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(time);
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.AddBounceDashboardData();
        builder.AddBounceDashboardRules();
        builder.AddBounceDashboardInbound();
        builder.AddBounceDashboardSending();
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseInitializer>().MigrateAsync(CancellationToken.None);
        return new SendingHost(host, time, logs, directory);
    }

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    public BounceDbContext CreateContext() => Get<IDbContextFactory<BounceDbContext>>().CreateDbContext();

    /// <summary>An audience of these addresses and a campaign to it with an HTML body holding two links, not started.</summary>
    public async Task<long> SeedCampaignAsync(params string[] addresses)
    {
        await using var db = CreateContext();
        var now = Time.GetUtcNow();
        var audience = Audience.Create($"E2E {Guid.NewGuid():N}", now);
        db.Audiences.Add(audience);
        var contacts = addresses.Select(a => Contact.Create(a, now)).ToList();
        db.Contacts.AddRange(contacts);
        await db.SaveChangesAsync();
        db.AudienceMembers.AddRange(contacts.Select(c => AudienceMember.Create(audience.Id, c.Id, now)));
        var campaign = Campaign.Create("E2E launch", CampaignKind.Regular, "news@bounces.test", "Our spring launch", now, [audience.Id]);
        campaign.SetContent(
            "BounceDashboard E2E",
            "<html><body><p>Hello!</p><p><a href=\"https://shop.example.com/spring?utm=mail&amp;id=1\">Spring</a> and <a href='https://example.com/about'>about us</a>.</p></body></html>",
            "Hello! Spring: https://shop.example.com/spring");
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        return campaign.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _directory.Dispose();
    }
}
