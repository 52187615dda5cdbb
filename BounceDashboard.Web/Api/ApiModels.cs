using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Web.Api;

/// <summary>A page of a list: the items, how many the filters match in all, and where this page is.</summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, int TotalCount, int Page, int PageSize);

/// <summary>The body of <c>POST /api/v1/suppressions</c>. Unknown fields are refused (400).</summary>
/// <param name="Address">The address to suppress.</param>
/// <param name="Reason">Why (required; recorded as the entry's note and in the audit log).</param>
public sealed record AddSuppressionRequest(string? Address, string? Reason);

/// <summary>One address's suppression: whether it is in force and every entry it has had, newest first.</summary>
public sealed record AddressSuppressions(string Address, bool Suppressed, IReadOnlyList<SuppressionRow> Entries);

/// <summary>What a command did, in words.</summary>
public sealed record ApiCommandResult(string Address, string Message);

/// <summary>A contact, its counters, suppression entries and its newest history entries.</summary>
public sealed record ContactResponse(ContactDetails Contact, IReadOnlyList<ContactHistoryItem> History, bool MoreHistory);

/// <summary>One history entry: <see cref="Type"/> says which one of the four entries is set.</summary>
public sealed record ContactHistoryItem(
    string Type,
    DateTimeOffset At,
    DeliveryHistoryEntry? Delivery,
    BounceHistoryEntry? Bounce,
    TrackingHistoryEntry? Tracking,
    AuditHistoryEntry? Audit)
{
    public static ContactHistoryItem From(ContactHistoryEntry entry) => entry switch
    {
        DeliveryHistoryEntry d => new("delivery", d.At, d, null, null, null),
        BounceHistoryEntry b => new("bounce", b.At, null, b, null, null),
        TrackingHistoryEntry t => new("tracking", t.At, null, null, t, null),
        AuditHistoryEntry a => new("audit", a.At, null, null, null, a),
        _ => throw new ArgumentOutOfRangeException(nameof(entry), entry?.GetType().Name, "Unknown history entry."),
    };
}

/// <summary>
/// What the engine read from a posted message and what was stored. <see cref="Duplicate"/>: the same bytes were posted
/// (or polled) before; nothing changed and this is the earlier outcome.
/// </summary>
public sealed record RawBounceResponse(
    long InboundMessageId,
    bool Duplicate,
    InboundOutcome Outcome,
    MessageKind? Kind,
    string? Format,
    string? Error,
    IReadOnlyList<RawBounceRecipient> Recipients);

/// <summary>One recipient the report names: the reason read, the delivery it was matched to (null when none), what the rules did.</summary>
public sealed record RawBounceRecipient(
    string Address,
    BounceReason Reason,
    long? MatchedDeliveryId,
    long BounceEventId,
    bool Applied,
    BounceEffect Effect);

/// <summary>
/// The body a route reads itself, for the OpenAPI document only. Not <c>Accepts(...)</c>: that makes routing refuse
/// another content type before the route runs, as a bare 415 behind the sign-in redirect instead of our problem details.
/// </summary>
public sealed record ApiRequestBody(string ContentType, Type Type);
