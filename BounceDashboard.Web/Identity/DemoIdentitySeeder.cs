using BounceDashboard.Domain.Security;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Options;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Identity;

/// <summary>
/// Creates the Admin and Marketer roles and, when <c>Demo:SeedUsers</c> is on, the two demo users from configuration.
/// Safe to run at every start: existing roles and users are kept, a demo user's password and role follow configuration.
/// Logs and errors name users by id or by their configuration keys, never by address.
/// </summary>
public sealed class DemoIdentitySeeder(
    UserManager<ApplicationUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<DemoOptions> demoOptions,
    ILogger<DemoIdentitySeeder> logger)
{
    private static readonly string[] AllRoles = [Roles.Admin, Roles.Marketer];

    public async Task SeedAsync()
    {
        foreach (var role in AllRoles)
        {
            if (!await roleManager.RoleExistsAsync(role))
            {
                EnsureSucceeded(await roleManager.CreateAsync(new IdentityRole(role)), $"create role {role}");
                logger.LogInformation("Created role {Role}", role);
            }
        }

        var demo = demoOptions.Value;
        if (!demo.SeedUsers)
        {
            return;
        }

        // DemoOptions validation guarantees these values while SeedUsers is on.
        await EnsureUserAsync(demo.AdminEmail!, demo.AdminPassword!, Roles.Admin);
        await EnsureUserAsync(demo.MarketerEmail!, demo.MarketerPassword!, Roles.Marketer);
    }

    private async Task EnsureUserAsync(string email, string password, string role)
    {
        var user = await userManager.FindByEmailAsync(email);
        if (user is null)
        {
            user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
            EnsureSucceeded(await userManager.CreateAsync(user, password), $"create the demo {role} user ({SectionFor(role)})");
            logger.LogInformation("Created demo user {UserId} in role {Role}", user.Id, role);
        }
        else if (!await userManager.CheckPasswordAsync(user, password))
        {
            // The configured password is the source of truth for demo users.
            var token = await userManager.GeneratePasswordResetTokenAsync(user);
            EnsureSucceeded(await userManager.ResetPasswordAsync(user, token, password), $"reset the password of the demo {role} user ({SectionFor(role)})");
            logger.LogInformation("Reset the password of demo user {UserId} to the configured one", user.Id);
        }

        if (!await userManager.IsInRoleAsync(user, role))
        {
            EnsureSucceeded(await userManager.AddToRoleAsync(user, role), $"add demo user {user.Id} to role {role}");
        }
    }

    /// <summary>Names the configuration keys of a demo user, so an error points at them without repeating the address.</summary>
    private static string SectionFor(string role) => $"{DemoOptions.SectionName}:{role}Email, {DemoOptions.SectionName}:{role}Password";

    private static void EnsureSucceeded(IdentityResult result, string action)
    {
        if (!result.Succeeded)
        {
            var errors = string.Join("; ", result.Errors.Select(e => e.Description));
            throw new InvalidOperationException($"Could not {action}: {errors}");
        }
    }
}
