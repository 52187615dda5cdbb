using System.Net;
using System.Text.Json;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

/// <summary>/health: reachable without sign-in, 200 or 503 with only the status for anonymous callers, details for Admins.</summary>
public sealed class HealthCheckTests
{
    private const string HealthPath = "/health";

    private static async Task<(HttpStatusCode Status, string Body, string? ContentType)> GetHealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync(HealthPath);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_ShouldAnswerHealthyWithoutDetails_WhenTheDatabaseIsMigratedAndTheCallerIsAnonymous()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();
        using var client = app.CreateRawClient();

        var (status, body, contentType) = await GetHealthAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body);
        Assert.Equal("text/plain", contentType);
    }

    [Fact]
    public async Task Health_ShouldAnswer503WithoutDetails_WhenAMigrationIsPending()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();
        string newest;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // The database is one migration behind the code, as after deploying a build whose migration did not run.
            var db = scope.ServiceProvider.GetRequiredService<BounceDbContext>();
            newest = (await db.Database.GetAppliedMigrationsAsync()).Last();
            await db.Database.ExecuteSqlAsync($"DELETE FROM __EFMigrationsHistory WHERE MigrationId = {newest}");
        }

        using var client = app.CreateRawClient();
        var (status, body, _) = await GetHealthAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body);
        Assert.DoesNotContain(newest, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ShouldAnswer503WithoutDetails_WhenTheDatabaseFileIsGone()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(app.DatabasePath);
        File.Delete(app.DatabasePath + "-wal");
        File.Delete(app.DatabasePath + "-shm");

        using var client = app.CreateRawClient();
        var (status, body, _) = await GetHealthAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body);
        Assert.False(File.Exists(app.DatabasePath), "the health check must not create the database file");
    }

    [Fact]
    public async Task Health_ShouldListEachCheck_WhenTheCallerIsASignedInAdmin()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var (status, body, contentType) = await GetHealthAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var database = json.RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal("Healthy", database.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(database.GetProperty("description").GetString()));
    }

    [Fact]
    public async Task Health_ShouldNameThePendingMigration_WhenTheCallerIsASignedInAdmin()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword);
        string newest;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BounceDbContext>();
            newest = (await db.Database.GetAppliedMigrationsAsync()).Last();
            await db.Database.ExecuteSqlAsync($"DELETE FROM __EFMigrationsHistory WHERE MigrationId = {newest}");
        }

        var (status, body, contentType) = await GetHealthAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("application/json", contentType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("status").GetString());
        var database = json.RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
        Assert.Contains(newest, database.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ShouldAnswerOnlyTheStatus_WhenTheCallerIsASignedInMarketer()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var signIn = await BounceDashboardApp.SignInAsync(client, BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword);

        var (status, body, _) = await GetHealthAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body);
    }
}
