namespace BounceDashboard.Web.Data.Configurations;

/// <summary>Index filters; bracket quoting is understood by both SQLite and SQL Server.</summary>
internal static class Filters
{
    public static string IsNull(string column) => $"[{column}] IS NULL";

    public static string IsNotNull(string column) => $"[{column}] IS NOT NULL";

    /// <summary>An enum column (stored as its name) holding one value.</summary>
    public static string Is<TEnum>(string column, TEnum value)
        where TEnum : struct, Enum => $"[{column}] = '{value}'";
}
