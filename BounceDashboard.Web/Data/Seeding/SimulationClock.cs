namespace BounceDashboard.Web.Data.Seeding;

/// <summary>The demo's clock: the generator moves it to each simulated moment before it calls the domain rules.</summary>
internal sealed class SimulationClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
