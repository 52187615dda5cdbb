using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

internal static class PropertyBuilderExtensions
{
    /// <summary>Longest enum name stored; a test checks that every enum value of the model fits.</summary>
    public const int EnumMaxLength = 32;

    /// <summary>Stores an enum as its name (eShop OrderEntityTypeConfiguration), never as a number.</summary>
    public static PropertyBuilder<TEnum> HasEnumAsString<TEnum>(this PropertyBuilder<TEnum> property) =>
        property.HasConversion<string>().HasMaxLength(EnumMaxLength);
}
