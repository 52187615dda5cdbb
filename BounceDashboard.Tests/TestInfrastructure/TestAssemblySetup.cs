using System.Runtime.CompilerServices;
using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>Runs before any test: the process-wide set-up the app's Program does first thing.</summary>
internal static class TestAssemblySetup
{
#pragma warning disable CA2255 // The test assembly is the host here: the registration must precede any test's MimeKit use.
    [ModuleInitializer]
    internal static void Initialize() => LegacyCharsets.Register();
#pragma warning restore CA2255
}
