using System.Reflection;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>
/// Gives entities their ids before they are written. Entities get ids from the database; the bulk generator assigns
/// them up front instead (rows refer to each other by id), through the private setter EF itself uses when it
/// materialises an entity.
/// </summary>
internal static class EntityIds<TEntity>
    where TEntity : class
{
    private static readonly Action<TEntity, long> s_setId =
        (typeof(TEntity).GetProperty("Id", BindingFlags.Public | BindingFlags.Instance)?.GetSetMethod(nonPublic: true)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no Id setter."))
        .CreateDelegate<Action<TEntity, long>>();

    public static TEntity Assign(TEntity entity, long id)
    {
        s_setId(entity, id);
        return entity;
    }
}
