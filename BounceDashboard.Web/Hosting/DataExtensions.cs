using System.ComponentModel.DataAnnotations;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Seeding;
using BounceDashboard.Web.Options;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Hosting;

public static class DataExtensions
{
    /// <summary>
    /// Registers the database chosen by <c>Database:Provider</c>: <see cref="IDbContextFactory{BounceDbContext}"/>
    /// (services create one context per operation), a scoped <see cref="BounceDbContext"/> for Identity's stores,
    /// <see cref="DemoDataGenerator"/> and <see cref="DatabaseInitializer"/>.
    /// </summary>
    public static void AddBounceDashboardData(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DatabaseOptions.SectionName);
        builder.Services.AddOptions<DatabaseOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();

        // The provider decides which context type is registered, so it is read and validated now.
        var options = section.Get<DatabaseOptions>() ?? new DatabaseOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);

        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = ResolveSqliteConnectionString(
                    builder.Configuration.GetConnectionString(DatabaseOptions.SqliteConnectionStringName),
                    builder.Environment.ContentRootPath);
                builder.Services.AddDbContextFactory<SqliteBounceDbContext>(o => o.UseSqlite(sqlite));
                builder.Services.AddSingleton<IDbContextFactory<BounceDbContext>, BounceDbContextFactory<SqliteBounceDbContext>>();
                break;
            case DatabaseProvider.SqlServer:
                var sqlServer = builder.Configuration.GetConnectionString(DatabaseOptions.SqlServerConnectionStringName);
                if (string.IsNullOrWhiteSpace(sqlServer))
                {
                    throw new InvalidOperationException(
                        $"{DatabaseOptions.SectionName}:Provider is SqlServer but ConnectionStrings:{DatabaseOptions.SqlServerConnectionStringName} is not set.");
                }

                builder.Services.AddDbContextFactory<SqlServerBounceDbContext>(o => o.UseSqlServer(sqlServer, SqlServerOptions));
                builder.Services.AddSingleton<IDbContextFactory<BounceDbContext>, BounceDbContextFactory<SqlServerBounceDbContext>>();
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider '{options.Provider}'.");
        }

        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<BounceDbContext>>().CreateDbContext());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DemoDataGenerator>();
        builder.Services.AddSingleton<DatabaseInitializer>();
    }

    /// <summary>
    /// SQL Server retries transient failures (failover, throttling, dropped connections); every command therefore runs its
    /// transaction through the execution strategy (<c>Commands.DbCommandRunner</c>), as EF requires with retries on.
    /// </summary>
    public static void SqlServerOptions(Microsoft.EntityFrameworkCore.Infrastructure.SqlServerDbContextOptionsBuilder sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        sql.EnableRetryOnFailure();
    }

    /// <summary>Migrates the database (and seeds first-run demo data); call once after the host is built.</summary>
    public static async Task InitializeBounceDashboardDataAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);

    /// <summary>
    /// First-run demo data is for Development: anywhere else it runs only when <c>Database:SeedDemoData</c> is set
    /// explicitly, and says so at Warning, so nobody mistakes 3,000 fake contacts for real ones.
    /// </summary>
    public static void WarnIfDemoDataOutsideDevelopment(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (database.SeedDemoData && !app.Environment.IsDevelopment())
        {
            app.Logger.LogWarning(
                "Database:SeedDemoData is on in the {Environment} environment: an empty database gets {Contacts} fake demo contacts and {Campaigns} campaigns. Set it to false unless this is a demo instance.",
                app.Environment.EnvironmentName, database.DemoContacts, database.DemoCampaigns);
        }
    }

    /// <summary>A relative SQLite file is placed beside the content root, whatever the working directory.</summary>
    internal static string ResolveSqliteConnectionString(string? configured, string contentRootPath)
    {
        var connection = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(configured) ? DatabaseOptions.DefaultSqliteConnectionString : configured);
        var isMemory = connection.Mode == SqliteOpenMode.Memory
            || string.IsNullOrEmpty(connection.DataSource)
            || string.Equals(connection.DataSource, ":memory:", StringComparison.OrdinalIgnoreCase);
        if (!isMemory && !Path.IsPathRooted(connection.DataSource))
        {
            connection.DataSource = Path.GetFullPath(Path.Combine(contentRootPath, connection.DataSource));
        }

        return connection.ToString();
    }
}
