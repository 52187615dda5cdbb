using System.Net;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.Api;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using BounceDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace BounceDashboard.Tests.Cli;

/// <summary>The <c>api-key</c> verb on a temporary SQLite file, configured as the app would be.</summary>
public sealed class ApiKeyCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private string DatabasePath => Path.Combine(_temp.Path, "keys.db");

    private ApiKeyCommand Command() => new(() =>
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _temp.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={DatabasePath}",
            ["Tracking:SigningKey"] = Convert.ToBase64String(InboundFixtures.TestKey),
        });
        return builder;
    });

    private async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await Command().RunAsync(args, output, errors, CancellationToken.None);
        return (exitCode, output.ToString(), errors.ToString());
    }

    private SqliteBounceDbContext OpenDatabase() =>
        new(new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite($"Data Source={DatabasePath};Pooling=False").Options);

    [Fact]
    public async Task Create_ShouldPrintTheKeyAloneOnceAndStoreOnlyItsHash_WhenNameAndRoleAreGiven()
    {
        var (exitCode, output, errors) = await RunAsync("create", "--name", "crm-sync", "--role", "Admin");

        Assert.True(exitCode == CliExitCodes.Success, errors);
        var secret = output.Trim();
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(ApiKey.LooksLikeSecret(secret));
        Assert.Contains("not shown again", errors, StringComparison.Ordinal);
        await using var db = OpenDatabase();
        var key = await db.ApiKeys.SingleAsync();
        Assert.Equal(("crm-sync", Roles.Admin, ApiKey.HashOf(secret), "command line"), (key.Name, key.Role, key.KeyHash, key.CreatedBy));

        var (_, list, _) = await RunAsync("list");
        Assert.Contains("crm-sync\tAdmin\t" + secret[..ApiKey.DisplayPrefixLength], list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_ShouldRevokeTheNamedKey_WhenItExists()
    {
        await RunAsync("create", "--name", "old", "--role", "Marketer");

        var (exitCode, _, errors) = await RunAsync("revoke", "--name", "old");
        var (again, _, againErrors) = await RunAsync("revoke", "--name", "old");

        Assert.True(exitCode == CliExitCodes.Success, errors);
        Assert.Equal(CliExitCodes.Failure, again);
        Assert.Contains("already revoked", againErrors, StringComparison.Ordinal);
        await using var db = OpenDatabase();
        Assert.True((await db.ApiKeys.SingleAsync()).IsRevoked);
    }

    [Theory]
    [InlineData("create", "--name", "x")]
    [InlineData("create", "--role", "Admin")]
    [InlineData("delete", "--name", "x")]
    [InlineData("create", "--name", "x", "--role", "Admin", "--extra")]
    [InlineData("list", "--role", "Admin")]
    public async Task Run_ShouldAnswerUsageAndTouchNoDatabase_WhenTheArgumentsAreWrong(params string[] args)
    {
        var (exitCode, output, errors) = await RunAsync(args);

        Assert.Equal((CliExitCodes.Usage, ""), (exitCode, output));
        Assert.Contains("usage: api-key", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task Create_ShouldFailWithTheReason_WhenTheRoleIsUnknownOrTheNameTaken()
    {
        var (badRole, _, badRoleErrors) = await RunAsync("create", "--name", "x", "--role", "Owner");
        await RunAsync("create", "--name", "taken", "--role", "Admin");
        var (taken, output, takenErrors) = await RunAsync("create", "--name", "taken", "--role", "Admin");

        Assert.Equal(CliExitCodes.Failure, badRole);
        Assert.Contains("Admin or Marketer", badRoleErrors, StringComparison.Ordinal);
        Assert.Equal((CliExitCodes.Failure, ""), (taken, output));
        Assert.Contains("exists already", takenErrors, StringComparison.Ordinal);
    }
}

/// <summary>
/// The end-to-end check: a key made by the real <c>api-key</c> process on the embedded SQLite default (no
/// connection string: bouncedashboard.db in the folder it runs in) drives raw ingestion and the suppression list of the
/// app started on that same file.
/// </summary>
[Trait("Category", "E2E")]
public sealed class ApiKeyProcessTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CliProcess _cli;

    public ApiKeyProcessTests() =>
        _cli = new CliProcess(_temp.Path, new Dictionary<string, string?>
        {
            ["Tracking__SigningKey"] = Convert.ToBase64String(InboundFixtures.TestKey),
            ["Logging__LogLevel__Default"] = "Warning",
            ["ConnectionStrings__Sqlite"] = null,
        });

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    [Fact]
    public async Task ApiKeyCreate_ShouldGiveAKeyThatDrivesRawIngestionAndTheSuppressionList_WhenRunOnTheEmbeddedDefault()
    {
        var (exitCode, output, errors) = await _cli.RunAsync(["api-key", "create", "--name", "ops", "--role", "Admin"]);
        Assert.True(exitCode == CliExitCodes.Success, errors);
        var key = output.Trim();
        var database = Path.Combine(_temp.Path, "bouncedashboard.db");
        Assert.True(File.Exists(database));

        await using var app = await ConfiguredBounceDashboardApp.Production(("ConnectionStrings:Sqlite", $"Data Source={database}")).StartAsync();
        using var client = app.CreateRawClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);

        using var raw = await client.PostAsync("/api/v1/bounces/raw", ApiApp.Rfc822(FixtureFiles.Robustness("dsn-userunknown.eml")));
        using var added = await client.PostAsync("/api/v1/suppressions", ApiApp.Json("""{"address":"ops-test@example.com","reason":"end to end"}"""));
        using var listed = await client.GetAsync("/api/v1/suppressions?search=ops-test@example.com");
        using var lifted = await client.DeleteAsync("/api/v1/suppressions/ops-test@example.com?reason=done");

        Assert.Equal(HttpStatusCode.Created, raw.StatusCode);
        Assert.Equal("Bounce", (await ApiApp.ReadAsync(raw)).GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(1, (await ApiApp.ReadAsync(listed)).GetProperty("totalCount").GetInt32());
        Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        await using var db = new SqliteBounceDbContext(new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite($"Data Source={database};Pooling=False").Options);
        Assert.Equal(1, await db.InboundMessages.CountAsync());
        Assert.Equal(2, await db.AuditLogEntries.CountAsync(a => a.Actor == "api:ops"));
    }

    [Fact]
    public async Task ApiKeyCreate_ShouldPrintAKey_WhenRunInDevelopmentAsDotnetRunDoes()
    {
        // dotnet run applies the launch profile (Development), where the host validates every registration at build.
        var (exitCode, output, errors) = await _cli.RunAsync(
            ["api-key", "create", "--name", "dev", "--role", "Marketer"],
            overrides: new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });

        Assert.True(exitCode == CliExitCodes.Success, errors);
        Assert.True(ApiKey.LooksLikeSecret(output.Trim()));
    }
}
