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

    private BulkTable(string name, IReadOnlyList<BulkColumn> columns)
    {
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
        var columns = entityType.GetProperties()
            .Select(p => new BulkColumn(
                p.Name,
                p.GetColumnName(table) ?? p.Name,
                p.ClrType,
                p.GetTypeMapping().Converter ?? p.GetValueConverter()))
            .ToList();
        return new BulkTable(tableName, columns);
    }

    /// <summary>The position of a property's value in a row: call once, outside the loop.</summary>
    public int Ordinal(string propertyName) =>
        _ordinals.TryGetValue(propertyName, out var ordinal)
            ? ordinal
            : throw new ArgumentException($"{Name} has no column for property {propertyName}.", nameof(propertyName));

    public object?[] NewRow() => new object?[Columns.Count];
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
