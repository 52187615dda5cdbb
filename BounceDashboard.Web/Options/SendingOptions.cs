using System.ComponentModel.DataAnnotations;

namespace BounceDashboard.Web.Options;

/// <summary>How the connection to an SMTP relay is secured (MailKit's <c>SecureSocketOptions</c>).</summary>
public enum RelayTlsMode
{
    /// <summary>Plain text: only for a relay on loopback or a private network (the local test stack).</summary>
    None = 0,
    /// <summary>STARTTLS, required: the send fails (and is retried later) if the relay does not offer it.</summary>
    StartTls = 1,
    /// <summary>TLS from the first byte (SMTPS, port 465).</summary>
    SslOnConnect = 2,
    /// <summary>TLS on port 465, STARTTLS where the relay offers it otherwise.</summary>
    Auto = 3,
}

/// <summary>
/// One SMTP relay campaigns go out through (an entry of <c>Sending:Relays</c>). The password comes from configuration
/// or the environment only (<c>Sending__Relays__0__Password</c>), never from a committed file.
/// </summary>
public sealed class RelayOptions
{
    /// <summary>Unique; stored on each attempt (<c>Relay</c>) so reports can tell relays apart.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,100}$", ErrorMessage = "A relay Name is 1 to 100 letters, digits, dots, dashes or underscores.")]
    public string Name { get; set; } = string.Empty;

    [Required]
    public string Host { get; set; } = string.Empty;

    /// <summary>0 picks 465 for <see cref="RelayTlsMode.SslOnConnect"/> and 587 otherwise.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    public RelayTlsMode TlsMode { get; set; } = RelayTlsMode.StartTls;

    /// <summary>Signs in when set (AUTH); the relay must offer it.</summary>
    public string? UserName { get; set; }

    /// <summary>From configuration or the environment only.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// The public IP address the relay sends from, recorded on each attempt: the bounce report groups by it. A label
    /// only; the app cannot see which address the relay uses.
    /// </summary>
    [MaxLength(45)]
    public string? SendingIp { get; set; }

    /// <summary>Connections opened to this relay at once, each sending one message after another.</summary>
    [Range(1, 64)]
    public int MaxConnections { get; set; } = 2;

    /// <summary>Messages per second over all connections to this relay; 0 for no limit.</summary>
    [Range(0, 100_000)]
    public double MessagesPerSecond { get; set; }

    /// <summary>How long one SMTP command may take before the connection counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Messages sent over one connection before it is closed and a new one opened (relays limit this too).</summary>
    [Range(1, 100_000)]
    public int MessagesPerConnection { get; set; } = 1000;

    /// <summary>The configured port, or the usual submission port for the TLS mode.</summary>
    public int EffectivePort => Port > 0 ? Port : TlsMode == RelayTlsMode.SslOnConnect ? 465 : 587;
}

/// <summary>
/// Where and how campaigns are sent (section <c>Sending</c>, validated at start-up). Without relays nothing is sent:
/// campaigns can be queued and wait. See the README ("Sending").
/// </summary>
public sealed class SendingOptions : IValidatableObject
{
    public const string SectionName = "Sending";

    /// <summary>
    /// The domain of the VERP return path <c>bounces+TOKEN@BounceDomain</c>: its MX must deliver to the bounce mailbox
    /// the poller reads. Also the right-hand side of the Message-IDs we create.
    /// </summary>
    [RegularExpression(@"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$", ErrorMessage = "BounceDomain must be a domain name such as bounces.example.com.")]
    public string? BounceDomain { get; set; }

    /// <summary>
    /// The address recipients' mail clients reach this app on (https in production): open pixel, click and
    /// unsubscribe links are built from it.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    public List<RelayOptions> Relays { get; } = [];

    /// <summary>Due deliveries one connection claims at a time; small batches spread the work over connections and instances.</summary>
    [Range(1, 1000)]
    public int ClaimBatchSize { get; set; } = 20;

    /// <summary>After a connection, TLS or sign-in failure, the deliveries concerned are tried again this much later (not counted as attempts).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ConnectionRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A delivery claimed longer ago than this and still sending belongs to a worker that died: it is released and
    /// sent again (the message may go out twice; see the README).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Ask relays that offer the DSN extension for success, failure and delay reports, with our token as ENVID.</summary>
    public bool RequestDsn { get; set; } = true;

    /// <summary>True when campaigns can go out: a bounce domain, a public URL and at least one relay.</summary>
    public bool CanSend => Relays.Count > 0 && BounceDomain is not null && PublicBaseUrl is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Relays.Count == 0)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(BounceDomain))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(BounceDomain)} is required when relays are configured.", [nameof(BounceDomain)]);
        }

        if (PublicBaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) || url.Query.Length > 0)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(PublicBaseUrl)} is required when relays are configured: the app's public http(s) address, such as https://mail.example.com.",
                [nameof(PublicBaseUrl)]);
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Relays.Count; i++)
        {
            var relay = Relays[i];
            var where = $"{SectionName}:Relays:{i}";
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(relay, new ValidationContext(relay), results, validateAllProperties: true))
            {
                foreach (var result in results)
                {
                    yield return new ValidationResult($"{where}: {result.ErrorMessage}", result.MemberNames);
                }
            }

            if (!Enum.IsDefined(relay.TlsMode))
            {
                yield return new ValidationResult($"{where}: TlsMode must be None, StartTls, SslOnConnect or Auto.", [nameof(RelayOptions.TlsMode)]);
            }

            if (!names.Add(relay.Name))
            {
                yield return new ValidationResult($"{where}: the relay name '{relay.Name}' is used twice.", [nameof(RelayOptions.Name)]);
            }

            if (string.IsNullOrEmpty(relay.UserName) != string.IsNullOrEmpty(relay.Password))
            {
                yield return new ValidationResult($"{where}: give both UserName and Password, or neither.", [nameof(RelayOptions.UserName)]);
            }
        }
    }
}
