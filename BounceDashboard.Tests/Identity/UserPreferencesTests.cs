using System.Security.Claims;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Identity;

/// <summary>The dark-mode preference, stored per user as an Identity claim, on a real SQLite database.</summary>
public sealed class UserPreferencesTests : IAsyncLifetime
{
    private SqliteDatabase _database = default!;
    private ServiceProvider _services = default!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection();
        services.AddScoped(_ => _database.CreateContext());
        services.AddIdentityCore<ApplicationUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BounceDbContext>();
        services.AddSingleton<UserPreferences>();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task GetDarkModeAsync_ShouldBeNull_WhenTheUserNeverChose()
    {
        var principal = await CreateUserAsync("a@test.local");

        Assert.Null(await _services.GetRequiredService<UserPreferences>().GetDarkModeAsync(principal));
    }

    [Fact]
    public async Task SetDarkModeAsync_ShouldBeRememberedPerUser_WhenTwoUsersChooseDifferently()
    {
        var preferences = _services.GetRequiredService<UserPreferences>();
        var alice = await CreateUserAsync("alice@test.local");
        var bob = await CreateUserAsync("bob@test.local");

        await preferences.SetDarkModeAsync(alice, true);
        await preferences.SetDarkModeAsync(bob, false);
        await preferences.SetDarkModeAsync(alice, true);

        Assert.True(await preferences.GetDarkModeAsync(alice));
        Assert.False(await preferences.GetDarkModeAsync(bob));

        await preferences.SetDarkModeAsync(alice, false);
        Assert.False(await preferences.GetDarkModeAsync(alice));
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var claims = await users.GetClaimsAsync((await users.FindByEmailAsync("alice@test.local"))!);
        Assert.Single(claims, c => c.Type == UserPreferences.DarkModeClaim);
    }

    [Fact]
    public async Task SetDarkModeAsync_ShouldChangeNothing_WhenThePrincipalIsNotAStoredUser()
    {
        var stranger = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "no-such-id")], "test"));
        var preferences = _services.GetRequiredService<UserPreferences>();

        await preferences.SetDarkModeAsync(stranger, true);

        Assert.Null(await preferences.GetDarkModeAsync(stranger));
    }

    private async Task<ClaimsPrincipal> CreateUserAsync(string email)
    {
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "test"));
    }
}
