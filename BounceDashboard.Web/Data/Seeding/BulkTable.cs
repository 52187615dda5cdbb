using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>
/// One table as the bulk writers see it, read from the EF model: its name, every mapped column, and the value
/// converter EF would apply (enum to string, DateTimeOffset to ticks on SQLite). Rows are <c>object?[]</c> in the
/// entity's CLR types, indexed by <see cref="Ordinal"/>; a column left null must be nullable or the insert fails.
/// </summary>
public sealed class BulkTable
{
    private readonly Dictionary<string, int> _ordinals;

    private readonly IClrPropertyGetter?[] _getters;

    private BulkTable(string name, IReadOnlyList<BulkColumn> columns, IClrPropertyGetter?[] getters)
    {
        _getters = getters;
        Name = name;
        Columns = columns;
        _ordinals = columns.Select((c, i) => (c.PropertyName, i)).ToDictionary(p => p.PropertyName, p => p.i, StringComparer.Ordinal);
    }

    public string Name { get; }

    public IReadOnlyList<BulkColumn> Columns { get; }

    public static BulkTable For<TEntity>(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entityType = model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var tableName = entityType.GetTableName()
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped to a table.");
        var table = StoreObjectIdentifier.Table(tableName, entityType.GetSchema());
        // Concurrency tokens are the database's to fill (SQLite's Version defaults to 0, SQL Server's rowversion is generated).
        var properties = entityType.GetProperties().Where(p => !(p.IsShadowProperty() && p.IsConcurrencyToken)).ToList();
        var columns = properties
            .Select(p => new BulkColumn(
                p.Name,
                p.GetColumnName(table) ?? p.Name,
                p.ClrType,
                p.GetTypeMapping().Converter ?? p.GetValueConverter()))
            .ToList();
        var getters = properties.Select(p => p.IsShadowProperty() ? null : p.GetGetter()).ToArray();
        return new BulkTable(tableName, columns, getters);
    }

    /// <summary>The position of a property's value in a row: call once, outside the loop.</summary>
    public int Ordinal(string propertyName) =>
        _ordinals.TryGetValue(propertyName, out var ordinal)
            ? ordinal
            : throw new ArgumentException($"{Name} has no column for property {propertyName}.", nameof(propertyName));

    public object?[] NewRow() => new object?[Columns.Count];

    /// <summary>A row holding the entity's property values; shadow columns are left null for the caller to fill.</summary>
    public object?[] RowOf(object entity)
    {
        var row = new object?[_getters.Length];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = _getters[i]?.GetClrValueUsingContainingEntity(entity);
        }

        return row;
    }
}

/// <summary>A column and how a CLR value becomes the provider's value.</summary>
public sealed class BulkColumn(string propertyName, string name, Type clrType, ValueConverter? converter)
{
    public string PropertyName { get; } = propertyName;

    public string Name { get; } = name;

    /// <summary>The CLR type of the stored value (after conversion), without nullability.</summary>
    public Type ProviderType { get; } = Nullable.GetUnderlyingType(converter?.ProviderClrType ?? clrType) ?? converter?.ProviderClrType ?? clrType;

    /// <summary>The value as the provider stores it; null becomes <see cref="DBNull"/>.</summary>
    public object ToProvider(object? value) =>
        value is null ? DBNull.Value : (converter is null ? value : converter.ConvertToProvider(value) ?? DBNull.Value);
}
