using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace BounceDashboard.Tests.Cli;

public sealed class SeedDemoCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private SeedDemoCommand CreateCommand() => new(() =>
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _temp.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = "Data Source=seed.db",
        });
        return builder;
    });

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(SeedDemoCommand command, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await command.RunAsync(args, output, errors, CancellationToken.None);
        return (exitCode, output.ToString(), errors.ToString());
    }

    private async Task<long> CountContactsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_temp.Path, "seed.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Contacts";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public void TryParse_ShouldReadEveryOption_WhenAllAreGiven()
    {
        var parsed = SeedDemoOptions.TryParse(["--contacts", "1000", "--campaigns", "20", "--months", "6", "--seed", "9", "--replace"], out var options, out var error);

        Assert.True(parsed, error);
        Assert.Equal(1000, options!.Size.Contacts);
        Assert.Equal(20, options.Size.Campaigns);
        Assert.Equal(6, options.Size.Months);
        Assert.Equal(9, options.Size.Seed);
        Assert.True(options.Replace);
    }

    [Theory]
    [InlineData("--contacts 1000", "required")]
    [InlineData("--contacts 1000 --campaigns many", "whole number")]
    [InlineData("--contacts 1000 --campaigns 5 --colour blue", "unknown argument")]
    [InlineData("--contacts 3 --campaigns 5", "contacts must be")]
    [InlineData("--contacts 1000 --campaigns 5 --months 0", "months must be")]
    public void TryParse_ShouldExplainTheProblem_WhenTheArgumentsAreWrong(string args, string expected)
    {
        var parsed = SeedDemoOptions.TryParse(args.Split(' '), out _, out var error);

        Assert.False(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShouldReturnUsage_WhenTheArgumentsAreWrong()
    {
        var (exitCode, _, errors) = await RunAsync(CreateCommand(), "--contacts", "x");

        Assert.Equal(CliExitCodes.Usage, exitCode);
        Assert.Contains("usage: seed-demo", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShouldMigrateAndFillTheDatabase_WhenItIsNew()
    {
        var (exitCode, output, errors) = await RunAsync(CreateCommand(), "--contacts", "300", "--campaigns", "5", "--months", "3");

        Assert.True(exitCode == CliExitCodes.Success, errors);
        Assert.Contains("Deliveries", output, StringComparison.Ordinal);
        Assert.Equal(300, await CountContactsAsync());
    }

    [Fact]
    public async Task RunAsync_ShouldRefuseOrReplace_WhenTheDatabaseAlreadyHoldsData()
    {
        var command = CreateCommand();
        await RunAsync(command, "--contacts", "300", "--campaigns", "4");

        var refused = await RunAsync(command, "--contacts", "200", "--campaigns", "4");
        var replaced = await RunAsync(command, "--contacts", "200", "--campaigns", "4", "--replace");

        Assert.Equal(CliExitCodes.Failure, refused.ExitCode);
        Assert.Contains("--replace", refused.Errors, StringComparison.Ordinal);
        Assert.Equal(CliExitCodes.Success, replaced.ExitCode);
        Assert.Equal(200, await CountContactsAsync());
    }
}
