namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// The version of the engine's reading, stored on every inbound message it classifies so that <c>reclassify</c> can
/// find the messages an older engine read.
/// </summary>
/// <remarks>
/// Raise <see cref="Current"/> (date + a counter) in the commit that changes what the engine reports for some
/// message: a new format, a new rule, a changed reason. A refactoring that changes no output keeps it.
/// </remarks>
public static class EngineVersion
{
    /// <summary>Longest version text stored.</summary>
    public const int MaxLength = 32;

    /// <summary>The engine's current version.</summary>
    public const string Current = "2026.12.07.3";
}
