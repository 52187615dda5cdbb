using System.Text;
using System.Text.Json;
using BounceDashboard.Tests.Exports;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using BounceDashboard.Web.Queries;
using ClosedXML.Excel;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace BounceDashboard.Tests.Cli;

/// <summary>
/// The <c>export</c> verb: its usage errors (exit code 2, nothing built), and CSV and Excel files written through the
/// same writers as the downloads, with the report's queries replaced by a list.
/// </summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeBounceReportQueries _queries = FakeBounceReportQueries.WithSample();
    private int _hostsBuilt;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private ExportCommand Export() => new(() =>
    {
        _hostsBuilt++;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _temp.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(_temp.Path, "export.db")}",
            ["Tracking:SigningKey"] = Convert.ToBase64String(InboundFixtures.TestKey),
        });
        builder.Services.AddSingleton<IBounceReportQueries>(_queries);
        return builder;
    });

    private static async Task<(int Code, string Output, string Error)> RunAsync(ExportCommand command, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await command.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--from 2026-11-01 --to 2026-11-30 --format csv --out x.csv", "what to export")]
    [InlineData("bounces --from 2026-11-01 --to 2026-11-30 --out x.csv", "--format csv|xlsx is required")]
    [InlineData("bounces --from 2026-11-01 --to 2026-11-30 --format pdf --out x.pdf", "--format is csv or xlsx, not 'pdf'")]
    [InlineData("bounces --from 2026-11-01 --to 2026-11-30 --format csv", "--out FILE is required")]
    [InlineData("bounces --to 2026-11-30 --format csv --out x.csv", "--from: 'from' is required")]
    [InlineData("bounces --from 2026-11-01 --to 2026-11-30 --group-by country --format csv --out x.csv", "--group-by: 'country' is not a grouping")]
    [InlineData("bounces --from 2026-11-01 --to 2026-11-30 --campaign --format csv --out x.csv", "'--campaign' needs a value")]
    [InlineData("bounces --from 2026-11-01 --until 2026-11-30 --format csv --out x.csv", "unknown option '--until'")]
    public async Task RunAsync_ShouldExitWithTheUsageAndBuildNothing_WhenTheArgumentsAreWrong(string arguments, string message)
    {
        var (code, output, error) = await RunAsync(Export(), arguments.Split(' '));

        Assert.Equal(CliExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.Contains($"export: {message}", error, StringComparison.Ordinal);
        Assert.Contains("usage: export bounces", error, StringComparison.Ordinal);
        Assert.Equal(0, _hostsBuilt);
    }

    [Fact]
    public async Task RunAsync_ShouldWriteTheCsvAndPrintOneJsonLine_WhenAskedForCsv()
    {
        var path = Path.Combine(_temp.Path, "bounces.csv");

        var (code, output, error) = await RunAsync(
            Export(), "bounces", "--from", "2026-11-01", "--to", "2026-11-30", "--campaign", "42", "--group-by", "ip", "--format", "csv", "--out", path);

        Assert.True(code == CliExitCodes.Success, error);
        using var line = JsonDocument.Parse(output);
        Assert.Equal(3, line.RootElement.GetProperty("rows").GetInt64());
        Assert.Equal(path, line.RootElement.GetProperty("file").GetString());
        Assert.True(line.RootElement.GetProperty("seconds").GetDouble() >= 0);
        var lines = (await File.ReadAllTextAsync(path, Encoding.UTF8)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("Received (UTC),Sending IP,", lines[0], StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".partial"));
        var filter = Assert.Single(_queries.Filters);
        Assert.Equal(new BounceReportFilter(
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), 42, BounceReportGrouping.SendingIp), filter);
    }

    [Fact]
    public async Task RunAsync_ShouldWriteTheWorkbook_WhenAskedForXlsx()
    {
        var path = Path.Combine(_temp.Path, "bounces.xlsx");

        var (code, output, error) = await RunAsync(
            Export(), "bounces", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "xlsx", "--out", path, "--time-zone", "Europe/Paris");

        Assert.True(code == CliExitCodes.Success, error);
        using var line = JsonDocument.Parse(output);
        Assert.Equal(3, line.RootElement.GetProperty("rows").GetInt64());
        Assert.Equal("xlsx", line.RootElement.GetProperty("format").GetString());
        using var workbook = new XLWorkbook(path);
        Assert.Equal("Received (Europe/Paris)", workbook.Worksheet("Bounces").Cell("A1").GetString());
        Assert.Equal(4, workbook.Worksheet("Bounces").LastRowUsed().RowNumber());
    }
}
