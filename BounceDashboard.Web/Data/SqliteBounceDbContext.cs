using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BounceDashboard.Web.Data;

/// <summary>The SQLite flavour of <see cref="BounceDbContext"/>; owns the migrations in Data/Migrations/Sqlite.</summary>
public sealed class SqliteBounceDbContext(DbContextOptions<SqliteBounceDbContext> options) : BounceDbContext(options);

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the app.</summary>
internal sealed class SqliteBounceDbContextDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBounceDbContext>
{
    public SqliteBounceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
