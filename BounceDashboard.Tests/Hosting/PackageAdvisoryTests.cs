using Microsoft.Extensions.DependencyModel;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

/// <summary>
/// Packages with a known advisory must not resolve. The NuGet mirror this project builds against serves no
/// vulnerability data (docs/decisions/operations.md), so the known ones are checked here against what actually resolved.
/// </summary>
public sealed class PackageAdvisoryTests
{
    private static Version Resolved(string package)
    {
        var library = DependencyContext.Default?.RuntimeLibraries.SingleOrDefault(l => l.Name == package)
            ?? throw new InvalidOperationException($"{package} is not in the test's dependency context.");
        return Version.Parse(library.Version);
    }

    [Fact]
    public void SystemDrawingCommon_ShouldResolveAVersionWithoutTheCriticalAdvisory_WhenClosedXmlBringsIt()
    {
        // GHSA-rxg9-xrhp-64gj (CVE-2021-24112, critical): fixed in 4.7.2 and 5.0.3; 4.7.3 is the 4.x that ClosedXML can use on Linux.
        var version = Resolved("System.Drawing.Common");

        var vulnerable = version < new Version(4, 7, 2) || (version.Major == 5 && version < new Version(5, 0, 3));

        Assert.False(vulnerable, $"System.Drawing.Common {version} has GHSA-rxg9-xrhp-64gj");
    }
}
