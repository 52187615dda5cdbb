namespace BounceDashboard.Web.Options;

/// <summary>The "DataProtection" section: where the cookie-protecting keys are kept when several instances share them.</summary>
public sealed class DataProtectionKeysOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>The same for every instance and every release, so each reads the others' cookies.</summary>
    public const string ApplicationName = "BounceDashboard";

    /// <summary>A folder every instance reads and writes (a shared volume); unset: the machine's default key ring.</summary>
    public string? KeysPath { get; set; }
}
