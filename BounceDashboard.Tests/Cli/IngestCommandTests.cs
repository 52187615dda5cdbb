using System.Text;
using System.Text.Json;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Mail;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace BounceDashboard.Tests.Cli;

/// <summary>The <c>ingest</c> and <c>reclassify</c> verbs on a temporary SQLite file, configured as the app would be.</summary>
public sealed class IngestCommandTests : IDisposable
{
    private const string Unparseable = "this is not a header line\n\nbody\n";
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private string DatabasePath => Path.Combine(_temp.Path, "ingest.db");

    private Func<HostApplicationBuilder> Builder(bool withKey = true) => () =>
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _temp.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={DatabasePath}",
            ["Tracking:SigningKey"] = withKey ? Convert.ToBase64String(InboundFixtures.TestKey) : null,
        });
        return builder;
    };

    private IngestCommand Ingest(bool withKey = true) =>
        new(Builder(withKey), new MessageSources(() => new MemoryStream(Encoding.UTF8.GetBytes(Unparseable))), new CommandLinePaths(_temp.Path));

    private ReclassifyCommand Reclassify() => new(Builder());

    private static async Task<(int ExitCode, List<JsonElement> Lines, string Errors)> RunAsync(ICliCommand command, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await command.RunAsync(args, output, errors, CancellationToken.None);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
        return (exitCode, lines, errors.ToString());
    }

    private SqliteBounceDbContext OpenDatabase() =>
        new(new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite($"Data Source={DatabasePath};Pooling=False").Options);

    /// <summary>A contact for the fixture's recipient and a delivery to it under way, with a token signed by the test key.</summary>
    private async Task<Delivery> SeedDeliveryAsync()
    {
        await using var db = OpenDatabase();
        var contact = Contact.Create(InboundFixtures.FixtureRecipient, TestData.Now);
        var campaign = new CampaignBuilder().Build();
        db.AddRange(contact, campaign);
        await db.SaveChangesAsync();
        var delivery = Delivery.Create(campaign.Id, contact.Id, TestData.Now);
        delivery.BeginAttempt(TestData.Now, "<1.1@mail.example.com>", "192.0.2.10");
        db.Add(delivery);
        await db.SaveChangesAsync();
        delivery.AssignToken(InboundFixtures.Signer.Create(delivery.Id));
        await db.SaveChangesAsync();
        return delivery;
    }

    [Fact]
    public void TryFind_ShouldFindBothVerbs_WhenNamedOnTheCommandLine()
    {
        Assert.True(CliApplication.TryFind(["ingest", "x.eml"], out var ingest));
        Assert.True(CliApplication.TryFind(["reclassify"], out var reclassify));
        Assert.IsType<IngestCommand>(ingest);
        Assert.IsType<ReclassifyCommand>(reclassify);
    }

    [Fact]
    public async Task RunAsync_ShouldPrintOneLinePerMessageAndChangeNothing_WhenTheSameFolderIsIngestedTwice()
    {
        _temp.Write(Path.Combine("inbox", "a-dsn.eml"), FixtureFiles.Robustness("dsn-userunknown.eml"));
        _temp.Write(Path.Combine("inbox", "b-plain.eml"), FixtureFiles.Robustness("plain-message.eml"));
        _temp.Write(Path.Combine("inbox", "c-bad.eml"), Unparseable);

        var first = await RunAsync(Ingest(), "inbox");
        var second = await RunAsync(Ingest(), "inbox");

        Assert.True(first.ExitCode == CliExitCodes.Success, first.Errors);
        Assert.Equal(
            [Path.Combine(_temp.Path, "inbox", "a-dsn.eml"), Path.Combine(_temp.Path, "inbox", "b-plain.eml"), Path.Combine(_temp.Path, "inbox", "c-bad.eml")],
            first.Lines.Select(l => l.GetProperty("file").GetString()));
        Assert.Equal(["unmatched", "notabounce", "unparseable"], first.Lines.Select(l => l.GetProperty("outcome").GetString()));
        Assert.Equal(InboundFixtures.FixtureRecipient, first.Lines[0].GetProperty("events")[0].GetProperty("recipient").GetString());
        Assert.All(first.Lines, l => Assert.False(l.GetProperty("duplicate").GetBoolean()));
        Assert.All(second.Lines, l => Assert.True(l.GetProperty("duplicate").GetBoolean() && !l.GetProperty("changed").GetBoolean()));
        Assert.Equal(first.Lines.Select(l => l.GetProperty("message").GetInt64()), second.Lines.Select(l => l.GetProperty("message").GetInt64()));
        await using var db = OpenDatabase();
        Assert.Equal((3, 1), (await db.InboundMessages.CountAsync(), await db.BounceEvents.CountAsync()));
    }

    [Fact]
    public async Task RunAsync_ShouldApplyTheBounceToTheDelivery_WhenTheMessageCarriesItsSignedToken()
    {
        Assert.Equal(CliExitCodes.Success, (await RunAsync(Reclassify())).ExitCode);
        var delivery = await SeedDeliveryAsync();
        _temp.Write("bounce.eml", InboundFixtures.UserUnknownDsnWithToken(delivery.Token!));

        var (exitCode, lines, errors) = await RunAsync(Ingest(), "bounce.eml");

        Assert.True(exitCode == CliExitCodes.Success, errors);
        var line = Assert.Single(lines);
        Assert.Equal(("matched", "bounce"), (line.GetProperty("outcome").GetString(), line.GetProperty("kind").GetString()));
        var bounce = Assert.Single(line.GetProperty("events").EnumerateArray().ToList());
        Assert.Equal(delivery.Id, bounce.GetProperty("delivery").GetInt64());
        Assert.Equal(("hardbounced", "userunknown"), (bounce.GetProperty("effect").GetString(), bounce.GetProperty("reason").GetString()));
        await using var db = OpenDatabase();
        Assert.Equal(DeliveryState.HardBounced, (await db.Deliveries.SingleAsync()).State);
    }

    [Fact]
    public async Task RunAsync_ShouldKeySourcesByContentHash_WhenMessagesComeFromStandardInput()
    {
        var (exitCode, lines, errors) = await RunAsync(Ingest(), "-");

        Assert.True(exitCode == CliExitCodes.Success, errors);
        Assert.Equal("-", Assert.Single(lines).GetProperty("file").GetString());
        await using var db = OpenDatabase();
        Assert.StartsWith("stdin:", (await db.InboundMessages.SingleAsync()).SourceKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShouldReclassifyOnlyTheChosenMessagesAndChangeNothingTheSecondTime_WhenAskedForUnparsed()
    {
        _temp.Write(Path.Combine("inbox", "a-dsn.eml"), FixtureFiles.Robustness("dsn-userunknown.eml"));
        _temp.Write(Path.Combine("inbox", "c-bad.eml"), Unparseable);
        var ingested = await RunAsync(Ingest(), "inbox");

        var unparsed = await RunAsync(Reclassify(), "--unparsed");
        var all = await RunAsync(Reclassify(), "--all");
        var stale = await RunAsync(Reclassify());

        Assert.Equal(CliExitCodes.Success, unparsed.ExitCode);
        Assert.Equal([ingested.Lines[1].GetProperty("message").GetInt64()], unparsed.Lines.Select(l => l.GetProperty("message").GetInt64()));
        Assert.Equal("unparseable", unparsed.Lines[0].GetProperty("outcome").GetString());
        Assert.False(unparsed.Lines[0].TryGetProperty("file", out _));
        Assert.Equal(2, all.Lines.Count);
        Assert.All(all.Lines.Concat(unparsed.Lines), l => Assert.False(l.GetProperty("changed").GetBoolean()));
        Assert.Empty(stale.Lines);
        Assert.Contains("0 messages read", stale.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShouldFailNamingTheSetting_WhenNoSigningKeyIsConfigured()
    {
        _temp.Write("bounce.eml", FixtureFiles.Robustness("dsn-userunknown.eml"));

        var (exitCode, lines, errors) = await RunAsync(Ingest(withKey: false), "bounce.eml");

        Assert.Equal(CliExitCodes.Failure, exitCode);
        Assert.Empty(lines);
        Assert.Contains("Tracking:SigningKey is required", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("ingest", "--all")]
    [InlineData("reclassify", "--everything")]
    [InlineData("reclassify", "--all", "--unparsed")]
    public async Task RunAsync_ShouldPrintTheUsage_WhenTheArgumentsAreWrong(string verb, params string[] args)
    {
        ICliCommand command = verb == "ingest" ? Ingest() : Reclassify();

        var (exitCode, _, errors) = await RunAsync(command, args);

        Assert.Equal(CliExitCodes.Usage, exitCode);
        Assert.Contains($"usage: {verb}", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShouldExitOneNamingThePath_WhenThePathDoesNotExist()
    {
        var (exitCode, lines, errors) = await RunAsync(Ingest(), "no-such-folder");

        Assert.Equal(CliExitCodes.Failure, exitCode);
        Assert.Empty(lines);
        Assert.Contains("no-such-folder", errors, StringComparison.Ordinal);
    }
}
