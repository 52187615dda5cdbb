using System.ComponentModel.DataAnnotations;
using System.Reflection;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Options;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace BounceDashboard.Tests.Polling;

public sealed class MailboxOptionsTests
{
    [Fact]
    public void Validate_ShouldNameTheMailbox_WhenItsKindIsMisspeltAndTheBinderDroppedIt()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mailboxes:0:Name"] = "bounces",
            ["Mailboxes:0:Kind"] = "Imapp",
            ["Mailboxes:0:Host"] = "imap.example.com",
        }).Build();
        var options = new MailboxesOptions();
        configuration.GetSection(MailboxesOptions.SectionName).Bind(options.Mailboxes);

        var result = new MailboxListValidator(configuration).Validate(null, options);

        Assert.Empty(options.Mailboxes);
        Assert.True(result.Failed);
        Assert.Contains("Mailboxes:0", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Imapp", result.FailureMessage, StringComparison.Ordinal);
    }

    private static MailboxOptions Imap(string name = "bounces") => new()
    {
        Name = name,
        Kind = MailboxKind.Imap,
        Host = "127.0.0.1",
        Port = 1143,
        TlsMode = MailboxTlsMode.None,
        UserName = "bounces",
        Password = "bounces-test-only",
    };

    private static List<string> Errors(params MailboxOptions[] mailboxes)
    {
        var options = new MailboxesOptions();
        options.Mailboxes.AddRange(mailboxes);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage ?? string.Empty).ToList();
    }

    [Fact]
    public void Validate_ShouldPass_WhenTheListIsEmptyOrEveryMailboxIsComplete()
    {
        Assert.Empty(Errors());
        Assert.Empty(Errors(Imap(), new MailboxOptions { Name = "local", Kind = MailboxKind.Maildir, Path = "/var/mail/bounces" }));
    }

    [Fact]
    public void Validate_ShouldNameTheSetting_WhenAnImapMailboxHasNoPassword()
    {
        var mailbox = Imap();
        mailbox.Password = null;

        Assert.Contains(Errors(mailbox), e => e.Contains("Password", StringComparison.Ordinal) && e.Contains("Mailboxes:0", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ShouldRefuse_WhenTwoMailboxesShareAName()
    {
        Assert.Contains(Errors(Imap("a"), Imap("A")), e => e.Contains("more than one mailbox", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ShouldRefuse_WhenAMaildirHasNoPathOrAPop3MailboxANotBounceFolder()
    {
        var pop3 = Imap("pop");
        pop3.Kind = MailboxKind.Pop3;
        pop3.NotBounceFolder = "Replies";

        var errors = Errors(new MailboxOptions { Name = "local", Kind = MailboxKind.Maildir }, pop3);

        Assert.Contains(errors, e => e.Contains("Path", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("NotBounceFolder", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:00:30")]
    [InlineData("00:07:00")]
    [InlineData("01:30:00")]
    [InlineData("05:00:00")]
    [InlineData("2.00:00:00")]
    public void Validate_ShouldRefuse_WhenThePollIntervalIsNoCronStep(string interval)
    {
        var mailbox = Imap();
        mailbox.PollInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Contains(Errors(mailbox), e => e.Contains("PollInterval", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:01:00", "* * * * *")]
    [InlineData("00:05:00", "*/5 * * * *")]
    [InlineData("01:00:00", "0 * * * *")]
    [InlineData("06:00:00", "0 */6 * * *")]
    [InlineData("1.00:00:00", "0 0 * * *")]
    public void Cron_ShouldFollowThePollInterval_WhenItIsValid(string interval, string cron)
    {
        var mailbox = Imap();
        mailbox.PollInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Empty(Errors(mailbox));
        Assert.Equal(cron, mailbox.Cron());
    }

    [Fact]
    public void Bind_ShouldReadTheListWithDefaults_WhenConfiguredByEnvironmentStyleKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mailboxes:0:Name"] = "bounces",
            ["Mailboxes:0:Kind"] = "Pop3",
            ["Mailboxes:0:Host"] = "127.0.0.1",
            ["Mailboxes:0:Port"] = "1110",
            ["Mailboxes:0:TlsMode"] = "None",
            ["Mailboxes:0:UserName"] = "bounces",
            ["Mailboxes:0:Password"] = "bounces-test-only",
            ["Mailboxes:0:PollInterval"] = "00:05:00",
        }).Build();
        var options = new MailboxesOptions();

        configuration.GetSection(MailboxesOptions.SectionName).Bind(options.Mailboxes);

        var mailbox = Assert.Single(options.Mailboxes);
        Assert.Equal((MailboxKind.Pop3, 1110, MailboxTlsMode.None, "INBOX", "Processed", TimeSpan.FromMinutes(5)),
            (mailbox.Kind, mailbox.Port, mailbox.TlsMode, mailbox.Folder, mailbox.ProcessedFolder, mailbox.PollInterval));
        Assert.Same(mailbox, options.Find("bounces"));
    }

    [Fact]
    public void Register_ShouldSchedulePollPerMailbox_WhenMailboxesAreConfigured()
    {
        var jobs = new RecordingJobManager();
        var every5 = Imap("isp");
        every5.PollInterval = TimeSpan.FromMinutes(5);

        RecurringJobs.Register(jobs, [Imap("bounces"), every5]);

        var polls = jobs.Added.Where(a => a.Job.Type == typeof(PollMailboxJob)).ToList();
        Assert.Equal(
            [("poll-mailbox:bounces", "bounces", "* * * * *"), ("poll-mailbox:isp", "isp", "*/5 * * * *")],
            polls.Select(p => (p.Id, (string)p.Job.Args[0], p.Cron)).ToList());
        Assert.Contains(jobs.Added, a => a.Id == JobIds.PurgeRawContent);
    }

    [Fact]
    public void RunAsync_ShouldLeaveRetriesToTheBackoffAndLocksToTheLease_WhenHangfireRunsIt()
    {
        var method = typeof(PollMailboxJob).GetMethod(nameof(PollMailboxJob.RunAsync))!;

        // Hangfire's own retries would run around the backoff (a failed poll waits on the watermark's NextPollAt), and
        // its distributed lock is per process on the in-memory storage: the database lease does both jobs.
        // Read as data: the attributes' constructors ask Hangfire's static log provider for a logger, which an app host
        // disposed by another test may have left behind.
        var attributes = method.GetCustomAttributesData();
        var retry = Assert.Single(attributes, a => a.AttributeType == typeof(AutomaticRetryAttribute));
        Assert.Equal(0, retry.NamedArguments.Single(a => a.MemberName == nameof(AutomaticRetryAttribute.Attempts)).TypedValue.Value);
        Assert.DoesNotContain(attributes, a => a.AttributeType == typeof(DisableConcurrentExecutionAttribute));
    }

    [Fact]
    public void RetryCap_ShouldBeAtLeastThePollInterval_WhenMaxRetryDelayIsShorter()
    {
        var mailbox = new MailboxOptions { PollInterval = TimeSpan.FromHours(6), MaxRetryDelay = TimeSpan.FromMinutes(30) };

        Assert.Equal(TimeSpan.FromHours(6), mailbox.RetryCap);
    }

    private sealed class RecordingJobManager : IRecurringJobManager
    {
        public List<(string Id, Job Job, string Cron)> Added { get; } = [];

        public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options) =>
            Added.Add((recurringJobId, job, cronExpression));

        public void Trigger(string recurringJobId) => throw new NotSupportedException();

        public void RemoveIfExists(string recurringJobId) => throw new NotSupportedException();
    }
}
