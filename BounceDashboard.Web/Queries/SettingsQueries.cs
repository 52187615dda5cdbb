using System.Globalization;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Web.Hosting;
using BounceDashboard.Web.Options;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Queries;

/// <summary>One configured value: its configuration key, what it is, the value in effect and where it comes from.</summary>
/// <param name="Source">The configuration source that sets it (e.g. "appsettings.json", "environment variables"); null: the built-in default.</param>
/// <param name="Secret">A secret: <see cref="Value"/> says only whether it is set.</param>
public sealed record SettingValue(string Key, string Label, string Value, string? Source, bool Secret = false)
{
    public bool IsDefault => Source is null;
}

/// <summary>A group of values as one configuration section (or one relay, one mailbox).</summary>
public sealed record SettingsSection(string Id, string Title, string? Note, IReadOnlyList<SettingValue> Values);

/// <summary>One attempt of a delivery and when it is due, counted from the first attempt.</summary>
public sealed record RetryStep(int Attempt, TimeSpan Offset);

/// <summary>
/// A row of the reason table. Whether a bounce is hard depends on the reason and on whether the failure was permanent
/// (a 5.x.x status, not a delay): both columns come from <see cref="BounceReasons.IsHard"/>.
/// </summary>
public sealed record ReasonRow(BounceReason Reason, string Code, string Description, bool HardWhenPermanent, bool HardWhenTransient, bool NotAFailure);

public sealed record SettingsSnapshot(
    IReadOnlyList<SettingsSection> Sections,
    IReadOnlyList<RetryStep> RetrySchedule,
    IReadOnlyList<ReasonRow> Reasons);

public interface ISettingsQueries
{
    /// <summary>The settings in effect (never a secret's value) and the reason table.</summary>
    SettingsSnapshot Read();
}

