using BounceDashboard.Web.Options;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Tests.Components.Pages.Admin;

/// <summary>Answers the health page with a snapshot the test sets, a failure, or a read that never ends (loading).</summary>
public sealed class FakeHealthQueries : IHealthQueries
{
    public static readonly DateTimeOffset CheckedAt = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public HealthSnapshot Snapshot { get; set; } = Empty();

    public Exception? Failure { get; set; }

    public TaskCompletionSource? Pending { get; set; }

    public int Calls { get; private set; }

    public static HealthSnapshot Empty() => new(
        CheckedAt,
        [],
        new JobsHealth(1, 0, 0, 0, 0, 0, [], []),
        null,
        new SendQueueHealth(0, 0, null, 0, 0, 0, 0),
        new DatabaseHealth(DatabaseProvider.Sqlite, 4096),
        new VersionInfo("1.0.0", "2026.12.07.1", ".NET 10.0.0", "1.8.25.0"));

    public async Task<HealthSnapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        Calls++;
        if (Pending is not null)
        {
            await Pending.Task.WaitAsync(cancellationToken);
        }

        return Failure is not null ? throw Failure : Snapshot;
    }
}

/// <summary>Answers the settings page with what the test sets, or a failure.</summary>
public sealed class FakeSettingsQueries : ISettingsQueries
{
    public SettingsSnapshot Snapshot { get; set; } = new([], [], SettingsQueries.ReasonTable());

    public Exception? Failure { get; set; }

    public SettingsSnapshot Read() => Failure is not null ? throw Failure : Snapshot;
}
