using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Data.Statistics;

/// <summary>
/// Tells EF which tables carry the statistics triggers, so it saves to them the way triggers allow: SQL Server without
/// an OUTPUT clause, SQLite without RETURNING (EF "SQLite: SaveChanges and the RETURNING clause"). The triggers
/// themselves are created by the migrations (<see cref="StatisticsTriggers"/>, <see cref="AudienceStatisticsTriggers"/>); EF does not manage trigger DDL.
/// </summary>
internal static class StatisticsTriggerDeclarations
{
    public static void Declare(ModelBuilder builder, IReadOnlyList<string> triggerNames)
    {
        Declare<Delivery>(builder, "Deliveries", triggerNames);
        Declare<DeliveryAttempt>(builder, "DeliveryAttempts", triggerNames);
        Declare<BounceEvent>(builder, "BounceEvents", triggerNames);
        Declare<TrackingEvent>(builder, "TrackingEvents", triggerNames);
        Declare<AudienceMember>(builder, "AudienceMembers", triggerNames);
        Declare<Contact>(builder, "Contacts", triggerNames);
        Declare<SuppressionEntry>(builder, "SuppressionEntries", triggerNames);
    }

    private static void Declare<TEntity>(ModelBuilder builder, string table, IReadOnlyList<string> triggerNames)
        where TEntity : class
    {
        var prefix = "TR_" + table + "_";
        builder.Entity<TEntity>().ToTable(table, t =>
        {
            foreach (var name in triggerNames.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
            {
                t.HasTrigger(name);
            }
        });
    }
}