/// <summary>
/// The settings page's read side: the validated options as bound at start-up, each value with its key and source
/// (<see cref="IConfigurationOrigins"/>). Secrets (passwords, the signing key, connection-string passwords) are shown
/// as "set" or "not set" only.
/// </summary>
public sealed class SettingsQueries(
    IOptions<RulesOptions> rules,
    IOptions<SendingOptions> sending,
    IOptions<MailboxesOptions> mailboxes,
    IOptions<InboundOptions> inbound,
    IOptions<JobsOptions> jobs,
    IOptions<DatabaseOptions> database,
    IOptions<TrackingOptions> tracking,
    IConfigurationOrigins origins) : ISettingsQueries
{
    public const string SecretSet = "set (hidden)";
    public const string SecretNotSet = "not set";

    public SettingsSnapshot Read()
    {
        var sections = new List<SettingsSection>
        {
            Rules(rules.Value),
            Sending(sending.Value),
        };
        sections.AddRange(Relays(sending.Value));
        sections.AddRange(Mailboxes(mailboxes.Value));
        sections.Add(Inbound(inbound.Value));
        sections.Add(Jobs(jobs.Value));
        sections.Add(Database(database.Value));
        sections.Add(Tracking());

        var schedule = new RetrySchedule(rules.Value);
        var steps = Enumerable.Range(1, schedule.MaxAttempts).Select(k => new RetryStep(k, schedule.OffsetOf(k))).ToList();
        return new SettingsSnapshot(sections, steps, ReasonTable());
    }

    /// <summary>Every reason, in the enum's order, with what the domain says about it.</summary>
    public static IReadOnlyList<ReasonRow> ReasonTable() =>
        Enum.GetValues<BounceReason>()
            .Select(r => new ReasonRow(
                r,
                r.ToCode(),
                r.Describe(),
                BounceReasons.IsHard(r, permanent: true),
                BounceReasons.IsHard(r, permanent: false),
                BounceReasons.IsNotAFailure(r)))
            .ToList();

    /// <summary>A duration the way people say it: "30 h", "4 h 17 min", "1 d 6 h", "45 s".</summary>
    public static string Duration(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0";
        }

        var parts = new List<string>();
        if (value.Days > 0)
        {
            parts.Add($"{value.Days.ToString(CultureInfo.CurrentCulture)} d");
        }

        if (value.Hours > 0)
        {
            parts.Add($"{value.Hours.ToString(CultureInfo.CurrentCulture)} h");
        }

        if (value.Minutes > 0)
        {
            parts.Add($"{value.Minutes.ToString(CultureInfo.CurrentCulture)} min");
        }

        if (value.Seconds > 0 && value.Days == 0)
        {
            parts.Add($"{value.Seconds.ToString(CultureInfo.CurrentCulture)} s");
        }

        return parts.Count == 0 ? $"{value.TotalMilliseconds.ToString("N0", CultureInfo.CurrentCulture)} ms" : string.Join(" ", parts);
    }

    private SettingsSection Rules(RulesOptions o)
    {
        var s = RulesOptions.SectionName;
        return new SettingsSection("rules", "Bounce rules", "The thresholds the bounce rules apply to contacts and campaigns.",
        [
            Value(s, nameof(o.MaxAttempts), "Attempts per delivery (the first included)", Count(o.MaxAttempts)),
            Value(s, nameof(o.RetryWindow), "Time from the first attempt to the last", Duration(o.RetryWindow)),
            Value(s, nameof(o.RetryBackoffFactor), "Each gap between attempts is this many times the previous one", o.RetryBackoffFactor.ToString("0.##", CultureInfo.CurrentCulture)),
            Value(s, nameof(o.MinimumRetryDelay), "Shortest wait for a retry after a late failure report", Duration(o.MinimumRetryDelay)),
            Value(s, nameof(o.SoftBounceCampaignsForError), "Campaigns in a row ending soft bounced that move a contact to Error", Count(o.SoftBounceCampaignsForError)),
            Value(s, nameof(o.HardBounceCampaignsForConfirmedBounce), "Campaigns in a row ending hard bounced that make a Confirmed bounce", Count(o.HardBounceCampaignsForConfirmedBounce)),
            Value(s, nameof(o.AutoUnsubscribeEnabled), "Unsubscribe contacts that keep bouncing", YesNo(o.AutoUnsubscribeEnabled)),
            Value(s, nameof(o.AutoUnsubscribeAfterBounces), "Campaigns in a row ending bounced, without activity, before that unsubscribe", Count(o.AutoUnsubscribeAfterBounces)),
            Value(s, nameof(o.AutoPauseHardBounceRate), "Hard-bounce rate that pauses a campaign (0: never)", o.AutoPauseHardBounceRate.ToString("P1", CultureInfo.CurrentCulture)),
            Value(s, nameof(o.AutoPauseWindow), "Latest completed attempts the pause guard looks at", Count(o.AutoPauseWindow)),
        ]);
    }

    private SettingsSection Sending(SendingOptions o)
    {
        var s = SendingOptions.SectionName;
        return new SettingsSection("sending", "Sending", o.CanSend ? null : "Campaigns cannot go out: a bounce domain, a public URL and at least one relay are needed.",
        [
            Value(s, nameof(o.BounceDomain), "Domain of the VERP return path", o.BounceDomain ?? "not set"),
            Value(s, nameof(o.PublicBaseUrl), "Public address of the app (tracking and unsubscribe links)", o.PublicBaseUrl?.ToString() ?? "not set"),
            Value(s, nameof(o.Relays), "Relays", Count(o.Relays.Count)),
            Value(s, nameof(o.ClaimBatchSize), "Due deliveries one connection claims at a time", Count(o.ClaimBatchSize)),
            Value(s, nameof(o.ConnectionRetryDelay), "Wait after a connection or sign-in failure", Duration(o.ConnectionRetryDelay)),
            Value(s, nameof(o.ClaimTimeout), "A claim older than this is released and sent again", Duration(o.ClaimTimeout)),
            Value(s, nameof(o.RequestDsn), "Ask relays for delivery status notifications", YesNo(o.RequestDsn)),
        ]);
    }

    private IEnumerable<SettingsSection> Relays(SendingOptions o)
    {
        for (var i = 0; i < o.Relays.Count; i++)
        {
            var relay = o.Relays[i];
            var s = $"{SendingOptions.SectionName}:{nameof(SendingOptions.Relays)}:{i.ToString(CultureInfo.InvariantCulture)}";
            yield return new SettingsSection($"relay-{i}", $"Relay {relay.Name}", null,
            [
                Value(s, nameof(relay.Name), "Name", relay.Name),
                Value(s, nameof(relay.Host), "Host", relay.Host),
                Value(s, nameof(relay.Port), "Port", relay.EffectivePort.ToString(CultureInfo.InvariantCulture)),
                Value(s, nameof(relay.TlsMode), "TLS", relay.TlsMode.ToString()),
                Value(s, nameof(relay.UserName), "User name", relay.UserName ?? "none"),
                Secret(s, nameof(relay.Password), "Password", relay.Password),
                Value(s, nameof(relay.SendingIp), "Sending IP (label)", relay.SendingIp ?? "none"),
                Value(s, nameof(relay.MaxConnections), "Connections at once", Count(relay.MaxConnections)),
                Value(s, nameof(relay.MessagesPerSecond), "Messages per second (0: no limit)", relay.MessagesPerSecond.ToString("N1", CultureInfo.CurrentCulture)),
                Value(s, nameof(relay.Timeout), "Command timeout", Duration(relay.Timeout)),
                Value(s, nameof(relay.MessagesPerConnection), "Messages per connection", Count(relay.MessagesPerConnection)),
            ]);
        }
    }

    private IEnumerable<SettingsSection> Mailboxes(MailboxesOptions o)
    {
        if (o.Mailboxes.Count == 0)
        {
            yield return new SettingsSection("mailboxes", "Bounce mailboxes", "No mailbox is configured: nothing is polled. Add one under Mailboxes.", []);
            yield break;
        }

        for (var i = 0; i < o.Mailboxes.Count; i++)
        {
            var m = o.Mailboxes[i];
            var s = $"{MailboxesOptions.SectionName}:{i.ToString(CultureInfo.InvariantCulture)}";
            var values = new List<SettingValue>
            {
                Value(s, nameof(m.Name), "Name", m.Name),
                Value(s, nameof(m.Kind), "Kind", m.Kind.ToString()),
            };
            if (m.Kind == MailboxKind.Maildir)
            {
                values.Add(Value(s, nameof(m.Path), "Maildir folder", m.Path ?? "not set"));
            }
            else
            {
                values.Add(Value(s, nameof(m.Host), "Host", m.Host ?? "not set"));
                values.Add(Value(s, nameof(m.Port), "Port (0: the protocol's)", m.Port.ToString(CultureInfo.InvariantCulture)));
                values.Add(Value(s, nameof(m.TlsMode), "TLS", m.TlsMode.ToString()));
                values.Add(Value(s, nameof(m.UserName), "User name", m.UserName ?? "not set"));
                values.Add(Secret(s, nameof(m.Password), "Password", m.Password));
                values.Add(Value(s, nameof(m.Folder), "Folder read", m.Folder));
            }

            values.Add(Value(s, nameof(m.ProcessedFolder), "Processed messages go to", m.ProcessedFolder));
            values.Add(Value(s, nameof(m.PollInterval), "Poll every", Duration(m.PollInterval)));
            values.Add(Value(s, nameof(m.MaxRetryDelay), "Longest wait after failures", Duration(m.MaxRetryDelay)));
            values.Add(Value(s, nameof(m.LeaseDuration), "Lease against other instances", Duration(m.LeaseDuration)));
            yield return new SettingsSection($"mailbox-{i}", $"Mailbox {m.Name}", null, values);
        }
    }

    private SettingsSection Inbound(InboundOptions o) =>
        new("inbound", "Inbound messages", null,
        [
            Value(InboundOptions.SectionName, nameof(o.RawRetentionDays), "Days a matched message keeps its raw bytes", Count(o.RawRetentionDays)),
        ]);

    private SettingsSection Jobs(JobsOptions o)
    {
        var s = JobsOptions.SectionName;
        return new SettingsSection("jobs", "Background jobs", null,
        [
            Value(s, nameof(o.Role), "What this instance runs", o.Role.ToString()),
            Value(s, nameof(o.WorkerCount), "Worker threads", Count(o.WorkerCount)),
            Value(s, nameof(o.DashboardPath), "Job dashboard", o.DashboardPath),
        ]);
    }

    private SettingsSection Database(DatabaseOptions o)
    {
        var s = DatabaseOptions.SectionName;
        var connectionName = o.Provider switch
        {
            DatabaseProvider.Sqlite => DatabaseOptions.SqliteConnectionStringName,
            DatabaseProvider.SqlServer => DatabaseOptions.SqlServerConnectionStringName,
            _ => throw new InvalidOperationException($"Unknown Database:Provider '{o.Provider}'."),
        };
        var connectionKey = $"ConnectionStrings:{connectionName}";
        var connection = origins.RedactedConnectionString(connectionName)
            ?? (o.Provider == DatabaseProvider.Sqlite ? DatabaseOptions.DefaultSqliteConnectionString : "not set");
        return new SettingsSection("database", "Database", null,
        [
            Value(s, nameof(o.Provider), "Provider", o.Provider.ToString()),
            new SettingValue(connectionKey, "Connection (secrets hidden)", connection, origins.SourceOf(connectionKey)),
            Value(s, nameof(o.SeedDemoData), "Fill an empty database with demo data", YesNo(o.SeedDemoData)),
        ]);
    }

    private SettingsSection Tracking() =>
        new("tracking", "Tracking", null,
        [
            Secret(TrackingOptions.SectionName, nameof(TrackingOptions.SigningKey), "Key signing delivery tokens", tracking.Value.SigningKey),
        ]);

    private SettingValue Value(string section, string name, string label, string value)
    {
        var key = $"{section}:{name}";
        return new SettingValue(key, label, value, origins.SourceOf(key));
    }

    private SettingValue Secret(string section, string name, string label, string? value)
    {
        var key = $"{section}:{name}";
        return new SettingValue(key, label, string.IsNullOrEmpty(value) ? SecretNotSet : SecretSet, origins.SourceOf(key), Secret: true);
    }

    private static string Count(int value) => value.ToString("N0", CultureInfo.CurrentCulture);

    private static string YesNo(bool value) => value ? "yes" : "no";
}
