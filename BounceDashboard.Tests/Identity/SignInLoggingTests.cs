using System.Net;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BounceDashboard.Tests.Identity;

/// <summary>No personal data in logs at Information or above: an address may appear at Debug at most.</summary>
public sealed class SignInLoggingTests
{
    [Fact]
    public async Task SignIn_ShouldLogNoEmailAddressAtInformationOrAbove_WhenUsersSignInOrFail()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var failed = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.AdminEmail, "Wrong#Password1");
        using var unknown = await BounceDashboardApp.SignInAsync(client, "nobody@bouncedashboard.local", "Wrong#Password1");
        using var signedIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        string[] addresses = [BounceDashboardApp.AdminEmail, BounceDashboardApp.MarketerEmail, "nobody@bouncedashboard.local"];
        var leaks = app.Logs.Logs
            .Where(e => e.Level >= LogLevel.Information && addresses.Any(a => e.Message.Contains(a, StringComparison.OrdinalIgnoreCase)))
            .Select(e => $"{e.Level} {e.Category}: {e.Message}")
            .ToList();
        Assert.True(leaks.Count == 0, "personal data logged:\n" + string.Join("\n", leaks));
    }

    [Fact]
    public async Task SignIn_ShouldLogTheUserId_WhenAUserSignsIn()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var signedIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword);

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var marketer = await users.FindByEmailAsync(BounceDashboardApp.MarketerEmail);
        Assert.NotNull(marketer);
        Assert.Contains(app.Logs.Logs, e => e.Level == LogLevel.Information
            && e.Message.Contains("signed in", StringComparison.Ordinal)
            && e.Message.Contains(marketer.Id, StringComparison.Ordinal));
    }
}
