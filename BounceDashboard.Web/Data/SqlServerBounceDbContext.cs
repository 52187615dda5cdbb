using BounceDashboard.Web.Data.Configurations;
using BounceDashboard.Web.Data.Statistics;
using BounceDashboard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BounceDashboard.Web.Data;

/// <summary>The SQL Server flavour of <see cref="BounceDbContext"/>; owns the migrations in Data/Migrations/SqlServer.</summary>
public sealed class SqlServerBounceDbContext(DbContextOptions<SqlServerBounceDbContext> options) : BounceDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        ConcurrencyTokens.AddRowVersionColumns(builder);
        StatisticsTriggerDeclarations.Declare(builder, [.. StatisticsTriggers.SqlServerTriggerNames, .. AudienceStatisticsTriggers.SqlServerTriggerNames]);
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQL Server context without a server (adding a migration never connects).</summary>
internal sealed class SqlServerBounceDbContextDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerBounceDbContext>
{
    public SqlServerBounceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerBounceDbContext>()
            .UseSqlServer("Server=localhost;Database=BounceDashboard;Integrated Security=true;TrustServerCertificate=true", DataExtensions.SqlServerOptions)
            .Options);
}
