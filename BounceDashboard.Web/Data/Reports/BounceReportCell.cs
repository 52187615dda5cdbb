using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Web.Data.Reports;

/// <summary>
/// One cell of the bounce report's summary table (<c>BounceReportCells</c>): how many bounces (<see cref="MessageKind.Bounce"/>
/// events) were received on one UTC day for one campaign, sending domain, sending IP, normalised reply, hard flag and
/// reason, and the newest of them as an example. The report sums cells for whole days and reads raw events only for the
/// partial days at either end of its period, so 12 months cost a few hundred thousand cells instead of every event.
/// </summary>
/// <remarks>
/// Written only by <see cref="BounceReportCellsInterceptor"/> (each save of bounce events, in the saving transaction) and
/// <see cref="BounceReportCellSql.RebuildAsync"/> (the seeder's bulk path and the one-time fill after the upgrade).
/// The key columns are never null, so one unique index can take an upsert on both providers: no campaign is 0, no sending
/// domain or IP is the empty string (<see cref="None"/>).
/// </remarks>
public sealed class BounceReportCell
{
    /// <summary>What a key column holds for "not matched to a send".</summary>
    public const string None = "";

    public long Id { get; private set; }

    /// <summary>The UTC day as <see cref="DateOnly.DayNumber"/> (days since 0001-01-01).</summary>
    public int Day { get; private set; }

    /// <summary>The campaign, or 0 for events not matched to a delivery.</summary>
    public long CampaignId { get; private set; }

    public string SendingDomain { get; private set; } = None;

    public string SendingIp { get; private set; } = None;

    public long PatternHash { get; private set; }

    public bool Hard { get; private set; }

    public BounceReason Reason { get; private set; }

    /// <summary>How many bounces; a cell whose events all moved elsewhere (re-matched, reclassified) keeps 0.</summary>
    public int Amount { get; private set; }

    /// <summary>The newest event counted in the cell: the report's "one real example".</summary>
    public long ExampleEventId { get; private set; }

    /// <summary>The UTC day number of a moment.</summary>
    public static int DayOf(DateTimeOffset at) => (int)(at.UtcTicks / TimeSpan.TicksPerDay);

    /// <summary>The start (UTC midnight) of a day number.</summary>
    public static DateTimeOffset StartOf(int day) => new(day * TimeSpan.TicksPerDay, TimeSpan.Zero);
}
