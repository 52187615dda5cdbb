using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Jobs;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

/// <summary>The <c>Sending</c> section checked when the whole app starts, and the recurring dispatch job it schedules.</summary>
public sealed class SendingStartupTests
{
    [Fact]
    public async Task StartAsync_ShouldRefuseToStartNamingTheKey_WhenARelayIsConfiguredWithoutABounceDomain()
    {
        await using var app = ConfiguredBounceDashboardApp.Production(
            ("Sending:PublicBaseUrl", "https://mail.example.com/"),
            ("Sending:Relays:0:Name", "primary"),
            ("Sending:Relays:0:Host", "127.0.0.1"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Sending:BounceDomain is required when relays are configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ShouldRefuseToStartNamingTheKey_WhenATlsModeIsUnknown()
    {
        await using var app = ConfiguredBounceDashboardApp.Production(
            ("Sending:BounceDomain", "bounces.example.com"),
            ("Sending:PublicBaseUrl", "https://mail.example.com/"),
            ("Sending:Relays:0:Name", "primary"),
            ("Sending:Relays:0:Host", "127.0.0.1"),
            ("Sending:Relays:0:TlsMode", "Starttls-please"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.Contains("Sending:Relays:0:TlsMode", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ShouldStartAbleToSend_WhenTheSendingSectionIsComplete()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production(
            ("Sending:BounceDomain", "bounces.example.com"),
            ("Sending:PublicBaseUrl", "https://mail.example.com/"),
            ("Sending:Relays:0:Name", "primary"),
            ("Sending:Relays:0:Host", "smtp.example.com"),
            ("Sending:Relays:0:UserName", "sender"),
            ("Sending:Relays:0:Password", "secret")).StartAsync();

        var sending = app.Services.GetRequiredService<IOptions<BounceDashboard.Web.Options.SendingOptions>>().Value;

        Assert.True(sending.CanSend);
        Assert.Equal(("primary", 587), (Assert.Single(sending.Relays).Name, sending.Relays[0].EffectivePort));
    }

    [Fact]
    public async Task StartAsync_ShouldScheduleTheDispatchEveryMinute_WhenTheAppStarts()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();

        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var dispatch = Assert.Single(connection.GetRecurringJobs(), j => j.Id == JobIds.DispatchDeliveries);

        Assert.Equal(("* * * * *", typeof(DispatchDeliveriesJob), nameof(DispatchDeliveriesJob.RunAsync)), (dispatch.Cron, dispatch.Job.Type, dispatch.Job.Method.Name));
        Assert.Equal(TimeZoneInfo.Utc.Id, dispatch.TimeZoneId);
        Assert.NotNull(app.Services.GetRequiredService<DispatchDeliveriesJob>());
    }

    [Fact]
    public void Register_ShouldScheduleTheDispatchEveryMinuteInUtc_WhenCalled()
    {
        var jobs = new RecordingJobManager();

        RecurringJobs.Register(jobs);

        var (id, job, cron, options) = Assert.Single(jobs.Added, j => j.Id == JobIds.DispatchDeliveries);
        Assert.Equal(("dispatch-deliveries", typeof(DispatchDeliveriesJob), nameof(DispatchDeliveriesJob.RunAsync)), (id, job.Type, job.Method.Name));
        Assert.Equal("* * * * *", cron);
        Assert.Equal(TimeZoneInfo.Utc, options.TimeZone);
    }

    /// <summary>Hangfire's recurring-job interface, recording what was scheduled (Hangfire's "Writing unit tests" advice).</summary>
    private sealed class RecordingJobManager : IRecurringJobManager
    {
        public List<(string Id, Job Job, string Cron, RecurringJobOptions Options)> Added { get; } = [];

        public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options) =>
            Added.Add((recurringJobId, job, cronExpression, options));

        public void Trigger(string recurringJobId) => throw new NotSupportedException();

        public void RemoveIfExists(string recurringJobId) => throw new NotSupportedException();
    }
}
