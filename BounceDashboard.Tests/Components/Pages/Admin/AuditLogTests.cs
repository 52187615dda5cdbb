using System.Reflection;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Components.Pages.Admin;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Admin;

public sealed class AuditLogTests : MudTestContext
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private readonly FakeAuditLogQueries _queries = new();

    public AuditLogTests()
    {
        Services.AddSingleton<IAuditLogQueries>(_queries);
        AddAuthorization().SetAuthorized(BounceDashboardApp.AdminEmail).SetRoles(Roles.Admin);
    }

    [Fact]
    public void Page_ShouldBeForAdminsOnly_WhenRouted()
    {
        Assert.Contains(typeof(AuditLog).GetCustomAttributes<AuthorizeAttribute>(), a => a.Roles == Roles.Admin);
    }

    [Fact]
    public void Render_ShouldShowEachEntryWithItsLabelAndLinkAddressesToContacts_WhenTheQueryReturnsEntries()
    {
        _queries.Rows.Add(new AuditLogRow(2, At, "admin@example.org", AuditAction.ReactivateAddress, "jane@example.com", "Mailbox recreated", "Error -> Active"));
        _queries.Rows.Add(new AuditLogRow(1, At, "system", AuditAction.PauseCampaign, "<b>Campaign 7</b>", null, null));

        var page = Render<AuditLog>();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("#audit-grid tbody tr.audit-row");
            Assert.Equal(2, rows.Count);
            Assert.Equal("Reactivated address", rows[0].QuerySelector(".audit-action")!.TextContent.Trim());
            Assert.Equal("/contacts?search=jane%40example.com", rows[0].QuerySelector("a.audit-target-link")!.GetAttribute("href"));
            Assert.Contains("Mailbox recreated", rows[0].QuerySelector(".audit-reason")!.TextContent, StringComparison.Ordinal);
            Assert.NotNull(rows[0].QuerySelector(".audit-time time[datetime='2026-03-02T09:30:00.0000000+00:00']"));
            // Text is text: a target that looks like markup is shown, not rendered.
            Assert.Null(rows[1].QuerySelector(".audit-target b"));
            Assert.Contains("<b>Campaign 7</b>", rows[1].QuerySelector(".audit-target")!.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ShouldShowTheLoadingText_WhileTheQueryRuns()
    {
        _queries.Pending = new TaskCompletionSource();

        var page = Render<AuditLog>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#audit-loading")));
    }

    [Fact]
    public void Render_ShouldSayWhatHappensNext_WhenTheLogIsEmpty()
    {
        var page = Render<AuditLog>();

        page.WaitForAssertion(() => Assert.Contains("Nothing has been audited yet", page.Find("#audit-empty").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ShouldSayToClearFiltersAndFilterTheQueryAndDownload_WhenTheUrlCarriesFilters()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/admin/audit?action=DisableUser&target=jane%40&from=2026-03-01&to=2026-03-31");

        var page = Render<AuditLog>();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("No entry matches these filters", page.Find("#audit-empty").TextContent, StringComparison.Ordinal);
            var filter = _queries.Filters[^1];
            Assert.Equal((AuditAction.DisableUser, "jane@"), (filter.Action, filter.TargetPrefix));
            Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), filter.To);
            Assert.Equal(
                "/exports/audit.csv?action=DisableUser&target=jane%40&from=2026-03-01&to=2026-03-31&tz=UTC",
                page.Find("#audit-download").GetAttribute("href"));
            Assert.NotNull(page.Find("#audit-clear"));
        });
    }

    [Fact]
    public void Render_ShouldShowAClearErrorWithoutTheException_WhenTheQueryFails()
    {
        _queries.Failure = new InvalidOperationException("SQLite Error 1: no such table: AuditLogEntries");

        var page = Render<AuditLog>();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("could not be loaded", page.Find("#audit-error").TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", page.Markup, StringComparison.Ordinal);
        });
    }
}
