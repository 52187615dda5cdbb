using System.Security.Claims;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Identity;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Commands;

/// <summary>User administration on ASP.NET Core Identity over real SQLite with the real migrations.</summary>
public sealed class UserCommandsTests : IAsyncLifetime
{
    private const string Password = "Initial#2026a";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private SqliteDatabase _database = default!;
    private ServiceProvider _services = default!;
    private IUserCommands _commands = default!;
    private ClaimsPrincipal _admin = default!;
    private string _adminId = default!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddScoped(_ => _database.CreateContext());
        services.AddIdentityCore<ApplicationUser>(o => o.User.RequireUniqueEmail = true)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BounceDbContext>()
            .AddDefaultTokenProviders();
        services.AddSingleton<IUserCommands, UserCommands>();
        _services = services.BuildServiceProvider();
        await using (var scope = _services.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            await roles.CreateAsync(new IdentityRole(Roles.Admin));
            await roles.CreateAsync(new IdentityRole(Roles.Marketer));
        }

        _commands = _services.GetRequiredService<IUserCommands>();
        (_adminId, _admin) = await SeedUserAsync("boss@example.org", Roles.Admin);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task CreateAsync_ShouldCreateTheUserInTheRoleAndAudit_WhenAnAdminGivesAPassword()
    {
        var result = await _commands.CreateAsync(_admin, " New.Marketer@Example.org ", Roles.Marketer, Password);

        Assert.Equal(CommandStatus.Done, result.Status);
        Assert.Null(result.OneTimeLink);
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var created = await users.FindByEmailAsync("new.marketer@example.org");
        Assert.NotNull(created);
        Assert.True(await users.CheckPasswordAsync(created, Password));
        Assert.Equal([Roles.Marketer], await users.GetRolesAsync(created));
        var audit = await SingleAuditAsync(AuditAction.CreateUser);
        Assert.Equal(("boss@example.org", "new.marketer@example.org", _time.GetUtcNow()), (audit.Actor, audit.Target, audit.At));
        Assert.Contains("Role Marketer", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_ShouldReturnALinkThatWorksOnce_WhenNoPasswordIsGiven()
    {
        var result = await _commands.CreateAsync(_admin, "linked@example.org", Roles.Admin, null);

        Assert.Equal(CommandStatus.Done, result.Status);
        var (userId, code) = ParseLink(result.OneTimeLink);
        Assert.True(await _commands.IsResetLinkValidAsync(userId, code));
        var set = await _commands.SetPasswordWithLinkAsync(userId, code, "Chosen#2026b");
        var again = await _commands.SetPasswordWithLinkAsync(userId, code, "Other#2026c");

        Assert.Equal((CommandStatus.Done, CommandStatus.Invalid), (set.Status, again.Status));
        Assert.False(await _commands.IsResetLinkValidAsync(userId, code));
        Assert.Contains("already used", again.Message, StringComparison.Ordinal);
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByIdAsync(userId))!, "Chosen#2026b"));
        await SingleAuditAsync(AuditAction.ChangeOwnPassword);
    }

    [Theory]
    [InlineData("not an address", Roles.Marketer, Password)]
    [InlineData("boss@example.org", Roles.Marketer, Password)]
    [InlineData("new@example.org", "Owner", Password)]
    [InlineData("new@example.org", Roles.Marketer, "short")]
    public async Task CreateAsync_ShouldBeInvalidAndCreateNothing_WhenTheRequestBreaksARule(string email, string role, string password)
    {
        var result = await _commands.CreateAsync(_admin, email, role, password);

        Assert.Equal(CommandStatus.Invalid, result.Status);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        await using var db = _database.CreateContext();
        Assert.Equal(1, await db.Users.CountAsync());
        Assert.Empty(await db.AuditLogEntries.ToListAsync());
    }

    [Theory]
    [InlineData(Roles.Marketer)]
    [InlineData(null)]
    public async Task AdminCommands_ShouldBeForbiddenAndChangeNothing_WhenTheUserIsNotAnAdmin(string? role)
    {
        var (marketerId, _) = await SeedUserAsync("marketer@example.org", Roles.Marketer);
        var caller = role is null ? new ClaimsPrincipal(new ClaimsIdentity()) : Principal("someone@example.org", "id-1", role);

        var results = new[]
        {
            await _commands.CreateAsync(caller, "sneaky@example.org", Roles.Admin, Password),
            await _commands.ChangeRoleAsync(caller, marketerId, Roles.Admin),
            await _commands.DisableAsync(caller, _adminId),
            await _commands.EnableAsync(caller, marketerId),
            await _commands.ResetPasswordAsync(caller, _adminId),
        };

        Assert.All(results, r => Assert.Equal(CommandStatus.Forbidden, r.Status));
        Assert.All(results, r => Assert.Null(r.OneTimeLink));
        await using var db = _database.CreateContext();
        Assert.Equal(2, await db.Users.CountAsync());
        Assert.Empty(await db.AuditLogEntries.ToListAsync());
        Assert.Equal([Roles.Marketer], await RolesOfAsync(marketerId));
    }

    [Fact]
    public async Task ChangeRoleAsync_ShouldRefuse_WhenItWouldDemoteTheLastActiveAdmin()
    {
        var result = await _commands.ChangeRoleAsync(_admin, _adminId, Roles.Marketer);

        Assert.Equal(CommandStatus.Invalid, result.Status);
        Assert.Contains("last active Admin", result.Message, StringComparison.Ordinal);
        Assert.Equal([Roles.Admin], await RolesOfAsync(_adminId));
    }

    [Fact]
    public async Task ChangeRoleAsync_ShouldRefuse_WhenTheOnlyOtherAdminIsDisabled()
    {
        var (otherId, _) = await SeedUserAsync("other-admin@example.org", Roles.Admin);
        Assert.Equal(CommandStatus.Done, (await _commands.DisableAsync(_admin, otherId)).Status);

        var result = await _commands.ChangeRoleAsync(_admin, _adminId, Roles.Marketer);

        Assert.Equal(CommandStatus.Invalid, result.Status);
    }

    [Fact]
    public async Task ChangeRoleAsync_ShouldSwapTheRoleEndSessionsAndAudit_WhenAnotherAdminRemains()
    {
        var (otherId, other) = await SeedUserAsync("other-admin@example.org", Roles.Admin);
        var stampBefore = await StampOfAsync(otherId);

        var demoted = await _commands.ChangeRoleAsync(_admin, otherId, Roles.Marketer);
        var self = await _commands.ChangeRoleAsync(_admin, _adminId, Roles.Marketer);

        Assert.Equal(CommandStatus.Done, demoted.Status);
        Assert.Equal(CommandStatus.Invalid, self.Status);
        Assert.Equal([Roles.Marketer], await RolesOfAsync(otherId));
        Assert.NotEqual(stampBefore, await StampOfAsync(otherId));
        var audit = await SingleAuditAsync(AuditAction.ChangeUserRole);
        Assert.Equal(("other-admin@example.org", "Admin -> Marketer"), (audit.Target, audit.Details));
        Assert.False(await IsSessionValidAsync(other));
    }

    [Fact]
    public async Task DisableAsync_ShouldRefuse_WhenTheTargetIsTheLastActiveAdminOrOneself()
    {
        var (otherId, other) = await SeedUserAsync("other-admin@example.org", Roles.Admin);

        var self = await _commands.DisableAsync(_admin, _adminId);
        Assert.Equal(CommandStatus.Done, (await _commands.DisableAsync(_admin, otherId)).Status);
        var lastByOther = await _commands.DisableAsync(other, _adminId);

        Assert.Equal(CommandStatus.Invalid, self.Status);
        Assert.Contains("your own account", self.Message, StringComparison.Ordinal);
        Assert.Equal(CommandStatus.Invalid, lastByOther.Status);
        Assert.Contains("last active Admin", lastByOther.Message, StringComparison.Ordinal);
        Assert.Equal(UserStatus.Active, await StatusOfAsync(_adminId));
    }

    [Fact]
    public async Task DisableAsync_ShouldStopSignInAndEndOpenSessions_WhenAnAdminDisablesAUser()
    {
        var (marketerId, marketer) = await SeedUserAsync("marketer@example.org", Roles.Marketer);
        Assert.True(await IsSessionValidAsync(marketer));

        var disabled = await _commands.DisableAsync(_admin, marketerId);

        Assert.Equal(CommandStatus.Done, disabled.Status);
        Assert.Equal(UserStatus.Disabled, await StatusOfAsync(marketerId));
        Assert.False(await IsSessionValidAsync(marketer));
        await using (var scope = _services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(marketerId))!), "Identity refuses the sign-in of a locked-out user");
        }

        var enabled = await _commands.EnableAsync(_admin, marketerId);

        Assert.Equal(CommandStatus.Done, enabled.Status);
        Assert.Equal(UserStatus.Active, await StatusOfAsync(marketerId));
        await using var db = _database.CreateContext();
        Assert.Equal(
            [AuditAction.DisableUser, AuditAction.EnableUser],
            await db.AuditLogEntries.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task ResetPasswordAsync_ShouldIssueALinkThatReplacesEarlierOnes_WhenAnAdminResets()
    {
        var (marketerId, marketer) = await SeedUserAsync("marketer@example.org", Roles.Marketer);

        var first = await _commands.ResetPasswordAsync(_admin, marketerId);
        var second = await _commands.ResetPasswordAsync(_admin, marketerId);

        var (userId, firstCode) = ParseLink(first.OneTimeLink);
        var (_, secondCode) = ParseLink(second.OneTimeLink);
        Assert.Equal(marketerId, userId);
        Assert.False(await _commands.IsResetLinkValidAsync(userId, firstCode));
        Assert.True(await _commands.IsResetLinkValidAsync(userId, secondCode));
        Assert.False(await IsSessionValidAsync(marketer));
        Assert.Equal(CommandStatus.Done, (await _commands.SetPasswordWithLinkAsync(userId, secondCode, "Reset#2026d")).Status);
        await using var db = _database.CreateContext();
        Assert.Equal(2, await db.AuditLogEntries.CountAsync(a => a.Action == AuditAction.ResetUserPassword));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("no-such-user", "bm90IGEgdG9rZW4")]
    public async Task SetPasswordWithLinkAsync_ShouldBeInvalid_WhenTheLinkIsMadeUp(string userId, string code)
    {
        var result = await _commands.SetPasswordWithLinkAsync(userId, code, "Chosen#2026b");

        Assert.Equal(CommandStatus.Invalid, result.Status);
        Assert.False(await _commands.IsResetLinkValidAsync(userId, code));
    }

    [Fact]
    public async Task ChangeOwnPasswordAsync_ShouldChangeAndAudit_WhenTheCurrentPasswordIsRight()
    {
        var (marketerId, marketer) = await SeedUserAsync("marketer@example.org", Roles.Marketer);

        var wrong = await _commands.ChangeOwnPasswordAsync(marketer, "Wrong#2026x", "Better#2026e");
        var weak = await _commands.ChangeOwnPasswordAsync(marketer, Password, "weak");
        var right = await _commands.ChangeOwnPasswordAsync(marketer, Password, "Better#2026e");

        Assert.Equal((CommandStatus.Invalid, CommandStatus.Invalid, CommandStatus.Done), (wrong.Status, weak.Status, right.Status));
        Assert.Equal("The current password is not correct.", wrong.Message);
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByIdAsync(marketerId))!, "Better#2026e"));
        var audit = await SingleAuditAsync(AuditAction.ChangeOwnPassword);
        Assert.Equal(("marketer@example.org", "marketer@example.org"), (audit.Actor, audit.Target));
    }

    [Fact]
    public async Task ChangeOwnPasswordAsync_ShouldBeForbidden_WhenNobodyIsSignedIn()
    {
        var result = await _commands.ChangeOwnPasswordAsync(new ClaimsPrincipal(new ClaimsIdentity()), Password, "Better#2026e");

        Assert.Equal(CommandStatus.Forbidden, result.Status);
    }

    private static ClaimsPrincipal Principal(string name, string id, string role, string? stamp = null) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, name),
                new Claim(ClaimTypes.NameIdentifier, id),
                new Claim(ClaimTypes.Role, role),
                .. stamp is null ? Array.Empty<Claim>() : [new Claim("AspNet.Identity.SecurityStamp", stamp)],
            ],
            authenticationType: "Test"));

    private static (string UserId, string Code) ParseLink(string? link)
    {
        Assert.NotNull(link);
        Assert.StartsWith(AccountPaths.ResetPassword + "?", link, StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://localhost" + link).Query);
        return (query["userId"].ToString(), query["code"].ToString());
    }

    /// <summary>A stored user with the password <see cref="Password"/>, and the principal their sign-in cookie would carry.</summary>
    private async Task<(string Id, ClaimsPrincipal Principal)> SeedUserAsync(string email, string role)
    {
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return (user.Id, Principal(email, user.Id, role, await users.GetSecurityStampAsync(user)));
    }

    /// <summary>What the circuit's revalidation decides for a session that signed in with <paramref name="principal"/>.</summary>
    private async Task<bool> IsSessionValidAsync(ClaimsPrincipal principal)
    {
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var provider = new IdentityRevalidatingAuthenticationStateProvider(
            NullLoggerFactory.Instance, _services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new IdentityOptions()));
        return await provider.ValidateSecurityStampAsync(users, principal);
    }

    private async Task<string?> StampOfAsync(string userId)
    {
        await using var db = _database.CreateContext();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync();
    }

    private async Task<UserStatus> StatusOfAsync(string userId)
    {
        var page = await new UserQueries(_database.Factory, _time).ListAsync(null, new PageRequest(0, 50));
        return page.Items.Single(u => u.Id == userId).Status;
    }

    private async Task<IList<string>> RolesOfAsync(string userId)
    {
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.GetRolesAsync((await users.FindByIdAsync(userId))!);
    }

    private async Task<AuditLogEntry> SingleAuditAsync(AuditAction action)
    {
        await using var db = _database.CreateContext();
        return await db.AuditLogEntries.SingleAsync(a => a.Action == action);
    }
}
