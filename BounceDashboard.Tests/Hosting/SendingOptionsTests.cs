using System.ComponentModel.DataAnnotations;
using BounceDashboard.Web.Options;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

/// <summary>The <c>Sending</c> section's validation (what start-up refuses) and its defaults.</summary>
public sealed class SendingOptionsTests
{
    private static RelayOptions Relay(string name = "relay-a") => new()
    {
        Name = name,
        Host = "127.0.0.1",
        Port = 2525,
        TlsMode = RelayTlsMode.None,
    };

    private static SendingOptions Complete(params RelayOptions[] relays)
    {
        var options = new SendingOptions { BounceDomain = "bounces.example.com", PublicBaseUrl = new Uri("https://mail.example.com/") };
        options.Relays.AddRange(relays);
        return options;
    }

    private static List<ValidationResult> Validate(SendingOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    private static List<string> Errors(SendingOptions options) => Validate(options).Select(r => r.ErrorMessage ?? string.Empty).ToList();

    [Fact]
    public void Validate_ShouldPassAndNotSend_WhenNoRelayIsConfigured()
    {
        var empty = new SendingOptions();
        var withoutRelays = Complete();

        Assert.Empty(Validate(empty));
        Assert.Empty(Validate(withoutRelays));
        Assert.False(empty.CanSend);
        Assert.False(withoutRelays.CanSend);
    }

    [Fact]
    public void Validate_ShouldPassAndSend_WhenARelayBounceDomainAndPublicUrlAreGiven()
    {
        var options = Complete(Relay(), Relay("relay-b"));

        Assert.Empty(Validate(options));
        Assert.True(options.CanSend);
    }

    [Fact]
    public void Validate_ShouldNameBothKeys_WhenRelaysHaveNoBounceDomainNorPublicBaseUrl()
    {
        var options = new SendingOptions();
        options.Relays.Add(Relay());

        var results = Validate(options);

        Assert.Equal(2, results.Count);
        Assert.Contains(results, r => r.ErrorMessage!.StartsWith("Sending:BounceDomain is required", StringComparison.Ordinal)
            && r.MemberNames.SequenceEqual([nameof(SendingOptions.BounceDomain)]));
        Assert.Contains(results, r => r.ErrorMessage!.StartsWith("Sending:PublicBaseUrl is required", StringComparison.Ordinal)
            && r.MemberNames.SequenceEqual([nameof(SendingOptions.PublicBaseUrl)]));
        Assert.False(options.CanSend);
    }

    [Theory]
    [InlineData("mail.example.com/x")]
    [InlineData("ftp://mail.example.com/")]
    [InlineData("https://mail.example.com/?a=1")]
    public void Validate_ShouldNamePublicBaseUrl_WhenItIsNotAnAbsoluteHttpAddressWithoutQuery(string url)
    {
        var options = Complete(Relay());
        options.PublicBaseUrl = new Uri(url, UriKind.RelativeOrAbsolute);

        var error = Assert.Single(Errors(options));

        Assert.StartsWith("Sending:PublicBaseUrl", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("bounces .example.com")]
    [InlineData("-bounces.example.com")]
    public void Validate_ShouldNameBounceDomain_WhenItIsNoDomainName(string domain)
    {
        var options = Complete(Relay());
        options.BounceDomain = domain;

        Assert.Contains(Errors(options), e => e.Contains("BounceDomain", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ShouldRefuse_WhenTwoRelaysShareANameInAnyCase()
    {
        var error = Assert.Single(Errors(Complete(Relay("relay-a"), Relay("Relay-A"))));

        Assert.Equal("Sending:Relays:1: the relay name 'Relay-A' is used twice.", error);
    }

    [Theory]
    [InlineData("sender", null)]
    [InlineData("sender", "")]
    [InlineData(null, "secret")]
    public void Validate_ShouldAskForBoth_WhenOnlyOneOfUserNameAndPasswordIsGiven(string? userName, string? password)
    {
        var relay = Relay();
        relay.UserName = userName;
        relay.Password = password;

        var error = Assert.Single(Errors(Complete(Relay("relay-0"), relay)));

        Assert.Equal("Sending:Relays:1: give both UserName and Password, or neither.", error);
    }

    [Fact]
    public void Validate_ShouldPass_WhenAUserHasAPassword()
    {
        var relay = Relay();
        relay.UserName = "sender";
        relay.Password = "secret";

        Assert.Empty(Validate(Complete(relay)));
    }

    [Fact]
    public void Validate_ShouldNameTlsMode_WhenItIsNoKnownMode()
    {
        var relay = Relay();
        relay.TlsMode = (RelayTlsMode)42;

        var error = Assert.Single(Errors(Complete(relay)));

        Assert.Equal("Sending:Relays:0: TlsMode must be None, StartTls, SslOnConnect or Auto.", error);
    }

    [Fact]
    public void Validate_ShouldNameTheRelay_WhenItsOwnSettingsAreOutOfRange()
    {
        var relay = Relay("bad name!");
        relay.Host = "";
        relay.MaxConnections = 0;
        relay.Timeout = TimeSpan.FromMilliseconds(500);

        var errors = Errors(Complete(Relay("relay-0"), relay));

        Assert.Equal(4, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("Sending:Relays:1: ", e, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("A relay Name is", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Host", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MaxConnections", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Timeout", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(RelayTlsMode.StartTls, 0, 587)]
    [InlineData(RelayTlsMode.None, 0, 587)]
    [InlineData(RelayTlsMode.Auto, 0, 587)]
    [InlineData(RelayTlsMode.SslOnConnect, 0, 465)]
    [InlineData(RelayTlsMode.SslOnConnect, 2465, 2465)]
    [InlineData(RelayTlsMode.None, 2525, 2525)]
    public void EffectivePort_ShouldFollowTheTlsMode_WhenNoPortIsGiven(RelayTlsMode mode, int port, int expected)
    {
        var relay = new RelayOptions { Name = "r", Host = "smtp.example.com", TlsMode = mode, Port = port };

        Assert.Equal(expected, relay.EffectivePort);
    }

    [Fact]
    public void Bind_ShouldReadRelaysWithDefaults_WhenConfiguredByEnvironmentStyleKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sending:BounceDomain"] = "bounces.example.com",
            ["Sending:PublicBaseUrl"] = "https://mail.example.com/",
            ["Sending:Relays:0:Name"] = "primary",
            ["Sending:Relays:0:Host"] = "smtp.example.com",
            ["Sending:Relays:0:UserName"] = "sender",
            ["Sending:Relays:0:Password"] = "secret",
            ["Sending:Relays:1:Name"] = "smtps",
            ["Sending:Relays:1:Host"] = "smtps.example.com",
            ["Sending:Relays:1:TlsMode"] = "SslOnConnect",
            ["Sending:Relays:1:MessagesPerSecond"] = "2.5",
        }).Build();
        var options = new SendingOptions();

        configuration.GetSection(SendingOptions.SectionName).Bind(options);

        Assert.Empty(Validate(options));
        Assert.True(options.CanSend);
        Assert.Equal(
            (20, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), true),
            (options.ClaimBatchSize, options.ConnectionRetryDelay, options.ClaimTimeout, options.RequestDsn));
        Assert.Equal(2, options.Relays.Count);
        var (primary, smtps) = (options.Relays[0], options.Relays[1]);
        Assert.Equal(
            ("primary", RelayTlsMode.StartTls, 587, 2, 0d, TimeSpan.FromSeconds(60), 1000),
            (primary.Name, primary.TlsMode, primary.EffectivePort, primary.MaxConnections, primary.MessagesPerSecond, primary.Timeout, primary.MessagesPerConnection));
        Assert.Equal(("smtps", RelayTlsMode.SslOnConnect, 465, 2.5), (smtps.Name, smtps.TlsMode, smtps.EffectivePort, smtps.MessagesPerSecond));
    }

    [Fact]
    public void Bind_ShouldLeaveAnUndefinedNumericTlsModeToValidation_WhenConfiguredAsANumber()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sending:BounceDomain"] = "bounces.example.com",
            ["Sending:PublicBaseUrl"] = "https://mail.example.com/",
            ["Sending:Relays:0:Name"] = "primary",
            ["Sending:Relays:0:Host"] = "smtp.example.com",
            ["Sending:Relays:0:TlsMode"] = "7",
        }).Build();
        var options = new SendingOptions();

        configuration.GetSection(SendingOptions.SectionName).Bind(options);

        Assert.Contains(Errors(options), e => e.Contains("TlsMode must be", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ShouldNameTheRelay_WhenItsTlsModeIsUnknownAndTheBinderDroppedIt()
    {
        // The configuration binder skips a list element it cannot bind: a typo in one relay's TlsMode would remove the
        // relay, and with it the only way out, without a word. RelayListValidator stops start-up instead.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sending:BounceDomain"] = "bounces.example.com",
            ["Sending:PublicBaseUrl"] = "https://mail.example.com/",
            ["Sending:Relays:0:Name"] = "primary",
            ["Sending:Relays:0:Host"] = "smtp.example.com",
            ["Sending:Relays:0:TlsMode"] = "Starttls-please",
        }).Build();
        var options = new SendingOptions();
        configuration.GetSection(SendingOptions.SectionName).Bind(options);

        var result = new RelayListValidator(configuration).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Sending:Relays:0", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Starttls-please", result.FailureMessage, StringComparison.Ordinal);
    }
}

