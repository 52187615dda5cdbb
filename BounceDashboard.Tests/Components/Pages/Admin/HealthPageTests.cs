using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Components.Pages.Admin;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Queries;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Admin;

public sealed class HealthPageTests : MudTestContext
{
    private readonly FakeHealthQueries _queries = new();
    private readonly FakeTimeProvider _time = new(FakeHealthQueries.CheckedAt);
    private readonly BunitAuthorizationContext _authorization;

    public HealthPageTests()
    {
        Services.AddSingleton<IHealthQueries>(_queries);
        Services.AddSingleton<ISettingsQueries>(new FakeSettingsQueries());
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new JobsOptions { DashboardPath = "/hangfire" }));
        _authorization = AddAuthorization();
        _authorization.SetAuthorized(BounceDashboardApp.AdminEmail).SetRoles(Roles.Admin);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private static MailboxHealth Mailbox(string name, MailboxHealthState state, string? error = null) => new(
        name, MailboxKind.Imap, state,
        state == MailboxHealthState.NotPolledYet ? null : FakeHealthQueries.CheckedAt.AddMinutes(-10),
        error is null ? null : FakeHealthQueries.CheckedAt.AddMinutes(-1),
        error, error is null ? 0 : 3, error is null ? null : FakeHealthQueries.CheckedAt.AddMinutes(4),
        12, 4_321, error is null ? 0 : 17, null, null);

    [Fact]
    public void Render_ShouldShowTheLoadingIndicator_WhileTheFiguresAreRead()
    {
        _queries.Pending = new TaskCompletionSource();

        var page = Render<Health>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#health-loading")));
        Assert.Empty(page.FindAll("#health-database"));
    }

    [Fact]
    public void Render_ShouldListEachMailboxWithItsStateBacklogAndErrorAsText_WhenMailboxesAreConfigured()
    {
        _queries.Snapshot = FakeHealthQueries.Empty() with
        {
            Mailboxes =
            [
                Mailbox("bounces", MailboxHealthState.Failing, "AuthenticationException: <b>login</b> refused"),
                Mailbox("fbl", MailboxHealthState.Healthy),
            ],
        };

        var page = Render<Health>();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("#health-mailboxes tr.health-mailbox");
            Assert.Equal(2, rows.Count);
            Assert.Equal("Failing", rows[0].QuerySelector(".mailbox-state")!.GetAttribute("data-state"));
            Assert.Equal("AuthenticationException: <b>login</b> refused", rows[0].QuerySelector(".mailbox-error")!.TextContent);
            Assert.Empty(rows[0].QuerySelectorAll(".mailbox-error b"));
            Assert.Contains("3 in a row", rows[0].TextContent, StringComparison.Ordinal);
            Assert.Equal("17", rows[0].QuerySelector(".mailbox-backlog")!.TextContent.Trim());
            Assert.Contains("4,321", rows[0].TextContent, StringComparison.Ordinal);
            Assert.Equal("Healthy", rows[1].QuerySelector(".mailbox-state")!.GetAttribute("data-state"));
        });
    }

    [Fact]
    public void Render_ShouldSayHowToAddAMailbox_WhenNoneIsConfigured()
    {
        var page = Render<Health>();

        page.WaitForAssertion(() => Assert.Contains("Mailboxes", page.Find("#health-mailboxes-empty").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#health-mailboxes"));
    }

    [Fact]
    public void Render_ShouldShowTheJobsQueuesSendingFiguresAndDatabase_WhenTheStorageAnswers()
    {
        _queries.Snapshot = FakeHealthQueries.Empty() with
        {
            Jobs = new JobsHealth(2, 3, 1, 1, 4, 900, [new JobQueueHealth("default", 3, 0)],
            [
                new JobHealth(JobIds.DispatchDeliveries, "* * * * *", JobRunState.Succeeded, FakeHealthQueries.CheckedAt.AddMinutes(-1),
                    FakeHealthQueries.CheckedAt.AddMinutes(1), FakeHealthQueries.CheckedAt.AddMinutes(-1), null, null, 1_250, "1,200 accepted, 50 refused, 0 not sent"),
                new JobHealth(JobIds.PollMailbox("bounces"), "* * * * *", JobRunState.Failed, FakeHealthQueries.CheckedAt.AddMinutes(-1),
                    FakeHealthQueries.CheckedAt.AddMinutes(1), null, FakeHealthQueries.CheckedAt.AddMinutes(-1), "IOException: connection reset", null, null),
            ]),
            SendQueue = new SendQueueHealth(12_345, 678, FakeHealthQueries.CheckedAt.AddHours(-1), 40, 2, 1, 3),
            Database = new DatabaseHealth(DatabaseProvider.Sqlite, 5_874_847_744),
        };

        var page = Render<Health>();

        page.WaitForAssertion(() =>
        {
            var jobs = page.FindAll("#health-jobs tr.health-job");
            Assert.Equal(2, jobs.Count);
            Assert.Contains("Send and retry due deliveries", jobs[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("1,250", jobs[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("Poll mailbox bounces", jobs[1].TextContent, StringComparison.Ordinal);
            Assert.Equal("Failed", jobs[1].QuerySelector(".job-state")!.GetAttribute("data-state"));
            Assert.Equal("IOException: connection reset", jobs[1].QuerySelector(".job-error")!.TextContent);
            Assert.Contains("queue default: 3", page.Find("#health-job-counts").TextContent, StringComparison.Ordinal);
            Assert.Equal("12,345", page.Find("#health-waiting .health-figure").TextContent.Trim());
            Assert.Equal("678", page.Find("#health-due-now .health-figure").TextContent.Trim());
            Assert.Equal("40", page.Find("#health-sending .health-figure").TextContent.Trim());
            Assert.Equal("Sqlite", page.Find("#health-database-provider").TextContent);
            Assert.Equal("5.5 GB", page.Find("#health-database-size").TextContent);
            Assert.Equal("2026.12.07.1", page.Find("#health-version-engine").TextContent);
            Assert.Equal("/hangfire", page.Find("#health-hangfire").GetAttribute("href"));
        });
        Assert.Empty(page.FindAll("#health-no-servers"));
    }

    [Fact]
    public void Render_ShouldWarnThatNothingRuns_WhenNoJobServerIsRunning()
    {
        _queries.Snapshot = FakeHealthQueries.Empty() with { Jobs = new JobsHealth(0, 5, 0, 0, 0, 0, [], []) };

        var page = Render<Health>();

        page.WaitForAssertion(() => Assert.Contains("No job server", page.Find("#health-no-servers").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ShouldShowTheJobStoragesError_WhenOnlyTheJobsCannotBeRead()
    {
        _queries.Snapshot = FakeHealthQueries.Empty() with { Jobs = null, JobsError = "The job storage could not be read: timeout" };

        var page = Render<Health>();

        page.WaitForAssertion(() => Assert.Equal("The job storage could not be read: timeout", page.Find("#health-jobs-error").TextContent.Trim()));
        Assert.NotNull(page.Find("#health-database"));
    }

    [Fact]
    public void Render_ShouldShowAClearErrorWithoutTheException_WhenTheReadFails()
    {
        _queries.Failure = new InvalidOperationException("SQLite Error 1: no such table: Deliveries");

        var page = Render<Health>();

        page.WaitForAssertion(() =>
        {
            var error = page.Find("#health-error").TextContent;
            Assert.Contains("could not be read", error, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", error, StringComparison.Ordinal);
        });
        Assert.Empty(page.FindAll("#health-loading"));
    }

    [Fact]
    public void Render_ShouldReadTheFiguresAgain_WhenThirtySecondsPass()
    {
        var page = Render<Health>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#health-database")));
        var before = _queries.Calls;
        _queries.Snapshot = FakeHealthQueries.Empty() with { SendQueue = new SendQueueHealth(99, 9, null, 0, 1, 0, 0) };

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(before, _queries.Calls);
        _time.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("99", page.Find("#health-waiting .health-figure").TextContent.Trim()));
        Assert.Equal(before + 1, _queries.Calls);
    }

    [Fact]
    public void Render_ShouldKeepTheLastFiguresAndSaySo_WhenARefreshFails()
    {
        _queries.Snapshot = FakeHealthQueries.Empty() with { SendQueue = new SendQueueHealth(5, 0, null, 0, 0, 0, 0) };
        var page = Render<Health>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#health-database")));

        _queries.Failure = new TimeoutException("database busy");
        page.Find("#health-refresh").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("last successful read", page.Find("#health-error").TextContent, StringComparison.Ordinal);
            Assert.Equal("5", page.Find("#health-waiting .health-figure").TextContent.Trim());
        });
    }

    [Fact]
    public void Pages_ShouldBeForAdminsOnly()
    {
        foreach (var page in new[] { typeof(Health), typeof(Settings) })
        {
            var authorize = page.GetCustomAttributes(typeof(AuthorizeAttribute), inherit: true).Cast<AuthorizeAttribute>().ToList();
            Assert.Contains(authorize, a => a.Roles == Roles.Admin);
        }
    }

    [Theory]
    [InlineData(typeof(Health))]
    [InlineData(typeof(Settings))]
    public void Route_ShouldRefuseTheMarketer_WhenAMarketerOpensTheAdminPage(Type pageType)
    {
        _authorization.SetAuthorized(BounceDashboardApp.MarketerEmail).SetRoles(Roles.Marketer);

        var route = Render<AuthorizeRouteView>(p => p
            .Add(r => r.RouteData, new RouteData(pageType, new Dictionary<string, object?>()))
            .Add(r => r.NotAuthorized, (AuthenticationState _) => "<p id=\"refused\">refused</p>"));

        route.WaitForAssertion(() => Assert.NotNull(route.Find("#refused")));
        Assert.Empty(route.FindAll("#health-database"));
        Assert.Empty(route.FindAll("#settings-reasons"));
        Assert.Equal(0, _queries.Calls);
    }
}
