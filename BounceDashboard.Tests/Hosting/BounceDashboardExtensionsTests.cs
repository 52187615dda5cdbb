using System.Net;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

[Collection(BounceDashboardAppCollectionDefinition.Name)]
public sealed class BounceDashboardExtensionsTests(BounceDashboardApp app)
{
    [Fact]
    public async Task UseBounceDashboardAsync_ShouldMigrateTheSqliteFile_WhenTheAppStarts()
    {
        Assert.True(File.Exists(app.DatabasePath), $"expected the database file at {app.DatabasePath}");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BounceDbContext>();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task UseBounceDashboardAsync_ShouldAddTheDemoContacts_WhenDevelopmentStartsOnAnEmptyDatabase()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BounceDbContext>();

        // appsettings.Development.json turns the first-run demo data on (3,000 contacts); production leaves it off.
        Assert.InRange(await db.Contacts.CountAsync(), 3_000, int.MaxValue);
    }

    [Fact]
    public async Task UseBounceDashboardAsync_ShouldSeedBothRolesAndDemoUsers_WhenSeedingIsOn()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BounceDbContext>();

        var rolesByUser = await db.UserRoles
            .Join(db.Users, ur => ur.UserId, u => u.Id, (ur, u) => new { u.Email, ur.RoleId })
            .Join(db.Roles, x => x.RoleId, r => r.Id, (x, r) => new { x.Email, Role = r.Name })
            .ToListAsync();

        Assert.Contains(rolesByUser, x => x.Email == BounceDashboardApp.AdminEmail && x.Role == "Admin");
        Assert.Contains(rolesByUser, x => x.Email == BounceDashboardApp.MarketerEmail && x.Role == "Marketer");
        Assert.Equal(2, rolesByUser.Count);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/campaigns")]
    public async Task Get_ShouldRedirectToTheLoginPage_WhenAnonymous(string path)
    {
        using var client = app.CreateBrowserlessClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(AccountPaths.Login, response.Headers.Location!.AbsolutePath);
        Assert.Contains($"ReturnUrl={Uri.EscapeDataString(path)}", response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ShouldServeTheLoginPageAndItsStylesheet_WhenAnonymous()
    {
        using var client = app.CreateBrowserlessClient();

        using var login = await client.GetAsync(AccountPaths.Login);
        using var script = await client.GetAsync("/_framework/blazor.web.js");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("name=\"__RequestVerificationToken\"", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}
