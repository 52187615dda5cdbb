using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using BounceDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace BounceDashboard.Tests.Cli;

/// <summary>
/// The <c>send</c> verb without an SMTP server: its argument errors (exit code 2, the message and the usage on standard
/// error, no host built), its help, a configuration that cannot send (exit code 1 naming the settings), and a relay on a
/// closed loopback port (the campaign is created and started, nothing is sent, the deliveries wait).
/// </summary>
public sealed class SendCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private int _hostsBuilt;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    /// <summary>The app's host on a temporary SQLite file with the test key and the given extra settings; counts how often it is built.</summary>
    private SendCommand Send(Dictionary<string, string?>? settings = null) => new(() =>
    {
        _hostsBuilt++;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _temp.Path });
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={DatabasePath}",
            ["Tracking:SigningKey"] = Convert.ToBase64String(InboundFixtures.TestKey),
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(all);
        return builder;
    });

    private string DatabasePath => Path.Combine(_temp.Path, "send.db");

    /// <summary>A complete Sending section whose one relay is a loopback port nothing listens on.</summary>
    private static Dictionary<string, string?> ClosedRelay()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Dictionary<string, string?>
        {
            ["Sending:BounceDomain"] = "bounces.example.com",
            ["Sending:PublicBaseUrl"] = "https://mail.example.com/",
            ["Sending:Relays:0:Name"] = "closed",
            ["Sending:Relays:0:Host"] = "127.0.0.1",
            ["Sending:Relays:0:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Sending:Relays:0:TlsMode"] = "None",
            ["Sending:Relays:0:Timeout"] = "00:00:01",
        };
    }

    private SqliteBounceDbContext OpenDatabase() =>
        new(new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite($"Data Source={DatabasePath};Pooling=False").Options);

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(SendCommand command, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await command.RunAsync(args, output, errors, CancellationToken.None);
        return (exitCode, output.ToString(), errors.ToString());
    }

    [Theory]
    [InlineData("send: give --campaign ID, or --from, --subject, a body and addresses")]
    [InlineData("send: --campaign sends an existing campaign: it takes no other option", "--campaign", "7", "--from", "news@example.org")]
    [InlineData("send: --campaign sends an existing campaign: it takes no other option", "--campaign", "7", "--to", "ann@example.com")]
    [InlineData("send: --test sends a test of an existing campaign: give --campaign ID", "--test", "ann@example.com")]
    [InlineData("send: --test sends a test of an existing campaign: give --campaign ID", "--from", "news@example.org", "--subject", "S", "--text", "t.txt", "--to", "a@example.com", "--test", "b@example.com")]
    [InlineData("send: --campaign takes a campaign id, not 'abc'", "--campaign", "abc")]
    [InlineData("send: --campaign takes a campaign id, not '0'", "--campaign", "0")]
    [InlineData("send: --campaign takes a campaign id, not '-3'", "--campaign", "-3")]
    [InlineData("send: unknown option '--bogus'", "--bogus", "x")]
    [InlineData("send: unknown option 'ann@example.com'", "ann@example.com", "x")]
    [InlineData("send: '--campaign' needs a value", "--campaign")]
    [InlineData("send: '--from' needs a value", "--from", "--subject", "S")]
    [InlineData("send: a new campaign needs --from and --subject", "--from", "news@example.org", "--text", "t.txt", "--to", "a@example.com")]
    [InlineData("send: a new campaign needs --html FILE or --text FILE", "--from", "news@example.org", "--subject", "S", "--to", "a@example.com")]
    [InlineData("send: a new campaign needs --to ADDRESS or --to-file FILE", "--from", "news@example.org", "--subject", "S", "--html", "h.html")]
    public async Task RunAsync_ShouldExitWithUsage_WhenTheArgumentsAreWrong(string message, params string[] args)
    {
        var (exitCode, output, errors) = await RunAsync(Send(), args);

        Assert.Equal(CliExitCodes.Usage, exitCode);
        Assert.Equal("", output);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(message, lines[0]);
        Assert.StartsWith("usage: send --campaign ID", lines[1], StringComparison.Ordinal);
        Assert.Equal(0, _hostsBuilt);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task RunAsync_ShouldPrintTheUsageAndSucceed_WhenAskedForHelp(string help)
    {
        var (exitCode, output, errors) = await RunAsync(Send(), help);

        Assert.Equal(CliExitCodes.Success, exitCode);
        Assert.Equal("", errors);
        Assert.StartsWith("usage: send --campaign ID [--test ADDRESS...]", output, StringComparison.Ordinal);
        Assert.Contains("send --from ADDRESS --subject TEXT", output, StringComparison.Ordinal);
        Assert.Equal(0, _hostsBuilt);
    }

    [Fact]
    public async Task RunAsync_ShouldFailNamingTheSettings_WhenNoRelayIsConfigured()
    {
        var (exitCode, output, errors) = await RunAsync(Send(), "--campaign", "1");

        Assert.Equal(CliExitCodes.Failure, exitCode);
        Assert.Equal("", output);
        Assert.Contains("send: no relay configured", errors, StringComparison.Ordinal);
        Assert.Contains("Sending:Relays", errors, StringComparison.Ordinal);
        Assert.Equal(1, _hostsBuilt);
    }

    [Fact]
    public async Task RunAsync_ShouldFailNamingTheSettings_WhenNoRelayIsConfiguredForANewCampaign()
    {
        var html = _temp.Write("body.html", "<p>Hello</p>"u8.ToArray());

        var (exitCode, output, errors) = await RunAsync(
            Send(), "--from", "news@example.org", "--subject", "Spring", "--html", html, "--to", "ann@example.com");

        Assert.Equal(CliExitCodes.Failure, exitCode);
        Assert.Equal("", output);
        Assert.Contains("Sending:Relays", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShouldFailWithTheValidationMessage_WhenARelayHasNoBounceDomain()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sending:PublicBaseUrl"] = "https://mail.example.com/",
            ["Sending:Relays:0:Name"] = "primary",
            ["Sending:Relays:0:Host"] = "127.0.0.1",
        };

        var (exitCode, output, errors) = await RunAsync(Send(settings), "--campaign", "1");

        Assert.Equal(CliExitCodes.Failure, exitCode);
        Assert.Equal("", output);
        Assert.Contains("Sending:BounceDomain is required when relays are configured", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShouldCreateAndStartTheCampaignButSendNothing_WhenTheRelayIsDown()
    {
        var html = _temp.Write("body.html", "<p>Hello <a href=\"https://example.org/spring\">spring</a></p>");

        var (exitCode, output, errors) = await RunAsync(
            Send(ClosedRelay()), "--from", "news@example.org", "--subject", "Spring", "--html", html, "--to", "ann@example.com", "--to", "Bob@Example.com");

        Assert.True(exitCode == CliExitCodes.Success, errors);
        var line = JsonDocument.Parse(output).RootElement;
        Assert.Equal(
            ("InProgress", 2, 0, 0, 0),
            (line.GetProperty("state").GetString(), line.GetProperty("deliveriesCreated").GetInt32(), line.GetProperty("accepted").GetInt32(),
                line.GetProperty("refused").GetInt32(), line.GetProperty("notSent").GetInt32()));
        await using var db = OpenDatabase();
        var campaign = await db.Campaigns.SingleAsync();
        Assert.Equal((line.GetProperty("campaign").GetInt64(), CampaignState.InProgress), (campaign.Id, campaign.State));
        var deliveries = await db.Deliveries.ToListAsync();
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal((DeliveryState.Queued, 0), (d.State, d.AttemptCount)));
        Assert.Empty(await db.DeliveryAttempts.ToListAsync());
    }

    [Fact]
    public async Task RunAsync_ShouldFailAndWriteNoCampaign_WhenAnAddressIsMalformed()
    {
        var text = _temp.Write("body.txt", "Hello");
        var list = _temp.Write("list.txt", "# readers\nann@example.com\n\nnot-an-address\n");

        var (exitCode, output, errors) = await RunAsync(
            Send(ClosedRelay()), "--from", "news@example.org", "--subject", "Spring", "--text", text, "--to-file", list);

        Assert.Equal(CliExitCodes.Failure, exitCode);
        Assert.Equal("", output);
        Assert.Contains("send: 'not-an-address' is not a valid e-mail address.", errors, StringComparison.Ordinal);
        await using var db = OpenDatabase();
        Assert.Empty(await db.Campaigns.ToListAsync());
        Assert.Empty(await db.Contacts.ToListAsync());
    }

    [Fact]
    public async Task RunAsync_ShouldFailNamingTheFile_WhenTheAddressFileIsMissing()
    {
        var text = _temp.Write("body.txt", "Hello");
        var missing = Path.Combine(_temp.Path, "missing.txt");

        var (exitCode, output, errors) = await RunAsync(
            Send(ClosedRelay()), "--from", "news@example.org", "--subject", "Spring", "--text", text, "--to-file", missing);

        Assert.Equal(CliExitCodes.Failure, exitCode);
        Assert.Equal("", output);
        Assert.Contains("missing.txt", errors, StringComparison.Ordinal);
        await using var db = OpenDatabase();
        Assert.Empty(await db.Campaigns.ToListAsync());
    }

    [Fact]
    public async Task RunAsync_ShouldFail_WhenTheCampaignDoesNotExist()
    {
        var (exitCode, output, errors) = await RunAsync(Send(ClosedRelay()), "--campaign", "999");

        Assert.Equal(CliExitCodes.Failure, exitCode);
        Assert.Equal("", output);
        Assert.Contains("send: Campaign 999 does not exist.", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShouldReportTheTestDeliveriesCreated_WhenSendingATest()
    {
        // A first run creates the database (and fails: there is no campaign yet).
        Assert.Equal(CliExitCodes.Failure, (await RunAsync(Send(ClosedRelay()), "--campaign", "1")).ExitCode);
        long sourceId;
        await using (var db = OpenDatabase())
        {
            var source = Campaign.Create("Spring", CampaignKind.Regular, "news@example.org", "Spring news", DateTimeOffset.UtcNow);
            source.SetContent(null, null, "Hello");
            db.Campaigns.Add(source);
            await db.SaveChangesAsync();
            sourceId = source.Id;
        }

        var (exitCode, output, errors) = await RunAsync(
            Send(ClosedRelay()), "--campaign", sourceId.ToString(CultureInfo.InvariantCulture), "--test", "ann@example.com", "--test", "bob@example.com");

        Assert.True(exitCode == CliExitCodes.Success, errors);
        var line = JsonDocument.Parse(output).RootElement;
        await using var check = OpenDatabase();
        var test = await check.Campaigns.SingleAsync(c => c.Kind == CampaignKind.Test);
        Assert.Equal((test.Id, CampaignState.InProgress), (line.GetProperty("campaign").GetInt64(), test.State));
        Assert.Equal(2, await check.Deliveries.CountAsync(d => d.CampaignId == test.Id));
        Assert.Equal(2, line.GetProperty("deliveriesCreated").GetInt32());
    }
}
