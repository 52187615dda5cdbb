namespace BounceDashboard.Benchmarks.Pages;

/// <summary>
/// What one page asks the database for when a user opens it (or pages, sorts, filters it): the query-service calls the
/// page makes, in order, timed together as the page's server time.
/// </summary>
/// <param name="Page">The page, as the README names it.</param>
/// <param name="Case">What the user did on it ("first page", "search", "12 months by IP").</param>
/// <param name="RunAsync">The page's calls; the services come from the app's own DI container.</param>
public sealed record PageScenario(string Page, string Case, Func<IServiceProvider, CancellationToken, Task> RunAsync);
