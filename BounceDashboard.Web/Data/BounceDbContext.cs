using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Data;

/// <summary>
/// The application's database: the bounce-management tables plus ASP.NET Core Identity's.
/// Each provider has its own subclass and migration set; this type is what services use.
/// </summary>
/// <remarks>
/// Add a migration to both sets from the solution folder (the local tool: <c>dotnet tool restore</c>):
/// <code>
/// dotnet ef migrations add NAME --project BounceDashboard.Web --context SqliteBounceDbContext --output-dir Data/Migrations/Sqlite
/// dotnet ef migrations add NAME --project BounceDashboard.Web --context SqlServerBounceDbContext --output-dir Data/Migrations/SqlServer
/// </code>
/// Migrations are applied at start-up by <see cref="DatabaseInitializer"/>.
/// </remarks>
public abstract class BounceDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(BounceDbContext).Assembly);
    }
}
