using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Identity;
using BounceDashboard.Web.Options;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace BounceDashboard.Tests.Identity;

/// <summary>The demo users and roles on a real SQLite database with the app's migrations.</summary>
public sealed class DemoIdentitySeederTests : IAsyncLifetime
{
    private static readonly DemoOptions Demo = new()
    {
        AdminEmail = "admin@test.local",
        AdminPassword = "Admin#Test2026",
        MarketerEmail = "marketer@test.local",
        MarketerPassword = "Marketer#Test2026",
    };

    private SqliteDatabase _database = default!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task SeedAsync(DemoOptions demo)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection();
        services.AddScoped(_ => _database.CreateContext());
        services.AddIdentityCore<ApplicationUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BounceDbContext>()
            .AddDefaultTokenProviders();
        services.AddSingleton(MsOptions.Create(demo));
        services.AddScoped<DemoIdentitySeeder>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoIdentitySeeder>().SeedAsync();
    }

    private async Task<List<(string Email, string Role, string Stamp)>> ReadUsersAsync()
    {
        await using var db = _database.CreateContext();
        var rows = await db.UserRoles
            .Join(db.Users, ur => ur.UserId, u => u.Id, (ur, u) => new { u.Email, u.SecurityStamp, ur.RoleId })
            .Join(db.Roles, x => x.RoleId, r => r.Id, (x, r) => new { x.Email, Role = r.Name, x.SecurityStamp })
            .ToListAsync();
        return rows.Select(r => (r.Email!, r.Role!, r.SecurityStamp!)).OrderBy(r => r.Item1, StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task SeedAsync_ShouldCreateBothRolesAndOneUserInEach_WhenTheDatabaseIsEmpty()
    {
        await SeedAsync(Demo);

        var users = await ReadUsersAsync();
        Assert.Equal([(Demo.AdminEmail!, Roles.Admin), (Demo.MarketerEmail!, Roles.Marketer)], users.Select(u => (u.Email, u.Role)));
    }

    [Fact]
    public async Task SeedAsync_ShouldChangeNothing_WhenRunASecondTime()
    {
        await SeedAsync(Demo);
        var before = await ReadUsersAsync();

        await SeedAsync(Demo);

        Assert.Equal(before, await ReadUsersAsync());
        await using var db = _database.CreateContext();
        Assert.Equal(2, await db.Roles.CountAsync());
    }

    [Fact]
    public async Task SeedAsync_ShouldSetTheConfiguredPassword_WhenConfigurationChangesIt()
    {
        await SeedAsync(Demo);
        var changed = new DemoOptions
        {
            AdminEmail = Demo.AdminEmail,
            AdminPassword = "Changed#Admin2027",
            MarketerEmail = Demo.MarketerEmail,
            MarketerPassword = Demo.MarketerPassword,
        };

        await SeedAsync(changed);

        await using var db = _database.CreateContext();
        var admin = await db.Users.SingleAsync(u => u.Email == Demo.AdminEmail);
        var hasher = new PasswordHasher<ApplicationUser>();
        Assert.NotEqual(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(admin, admin.PasswordHash!, "Changed#Admin2027"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(admin, admin.PasswordHash!, Demo.AdminPassword!));
    }

    [Fact]
    public async Task SeedAsync_ShouldCreateTheRolesButNoUser_WhenSeedingIsOff()
    {
        await SeedAsync(new DemoOptions { SeedUsers = false });

        await using var db = _database.CreateContext();
        Assert.Equal([Roles.Admin, Roles.Marketer], await db.Roles.Select(r => r.Name!).OrderBy(n => n).ToListAsync());
        Assert.Empty(await db.Users.ToListAsync());
    }
}
