using System.ComponentModel.DataAnnotations;
using BounceDashboard.Domain.Inbound;

namespace BounceDashboard.Web.Options;

/// <summary>How a configured mailbox is read.</summary>
public enum MailboxKind
{
    Imap = 1,
    Pop3 = 2,
    Maildir = 3,
}

/// <summary>How the connection to an IMAP or POP3 server is secured (MailKit's <c>SecureSocketOptions</c>).</summary>
public enum MailboxTlsMode
{
    /// <summary>Plain text: only for a server on loopback (the local test stack).</summary>
    None = 0,
    /// <summary>STARTTLS, required.</summary>
    StartTls = 1,
    /// <summary>TLS from the first byte (IMAPS 993, POP3S 995).</summary>
    SslOnConnect = 2,
    /// <summary>TLS on the well-known TLS ports, STARTTLS where offered otherwise.</summary>
    Auto = 3,
}

/// <summary>
/// One bounce mailbox the poller reads (an entry of the <c>Mailboxes</c> list, validated at start-up). The password
/// comes from configuration or the environment only (<c>Mailboxes__0__Password</c>), never from a committed file.
/// </summary>
public sealed class MailboxOptions : IValidatableObject
{
    public const string DefaultFolder = "INBOX";
    public const string DefaultProcessedFolder = "Processed";

    /// <summary>Unique; names the watermark, the source keys (<c>Name:UIDVALIDITY:UID</c>) and the recurring job.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,100}$", ErrorMessage = "A mailbox Name is 1 to 100 letters, digits, dots, dashes or underscores.")]
    public string Name { get; set; } = string.Empty;

    public MailboxKind Kind { get; set; } = MailboxKind.Imap;

    public string? Host { get; set; }

    /// <summary>0 picks the protocol's port for the TLS mode (993/143 for IMAP, 995/110 for POP3).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    public MailboxTlsMode TlsMode { get; set; } = MailboxTlsMode.Auto;

    public string? UserName { get; set; }

    /// <summary>From configuration or the environment only.</summary>
    public string? Password { get; set; }

    /// <summary>The IMAP folder read.</summary>
    public string Folder { get; set; } = DefaultFolder;

    /// <summary>Where bounces go once committed: an IMAP folder, or a Maildir++ subfolder (<c>.Processed</c>).</summary>
    public string ProcessedFolder { get; set; } = DefaultProcessedFolder;

    /// <summary>IMAP only: where mail that is not a bounce is moved; left in place when empty.</summary>
    public string? NotBounceFolder { get; set; }

    /// <summary>The Maildir folder (holding cur/, new/ and tmp/).</summary>
    public string? Path { get; set; }

    /// <summary>How often the mailbox is polled: whole minutes, a divisor of an hour or whole hours dividing a day.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// After failed polls the wait doubles: one <see cref="PollInterval"/> after the first failure, two after the second,
    /// four after the third, and so on up to this cap (never below <see cref="PollInterval"/>: <see cref="RetryCap"/>).
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The longest wait after failures: <see cref="MaxRetryDelay"/>, or the poll interval if that is longer.</summary>
    public TimeSpan RetryCap => MaxRetryDelay > PollInterval ? MaxRetryDelay : PollInterval;

    /// <summary>
    /// How long a poll holds the mailbox against other instances before it renews its lease (every third of it); a poll
    /// killed with the lease held blocks the mailbox for at most this long.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A scheduled tick this close to the end of a backoff polls (the wait counts from the failure, a little after its tick).</summary>
    public TimeSpan BackoffSlack => PollInterval / 2;

    /// <summary>The inbound source its messages are stored under; a Maildir's files are <see cref="InboundSource.File"/>.</summary>
    public InboundSource Source => Kind switch
    {
        MailboxKind.Imap => InboundSource.Imap,
        MailboxKind.Pop3 => InboundSource.Pop3,
        _ => InboundSource.File,
    };

