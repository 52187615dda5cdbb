using Xunit;

namespace BounceDashboard.Tests.Browser;

/// <summary>
/// The browser tests, one class after another and after every parallel test: each starts the app as a process and a
/// Chromium, and several of those beside the rest of the suite on a 2-core machine made waits for the page time out.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserTestsInTurn
{
    public const string Name = "Browser";
}
