using System.Reflection;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Components.Pages.Admin;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Admin;

public sealed class UsersTests : MudTestContext
{
    private readonly FakeUserQueries _queries = new();
    private readonly FakeUserCommands _commands = new();
    private IRenderedComponent<MudDialogProvider> _dialogs = default!;

    public UsersTests()
    {
        Services.AddSingleton<IUserQueries>(_queries);
        Services.AddSingleton<IUserCommands>(_commands);
        AddAuthorization().SetAuthorized(BounceDashboardApp.AdminEmail).SetRoles(Roles.Admin)
            .SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "u-admin"));
    }

    private IRenderedComponent<Users> RenderPage()
    {
        _dialogs = Render<MudDialogProvider>();
        return Render<Users>();
    }

    [Fact]
    public void Page_ShouldBeForAdminsOnly_WhenRouted()
    {
        Assert.Contains(typeof(Users).GetCustomAttributes<AuthorizeAttribute>(), a => a.Roles == Roles.Admin);
    }

    [Fact]
    public void Render_ShouldListUsersWithRoleAndStatus_WhenTheQueryReturnsUsers()
    {
        _queries.Users.Add(new UserRow("u-admin", "admin@example.org", Roles.Admin, UserStatus.Active, null));
        _queries.Users.Add(new UserRow("u-2", "gone@example.org", Roles.Marketer, UserStatus.Disabled, null));

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("#users-grid tbody tr.user-row");
            Assert.Equal(2, rows.Count);
            Assert.Contains("(you)", rows[0].QuerySelector(".user-email")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("Admin", rows[0].QuerySelector(".user-role")!.TextContent.Trim());
            Assert.Equal("Disabled", rows[1].QuerySelector(".user-status")!.TextContent.Trim());
            Assert.Null(rows[1].QuerySelector(".user-you"));
        });
    }

    [Fact]
    public void Render_ShouldShowTheLoadingText_WhileTheQueryRuns()
    {
        _queries.Pending = new TaskCompletionSource();

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#users-loading")));
    }

    [Fact]
    public void Render_ShouldSayWhatToDoNext_WhenThereAreNoUsers()
    {
        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("New user", page.Find("#users-empty").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ShouldShowAClearErrorWithoutTheException_WhenTheQueryFails()
    {
        _queries.Failure = new InvalidOperationException("SQLite Error 1: no such table: AspNetUsers");

        var page = RenderPage();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("could not be loaded", page.Find("#users-error").TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", page.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Create_ShouldRunTheCommandAsTheAdminAndShowTheLinkOnce_WhenNoPasswordIsChosen()
    {
        var page = RenderPage();

        page.Find("#new-user").Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find(".create-user-dialog")));
        _dialogs.Find("#new-user-email").Input("new@example.org");
        _dialogs.Find("#new-user-save").Click();

        _dialogs.WaitForAssertion(() =>
        {
            var created = Assert.Single(_commands.Created);
            Assert.Equal(("new@example.org", Roles.Marketer, (string?)null), (created.Email, created.Role, created.Password));
            Assert.Equal(BounceDashboardApp.AdminEmail, created.User.Identity!.Name);
            Assert.Equal("http://localhost/Account/ResetPassword?userId=u-9&code=abc", _dialogs.Find("#one-time-link").GetAttribute("value"));
        });
    }

    [Fact]
    public void Create_ShouldKeepTheDialogOpenWithTheReason_WhenTheCommandRefuses()
    {
        _commands.CreateResult = new UserCommandResult(CommandStatus.Invalid, "A user with the address new@example.org already exists.");
        var page = RenderPage();

        page.Find("#new-user").Click();
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find(".create-user-dialog")));
        _dialogs.Find("#new-user-email").Input("new@example.org");
        _dialogs.Find("#new-user-save").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("already exists", _dialogs.Find("#new-user-error").TextContent, StringComparison.Ordinal));
    }
}
