using System.Globalization;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Seeding;
using BounceDashboard.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Cli;

/// <summary>The parsed arguments of <c>seed-demo</c>.</summary>
public sealed record SeedDemoOptions(DemoDataSize Size, bool Replace)
{
    public const string Usage =
        "usage: seed-demo --contacts N --campaigns M [--months K] [--seed S] [--replace]\n" +
        "  fills the configured database (Database:Provider, ConnectionStrings:Sqlite or SqlServer) with demo data;\n" +
        "  --replace first deletes existing contacts, campaigns, deliveries, events, suppressions and audit entries";

    public static bool TryParse(IReadOnlyList<string> args, out SeedDemoOptions? options, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = null;
        int? contacts = null, campaigns = null;
        int months = 12, seed = 1;
        var replace = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--replace")
            {
                replace = true;
                continue;
            }

            if (name is not ("--contacts" or "--campaigns" or "--months" or "--seed"))
            {
                error = $"unknown argument '{name}'";
                return false;
            }

            if (i + 1 >= args.Count || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                error = $"{name} needs a whole number";
                return false;
            }

            i++;
            switch (name)
            {
                case "--contacts":
                    contacts = value;
                    break;
                case "--campaigns":
                    campaigns = value;
                    break;
                case "--months":
                    months = value;
                    break;
                default:
                    seed = value;
                    break;
            }
        }

        if (contacts is null || campaigns is null)
        {
            error = "--contacts and --campaigns are required";
            return false;
        }

        var size = new DemoDataSize(contacts.Value, campaigns.Value, months, seed);
        error = size.Problem();
        if (error is not null)
        {
            return false;
        }

        options = new SeedDemoOptions(size, replace);
        return true;
    }
}

/// <summary>
/// <c>seed-demo --contacts N --campaigns M [--months K] [--seed S] [--replace]</c>: builds a host with the app's
/// configuration and database registration, applies the migrations, then runs <see cref="DemoDataGenerator"/>.
/// </summary>
public sealed class SeedDemoCommand(Func<HostApplicationBuilder> createBuilder) : ICliCommand
{
    public SeedDemoCommand()
        : this(CreateDefaultBuilder)
    {
    }

    public string Name => "seed-demo";

    public string Summary => "seed-demo --contacts N --campaigns M [--months K] [--seed S] [--replace]  fill the database with demo data";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errorOutput);
        if (!SeedDemoOptions.TryParse(args, out var options, out var error))
        {
            await errorOutput.WriteLineAsync($"seed-demo: {error}");
            await errorOutput.WriteLineAsync(SeedDemoOptions.Usage);
            return CliExitCodes.Usage;
        }

        var builder = createBuilder();
        builder.AddBounceDashboardData();
        builder.AddBounceDashboardRules();
        using var host = builder.Build();
        var services = host.Services;
        await services.GetRequiredService<DatabaseInitializer>().MigrateAsync(cancellationToken);

        await using var db = await services.GetRequiredService<IDbContextFactory<BounceDbContext>>().CreateDbContextAsync(cancellationToken);
        if (await DemoDataGenerator.HasDataAsync(db, cancellationToken))
        {
            if (!options!.Replace)
            {
                await errorOutput.WriteLineAsync(
                    "seed-demo: the database already holds contacts or campaigns. Add --replace to delete them first, " +
                    "or point it at a new file (ConnectionStrings__Sqlite=\"Data Source=/tmp/demo.db\").");
                return CliExitCodes.Failure;
            }

            await output.WriteLineAsync("Deleting the existing data...");
            await DemoDataGenerator.DeleteAllAsync(db, cancellationToken);
        }

        var size = options!.Size;
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Generating {size.Contacts:N0} contacts and {size.Campaigns:N0} campaigns over {size.Months} months (seed {size.Seed}) into {Describe(db)}..."));
        var summary = await services.GetRequiredService<DemoDataGenerator>().GenerateAsync(db, size, cancellationToken);

        foreach (var (table, rows) in summary.RowsByTable)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {table,-20} {rows,14:N0}"));
        }

        var file = SqliteFile(db);
        var fileSize = file is { Exists: true } ? string.Create(CultureInfo.InvariantCulture, $", file {file.Length / (1024.0 * 1024.0):N0} MB") : string.Empty;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Done in {summary.Elapsed:hh\\:mm\\:ss\\.f}{fileSize}."));
        return CliExitCodes.Success;
    }

    /// <summary>The app's own configuration: appsettings, the environment (ASPNETCORE_ENVIRONMENT as for the web app), environment variables.</summary>
    private static HostApplicationBuilder CreateDefaultBuilder() =>
        Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"),
            ContentRootPath = Directory.GetCurrentDirectory(),
        });

    private static string Describe(BounceDbContext db) =>
        SqliteFile(db) is { } file ? $"SQLite {file.FullName}" : db.Database.ProviderName ?? "the database";

    private static FileInfo? SqliteFile(BounceDbContext db) =>
        db.Database.IsSqlite() && new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource is { Length: > 0 } path
            && !string.Equals(path, ":memory:", StringComparison.Ordinal)
            ? new FileInfo(path)
            : null;
}
