using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Web.Queries;

/// <summary>What the bounce report groups by: the campaign's sending (From) domain or the IP the relay sent from.</summary>
public enum BounceReportGrouping
{
    SendingDomain = 0,
    SendingIp = 1,
}

/// <summary>
/// The bounce report's filters: bounces received in [<paramref name="From"/>, <paramref name="To"/>), of one campaign or
/// of all (<paramref name="CampaignId"/> null), grouped by <paramref name="GroupBy"/>.
/// </summary>
public sealed record BounceReportFilter(DateTimeOffset From, DateTimeOffset To, long? CampaignId, BounceReportGrouping GroupBy);

/// <summary>
/// One row of the report: a group (the sending domain or IP; null for bounces not matched to a send), one normalised
/// bounce text (the same reply with different addresses, ids, dates or numbers gives the same pattern), hard or soft,
/// the reason, and how many bounces (every bounce counts, so a message that bounced on several attempts counts
/// several times). <paramref name="Example"/> is one real diagnostic of the group, as received.
/// </summary>
public sealed record BounceReportRow(
    string? Group,
    string Pattern,
    string Example,
    int Amount,
    bool Hard,
    BounceReason Reason)
{
    /// <summary>What identifies the row for its drill-down.</summary>
    public BounceReportRowKey Key => new(Group, Pattern, Hard, Reason);
}

/// <summary>Identifies one report row (under the same filter) for its drill-down.</summary>
public sealed record BounceReportRowKey(string? Group, string Pattern, bool Hard, BounceReason Reason);

/// <summary>One bounce of the report: what the detail sheet and the drill-down list show.</summary>
public sealed record BounceDetailRow(
    long EventId,
    DateTimeOffset ReceivedAt,
    string? Group,
    string Recipient,
    long? CampaignId,
    string? CampaignName,
    bool Hard,
    BounceReason Reason,
    string? EnhancedStatus,
    string? Diagnostic,
    string Pattern);

/// <summary>
/// The bounce report's read side. Summary rows are sorted by amount (largest first); details by time (newest first).
/// The Stream methods read row by row for the exports, so memory stays flat however long the period.
/// </summary>
public interface IBounceReportQueries
{
    /// <summary>One page of the report's rows, and how many rows there are.</summary>
    Task<PagedResult<BounceReportRow>> SummaryAsync(BounceReportFilter filter, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>One page of the bounces behind one row (the drill-down).</summary>
    Task<PagedResult<BounceDetailRow>> DetailsAsync(BounceReportFilter filter, BounceReportRowKey row, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Every row of the report, in the order the table shows them.</summary>
    IAsyncEnumerable<BounceReportRow> StreamSummaryAsync(BounceReportFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Every bounce the report counts, one row per bounce.</summary>
    IAsyncEnumerable<BounceDetailRow> StreamDetailsAsync(BounceReportFilter filter, CancellationToken cancellationToken = default);
}
