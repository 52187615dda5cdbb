namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// The values of the <c>Category</c> trait. Tests without one make the fast suite:
/// <c>dotnet test --filter "Category!=Browser&amp;Category!=E2E"</c>.
/// </summary>
public static class TestCategories
{
    /// <summary>Drives Debian's Chromium through Playwright against the app started as a process.</summary>
    public const string Browser = "Browser";

    /// <summary>
    /// End to end and slow by design: starts the app or another program as a real process (or, later, needs the local
    /// mail server), or runs a whole timed run such as eval's speed benchmark.
    /// </summary>
    public const string E2E = "E2E";
}
