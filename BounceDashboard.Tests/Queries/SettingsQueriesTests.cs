using System.Text.Json;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Hosting;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Queries;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace BounceDashboard.Tests.Queries;

/// <summary>
/// <see cref="SettingsQueries"/> over a real configuration: a JSON file, environment variables and in-memory settings,
/// bound the way the app binds them.
/// </summary>
public sealed class SettingsQueriesTests : IDisposable
{
    private const string RelaySecret = "relay-pass-Qx81";
    private const string MailboxSecret = "mailbox-pass-Zr22";
    private const string ConnectionSecret = "conn-pass-Wt93";
    private const string SigningKey = "c2lnbmluZy1rZXktdGhhdC1pcy1sb25nLWVub3VnaC0xMjM0NTY3OA==";

    private readonly TempDirectory _directory = new();
    private readonly string _prefix = $"BDTEST{Guid.NewGuid():N}_";

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_prefix + "Rules__MaxAttempts", null);
        _directory.Dispose();
    }

    private SettingsQueries Create(Dictionary<string, string?>? settings = null, string? json = null, bool environment = false)
    {
        var builder = new ConfigurationBuilder();
        if (json is not null)
        {
            var file = Path.Combine(_directory.Path, "appsettings.json");
            File.WriteAllText(file, json);
            builder.AddJsonFile(file);
        }

        if (environment)
        {
            Environment.SetEnvironmentVariable(_prefix + "Rules__MaxAttempts", "6");
            builder.AddEnvironmentVariables(_prefix);
        }

        builder.AddInMemoryCollection(settings ?? []);
        var configuration = builder.Build();

        var sending = new SendingOptions();
        configuration.GetSection(SendingOptions.SectionName).Bind(sending);
        var mailboxes = new MailboxesOptions();
        configuration.GetSection(MailboxesOptions.SectionName).Bind(mailboxes.Mailboxes);
        return new SettingsQueries(
            Microsoft.Extensions.Options.Options.Create(configuration.GetSection(RulesOptions.SectionName).Get<RulesOptions>() ?? new RulesOptions()),
            Microsoft.Extensions.Options.Options.Create(sending),
            Microsoft.Extensions.Options.Options.Create(mailboxes),
            Microsoft.Extensions.Options.Options.Create(configuration.GetSection(InboundOptions.SectionName).Get<InboundOptions>() ?? new InboundOptions()),
            Microsoft.Extensions.Options.Options.Create(configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions()),
            Microsoft.Extensions.Options.Options.Create(configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions()),
            Microsoft.Extensions.Options.Options.Create(configuration.GetSection(TrackingOptions.SectionName).Get<TrackingOptions>() ?? new TrackingOptions()),
            new ConfigurationOrigins(configuration));
    }

    private static SettingValue Find(SettingsSnapshot snapshot, string key) =>
        snapshot.Sections.SelectMany(s => s.Values).Single(v => v.Key == key);

    private static Dictionary<string, string?> WithSecrets() => new()
    {
        ["Sending:BounceDomain"] = "bounces.example.com",
        ["Sending:PublicBaseUrl"] = "https://mail.example.com",
        ["Sending:Relays:0:Name"] = "primary",
        ["Sending:Relays:0:Host"] = "smtp.example.com",
        ["Sending:Relays:0:UserName"] = "sender",
        ["Sending:Relays:0:Password"] = RelaySecret,
        ["Mailboxes:0:Name"] = "bounces",
        ["Mailboxes:0:Kind"] = "Imap",
        ["Mailboxes:0:Host"] = "imap.example.com",
        ["Mailboxes:0:UserName"] = "bounce-reader",
        ["Mailboxes:0:Password"] = MailboxSecret,
        ["Tracking:SigningKey"] = SigningKey,
        ["Database:Provider"] = "SqlServer",
        ["ConnectionStrings:SqlServer"] = $"Server=db.example.com;Database=Bounces;User Id=app;Password={ConnectionSecret};TrustServerCertificate=True",
    };

    [Fact]
    public void Read_ShouldNameEachValuesKeyAndSource_WhenSomeComeFromConfiguration()
    {
        var queries = Create(
            new Dictionary<string, string?> { ["Rules:AutoPauseHardBounceRate"] = "0.1" },
            json: """{ "Rules": { "RetryWindow": "1.00:00:00" } }""",
            environment: true);

        using var culture = new CultureScope("en-US");
        var snapshot = queries.Read();

        var attempts = Find(snapshot, "Rules:MaxAttempts");
        Assert.Equal(("6", "environment variables"), (attempts.Value, attempts.Source));
        var window = Find(snapshot, "Rules:RetryWindow");
        Assert.Equal("1 d", window.Value);
        Assert.EndsWith("appsettings.json", window.Source, StringComparison.Ordinal);
        Assert.Equal(("10.0%", "host settings"), (Find(snapshot, "Rules:AutoPauseHardBounceRate").Value, Find(snapshot, "Rules:AutoPauseHardBounceRate").Source));
        var soft = Find(snapshot, "Rules:SoftBounceCampaignsForError");
        Assert.True(soft.IsDefault);
        Assert.Equal("3", soft.Value);
    }

    [Fact]
    public void Read_ShouldNeverContainASecret_WhenPasswordsKeysAndConnectionPasswordsAreConfigured()
    {
        var snapshot = Create(WithSecrets()).Read();

        var everything = JsonSerializer.Serialize(snapshot);
        Assert.DoesNotContain(RelaySecret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(MailboxSecret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(ConnectionSecret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(SigningKey, everything, StringComparison.Ordinal);

        Assert.Equal(SettingsQueries.SecretSet, Find(snapshot, "Sending:Relays:0:Password").Value);
        Assert.Equal(SettingsQueries.SecretSet, Find(snapshot, "Mailboxes:0:Password").Value);
        Assert.Equal(SettingsQueries.SecretSet, Find(snapshot, "Tracking:SigningKey").Value);
        Assert.True(Find(snapshot, "Tracking:SigningKey").Secret);
        var connection = Find(snapshot, "ConnectionStrings:SqlServer").Value;
        Assert.Contains("db.example.com", connection, StringComparison.Ordinal);
        Assert.Contains("(hidden)", connection, StringComparison.Ordinal);
        Assert.Equal("smtp.example.com", Find(snapshot, "Sending:Relays:0:Host").Value);
    }

    [Fact]
    public void Read_ShouldSayASecretIsNotSet_WhenItIsMissing()
    {
        var snapshot = Create().Read();

        Assert.Equal(SettingsQueries.SecretNotSet, Find(snapshot, "Tracking:SigningKey").Value);
        Assert.Contains(snapshot.Sections, s => s.Id == "mailboxes" && s.Note!.Contains("No mailbox", StringComparison.Ordinal));
        Assert.Equal(DatabaseOptions.DefaultSqliteConnectionString, Find(snapshot, "ConnectionStrings:Sqlite").Value);
    }

    [Theory]
    [InlineData("Server=db;Database=x;Password=s3cret;User Id=sa", "s3cret")]
    [InlineData("Server=db;Database=x;pwd=s3cret", "s3cret")]
    [InlineData("Data Source=app.db;Password=s3cret", "s3cret")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=s3cret", "s3cret")]
    public void Redact_ShouldHideTheSecretPart_WhenAConnectionStringHasOne(string connectionString, string secret)
    {
        var redacted = ConfigurationOrigins.Redact(connectionString);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains("(hidden)", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ShouldListTheRetrySchedule_FromTheRules()
    {
        var schedule = Create().Read().RetrySchedule;

        var defaults = new RulesOptions();
        Assert.Equal(defaults.MaxAttempts, schedule.Count);
        Assert.Equal(TimeSpan.Zero, schedule[0].Offset);
        Assert.Equal(defaults.RetryWindow, schedule[^1].Offset);
        Assert.Equal(new RetrySchedule(defaults).OffsetOf(2), schedule[1].Offset);
    }

    [Fact]
    public void ReasonTable_ShouldListEveryReasonOnceWithTheDomainsHardness()
    {
        var rows = SettingsQueries.ReasonTable();

        Assert.Equal(Enum.GetValues<BounceReason>(), rows.Select(r => r.Reason));
        var byReason = rows.ToDictionary(r => r.Reason);
        Assert.True(byReason[BounceReason.UserUnknown].HardWhenPermanent && byReason[BounceReason.UserUnknown].HardWhenTransient);
        Assert.True(byReason[BounceReason.NotAccept].HardWhenPermanent);
        Assert.False(byReason[BounceReason.NotAccept].HardWhenTransient);
        Assert.False(byReason[BounceReason.MailboxFull].HardWhenPermanent);
        Assert.True(byReason[BounceReason.Feedback].NotAFailure);
        Assert.Equal("userunknown", byReason[BounceReason.UserUnknown].Code);
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Description)));
    }

    [Theory]
    [InlineData("1.06:00:00", "1 d 6 h")]
    [InlineData("04:17:09", "4 h 17 min 9 s")]
    [InlineData("00:05:00", "5 min")]
    [InlineData("00:00:00", "0")]
    public void Duration_ShouldReadAsPeopleSayIt(string value, string expected)
    {
        using var culture = new CultureScope("en-US");

        Assert.Equal(expected, SettingsQueries.Duration(TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
