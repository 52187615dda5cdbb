using System.ComponentModel.DataAnnotations;
using BounceDashboard.Web.Data.Seeding;

namespace BounceDashboard.Web.Options;

/// <summary>The "Database" section: which provider, and the first-run demo data.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Name of the SQLite connection string (<c>ConnectionStrings:Sqlite</c>).</summary>
    public const string SqliteConnectionStringName = nameof(DatabaseProvider.Sqlite);

    /// <summary>Name of the SQL Server connection string (<c>ConnectionStrings:SqlServer</c>).</summary>
    public const string SqlServerConnectionStringName = nameof(DatabaseProvider.SqlServer);

    /// <summary>Used when <c>ConnectionStrings:Sqlite</c> is not set; a relative file is resolved against the content root.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=bouncedashboard.db";

    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Fill an empty database with a small demo data set at start-up. Off unless configured: appsettings.Development.json
    /// turns it on; anywhere else it is allowed only when set explicitly, and start-up logs a warning.
    /// </summary>
    public bool SeedDemoData { get; set; }

    /// <summary>Contacts in the first-run demo data (the generator's small size).</summary>
    [Range(DemoDataSize.MinimumContacts, 100_000)]
    public int DemoContacts { get; set; } = 3_000;

    /// <summary>Campaigns in the first-run demo data, spread over the past twelve months.</summary>
    [Range(1, 200)]
    public int DemoCampaigns { get; set; } = 10;
}

public enum DatabaseProvider
{
    Sqlite = 0,
    SqlServer = 1,
}
