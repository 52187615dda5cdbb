using System.Reflection;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Components.Pages.Admin;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Admin;

/// <summary>The API keys page over the real commands and queries on SQLite.</summary>
public sealed class ApiKeysPageTests : MudTestContext
{
    private readonly FakeTimeProvider _time = new(TestData.Now);

    private async Task<SqliteDatabase> UseDatabaseAsync(string role)
    {
        var database = await SqliteDatabase.CreateAsync();
        var runner = new DbCommandRunner(database.Factory, NullLogger<DbCommandRunner>.Instance);
        Services.AddSingleton<IApiKeyCommands>(new ApiKeyCommands(runner, _time, NullLogger<ApiKeyCommands>.Instance));
        Services.AddSingleton<IApiKeyQueries>(new ApiKeyQueries(database.Factory));
        AddAuthorization().SetAuthorized(role == Roles.Admin ? BounceDashboardApp.AdminEmail : BounceDashboardApp.MarketerEmail).SetRoles(role);
        return database;
    }

    [Fact]
    public void Page_ShouldBeForAdminsOnly_WhenRouted()
    {
        Assert.Contains(typeof(ApiKeys).GetCustomAttributes<AuthorizeAttribute>(), a => a.Roles == Roles.Admin);
    }

    [Fact]
    public async Task Create_ShouldShowTheKeyOnceAndListItWithoutIt_WhenAnAdminCreatesOne()
    {
        await using var database = await UseDatabaseAsync(Roles.Admin);
        var page = Render<ApiKeys>();
        page.WaitForAssertion(() => page.Find("#api-keys-empty"));

        page.Find("#api-key-name").Input("crm-sync");
        await page.Find("#api-key-create").ClickAsync(new());

        string secret = "";
        page.WaitForAssertion(() =>
        {
            secret = page.Find("#api-key-secret").GetAttribute("value")!;
            Assert.StartsWith(ApiKey.SecretPrefix, secret, StringComparison.Ordinal);
            var row = Assert.Single(page.FindAll("tr.api-key-row"));
            Assert.Equal(("crm-sync", Roles.Marketer), (row.QuerySelector(".api-key-name")!.TextContent, row.QuerySelector(".api-key-role")!.TextContent));
            Assert.Contains("never", row.QuerySelector(".api-key-last-used")!.TextContent, StringComparison.Ordinal);
        });
        await using var db = database.CreateContext();
        var stored = await db.ApiKeys.SingleAsync();
        Assert.Equal((ApiKey.HashOf(secret), BounceDashboardApp.AdminEmail), (stored.KeyHash, stored.CreatedBy));
        Assert.Equal(AuditAction.ManageApiKey, (await db.AuditLogEntries.SingleAsync()).Action);

        // Shown once: a new render of the page (a reload) lists the key but not its secret.
        var reloaded = Render<ApiKeys>();
        reloaded.WaitForAssertion(() => Assert.Single(reloaded.FindAll("tr.api-key-row")));
        Assert.Empty(reloaded.FindAll("#api-key-secret"));
        Assert.DoesNotContain(secret, reloaded.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ShouldSayWhy_WhenTheNameIsTaken()
    {
        await using var database = await UseDatabaseAsync(Roles.Admin);
        var page = Render<ApiKeys>();
        page.WaitForAssertion(() => page.Find("#api-keys-empty"));
        page.Find("#api-key-name").Input("twice");
        await page.Find("#api-key-create").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.api-key-row")));

        page.Find("#api-key-name").Input("twice");
        await page.Find("#api-key-create").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("exists already", page.Find("#api-keys-error").TextContent, StringComparison.Ordinal));
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.ApiKeys.CountAsync());
    }

    [Fact]
    public async Task Revoke_ShouldRevokeOnlyAfterConfirmation_WhenAnAdminConfirms()
    {
        await using var database = await UseDatabaseAsync(Roles.Admin);
        var commands = Services.GetRequiredService<IApiKeyCommands>();
        await ((ApiKeyCommands)commands).CreateAsync("tests", "old-key", Roles.Marketer);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ApiKeys>();
        page.WaitForAssertion(() => page.Find("button.api-key-revoke"));

        var cancel = page.Find("button.api-key-revoke").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Revoke the key 'old-key'?", dialogs.Markup, StringComparison.Ordinal));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new());
        await cancel;
        await using (var db = database.CreateContext())
        {
            Assert.False((await db.ApiKeys.SingleAsync()).IsRevoked);
        }

        var revoke = page.Find("button.api-key-revoke").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Revoke the key 'old-key'?", dialogs.Markup, StringComparison.Ordinal));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").ClickAsync(new());
        await revoke;

        page.WaitForAssertion(() =>
        {
            Assert.Contains("Revoked", page.Find("td.api-key-status").TextContent, StringComparison.Ordinal);
            Assert.Empty(page.FindAll("button.api-key-revoke"));
        });
        await using var after = database.CreateContext();
        var key = await after.ApiKeys.SingleAsync();
        Assert.Equal((true, BounceDashboardApp.AdminEmail), (key.IsRevoked, key.RevokedBy));
    }

    [Fact]
    public async Task Render_ShouldShowNoKeysNorForm_WhenTheUserIsAMarketer()
    {
        await using var database = await UseDatabaseAsync(Roles.Marketer);
        await new ApiKeyCommands(new DbCommandRunner(database.Factory, NullLogger<DbCommandRunner>.Instance), _time, NullLogger<ApiKeyCommands>.Instance)
            .CreateAsync("tests", "hidden-key", Roles.Admin);

        var page = Render<ApiKeys>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#api-keys-admins-only")));
        Assert.Empty(page.FindAll("#api-key-create"));
        Assert.DoesNotContain("hidden-key", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_ShouldRefuse_WhenTheUserIsAMarketer()
    {
        await using var database = await UseDatabaseAsync(Roles.Marketer);
        var commands = Services.GetRequiredService<IApiKeyCommands>();
        var marketer = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.Name, BounceDashboardApp.MarketerEmail), new(System.Security.Claims.ClaimTypes.Role, Roles.Marketer)], "test"));

        var created = await commands.CreateAsync(marketer, "sneaky", Roles.Admin);
        var revoked = await commands.RevokeAsync(marketer, 1);

        Assert.Equal((CommandStatus.Forbidden, CommandStatus.Forbidden), (created.Result.Status, revoked.Status));
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.ApiKeys.CountAsync());
    }
}
