using BounceDashboard.Web.Data.Configurations;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BounceDashboard.Web.Data;

/// <summary>The SQLite flavour of <see cref="BounceDbContext"/>; owns the migrations in Data/Migrations/Sqlite.</summary>
public sealed class SqliteBounceDbContext(DbContextOptions<SqliteBounceDbContext> options) : BounceDbContext(options)
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        base.OnConfiguring(optionsBuilder);
        optionsBuilder.AddInterceptors(VersionIncrementInterceptor.Instance, SqlitePragmaInterceptor.Instance);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        ConcurrencyTokens.AddVersionColumns(builder);
        StatisticsTriggerDeclarations.Declare(builder, [.. StatisticsTriggers.TriggerNames, .. AudienceStatisticsTriggers.TriggerNames]);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);

        // SQLite has no date type: EF stores DateTimeOffset as text and refuses to compare or order it in SQL
        // (EF "SQLite limitations"). UTC ticks in an INTEGER column sort, compare and index like the instant.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    /// <summary>An instant as its UTC ticks; read back with offset zero (every time in the app is UTC).</summary>
    public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the app.</summary>
internal sealed class SqliteBounceDbContextDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBounceDbContext>
{
    public SqliteBounceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