    /// <summary>The cron expression (UTC) of <see cref="PollInterval"/>; valid once <see cref="Validate"/> passed.</summary>
    public string Cron()
    {
        var minutes = (int)PollInterval.TotalMinutes;
        return minutes switch
        {
            1 => "* * * * *",
            < 60 => $"*/{minutes} * * * *",
            60 => "0 * * * *",
            < 1440 => $"0 */{minutes / 60} * * *",
            _ => "0 0 * * *",
        };
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var where = $"Mailboxes '{Name}'";
        if (!Enum.IsDefined(Kind))
        {
            yield return new ValidationResult($"{where}: Kind must be Imap, Pop3 or Maildir.", [nameof(Kind)]);
        }

        if (!Enum.IsDefined(TlsMode))
        {
            yield return new ValidationResult($"{where}: TlsMode must be None, StartTls, SslOnConnect or Auto.", [nameof(TlsMode)]);
        }

        if (!IsCronInterval(PollInterval))
        {
            yield return new ValidationResult(
                $"{where}: PollInterval must be whole minutes dividing an hour (00:01:00 to 00:30:00) or whole hours dividing a day (01:00:00 to 1.00:00:00).",
                [nameof(PollInterval)]);
        }

        if (MaxRetryDelay <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"{where}: MaxRetryDelay must be positive (for example 00:30:00).", [nameof(MaxRetryDelay)]);
        }

        if (LeaseDuration < TimeSpan.FromSeconds(30) || LeaseDuration > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult($"{where}: LeaseDuration must be between 00:00:30 and 1.00:00:00.", [nameof(LeaseDuration)]);
        }

        if (string.IsNullOrWhiteSpace(ProcessedFolder))
        {
            yield return new ValidationResult($"{where}: ProcessedFolder is required.", [nameof(ProcessedFolder)]);
        }

        if (Kind == MailboxKind.Maildir)
        {
            if (string.IsNullOrWhiteSpace(Path))
            {
                yield return new ValidationResult($"{where}: Path (the Maildir folder) is required for a Maildir mailbox.", [nameof(Path)]);
            }
            else if (ProcessedFolder.IndexOfAny(['/', '\\']) >= 0 || ProcessedFolder.Contains("..", StringComparison.Ordinal))
            {
                yield return new ValidationResult($"{where}: ProcessedFolder of a Maildir is a subfolder name, not a path.", [nameof(ProcessedFolder)]);
            }

            yield break;
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return new ValidationResult($"{where}: Host is required for an {Kind} mailbox.", [nameof(Host)]);
        }

        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult(
                $"{where}: UserName and Password are required for an {Kind} mailbox (set the password in the environment: Mailboxes__N__Password).",
                [nameof(UserName), nameof(Password)]);
        }

        if (Kind == MailboxKind.Imap && string.IsNullOrWhiteSpace(Folder))
        {
            yield return new ValidationResult($"{where}: Folder is required for an IMAP mailbox.", [nameof(Folder)]);
        }

        if (Kind == MailboxKind.Pop3 && !string.IsNullOrWhiteSpace(NotBounceFolder))
        {
            yield return new ValidationResult($"{where}: NotBounceFolder is IMAP only (POP3 has no folders: non-bounces are kept).", [nameof(NotBounceFolder)]);
        }
    }

    private static bool IsCronInterval(TimeSpan interval)
    {
        if (interval.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            return false;
        }

        var minutes = (long)interval.TotalMinutes;
        return minutes switch
        {
            < 1 => false,
            < 60 => 60 % minutes == 0,
            _ => minutes % 60 == 0 && minutes <= 1440 && 1440 % minutes == 0,
        };
    }
}

/// <summary>The <c>Mailboxes</c> list (empty by default: nothing is polled); names must be unique.</summary>
public sealed class MailboxesOptions : IValidatableObject
{
    public const string SectionName = "Mailboxes";

    public List<MailboxOptions> Mailboxes { get; } = [];

    /// <summary>The mailbox of that name; null when none is configured (any more).</summary>
    public MailboxOptions? Find(string name) =>
        Mailboxes.SingleOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Mailboxes.Count; i++)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(Mailboxes[i], new ValidationContext(Mailboxes[i]), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult($"{SectionName}:{i}: {result.ErrorMessage}", result.MemberNames);
            }
        }

        foreach (var duplicate in Mailboxes.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"{SectionName}: the name '{duplicate.Key}' is used by more than one mailbox.", [nameof(MailboxOptions.Name)]);
        }
    }
}
