namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>Paths of the .eml fixtures copied next to the test assembly.</summary>
public static class FixtureFiles
{
    public static string Bounces(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "Fixtures", "Bounces", .. parts]);

    /// <summary>Messages written by us for the CLI and robustness tests.</summary>
    public static byte[] Robustness(string name) => File.ReadAllBytes(Bounces("robustness", name));
}
