using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BounceDashboard.Web.Data.Configurations;

/// <summary>
/// Optimistic concurrency on the rows two events can change at once: a contact (streaks, status) and a delivery
/// (state, attempts). SQL Server keeps a <c>rowversion</c> column (<see cref="RowVersion"/>); SQLite has none, so it
/// keeps a <see cref="Version"/> number that <see cref="VersionIncrementInterceptor"/> raises on every update. Either
/// way an UPDATE whose row changed since it was read affects no row, EF throws
/// <see cref="DbUpdateConcurrencyException"/>, and the command runs again on fresh data
/// (<c>Commands.DbCommandRunner</c>). The domain entities know nothing of it: both are shadow properties.
/// </summary>
public static class ConcurrencyTokens
{
    /// <summary>SQLite: a number raised by one on every update (long, default 0).</summary>
    public const string Version = nameof(Version);

    /// <summary>SQL Server: the server's rowversion (byte[]).</summary>
    public const string RowVersion = nameof(RowVersion);

    /// <summary>The entities that carry a token.</summary>
    public static IReadOnlyList<Type> Entities { get; } = [typeof(Contact), typeof(Delivery)];

    public static void AddVersionColumns(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var type in Entities)
        {
            builder.Entity(type).Property<long>(Version).IsConcurrencyToken().HasDefaultValue(0L);
        }
    }

    public static void AddRowVersionColumns(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var type in Entities)
        {
            builder.Entity(type).Property<byte[]>(RowVersion).IsRowVersion();
        }
    }
}

/// <summary>Raises <see cref="ConcurrencyTokens.Version"/> on every modified row that has one (SQLite's stand-in for rowversion).</summary>
public sealed class VersionIncrementInterceptor : SaveChangesInterceptor
{
    public static VersionIncrementInterceptor Instance { get; } = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Increment(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData,
        InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Increment(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Increment(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        context.ChangeTracker.DetectChanges();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State == EntityState.Modified && entry.Metadata.FindProperty(ConcurrencyTokens.Version) is not null)
            {
                var version = entry.Property(ConcurrencyTokens.Version);
                version.CurrentValue = (long)(version.OriginalValue ?? 0L) + 1;
            }
        }
    }
}
