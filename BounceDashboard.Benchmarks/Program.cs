using BounceDashboard.Benchmarks.Eval;
using BounceDashboard.Benchmarks.Pages;
using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Benchmarks;

/// <summary>
/// The developer tooling's entry point. A console project, so <c>dotnet run</c> starts it in the folder the command was
/// typed in and relative paths mean what they say.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // Before anything can touch MimeKit: it remembers which charsets exist.
        LegacyCharsets.Register();

        var application = new BenchmarkApplication(
        [
            new EvalCommand(new BounceEngine(), TimeProvider.System, Environment.CurrentDirectory),
            new PageBenchCommand(PageScenarios.CreateServices, PageScenarios.ForAsync),
        ]);
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        return await application.RunAsync(args, Console.Out, Console.Error, cts.Token);
    }
}
