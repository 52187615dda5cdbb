using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Inbound;

namespace BounceDashboard.Web.Ingest;

/// <summary>What storing (or re-classifying) one inbound message did.</summary>
/// <param name="InboundMessageId">The stored message (the earlier one when <paramref name="Duplicate"/>).</param>
/// <param name="Duplicate">The same source key or the same bytes were stored before: nothing changed, this is the earlier outcome.</param>
/// <param name="Changed">Something was written: the message, its reading or one of its events.</param>
/// <param name="Outcome">The message's outcome.</param>
/// <param name="Kind">The engine's kind; null when the message was never classified.</param>
/// <param name="Format">The engine's format that read it.</param>
/// <param name="Error">Why the engine could not read it.</param>
/// <param name="Recipients">One entry per bounce event of the message.</param>
public sealed record IngestResult(
    long InboundMessageId,
    bool Duplicate,
    bool Changed,
    InboundOutcome Outcome,
    MessageKind? Kind,
    string? Format,
    string? Error,
    IReadOnlyList<IngestedRecipient> Recipients);

/// <summary>One bounce event of an inbound message.</summary>
/// <param name="Address">The recipient the report names (empty when it names none).</param>
/// <param name="BounceEventId">The stored event.</param>
/// <param name="DeliveryId">The delivery it was matched to; null while unmatched.</param>
/// <param name="Applied">The rules have applied it.</param>
/// <param name="Effect">What the rules did; <see cref="BounceEffect.None"/> until applied.</param>
/// <param name="Reason">The event's reason as stored.</param>
public sealed record IngestedRecipient(
    string Address,
    long BounceEventId,
    long? DeliveryId,
    bool Applied,
    BounceEffect Effect,
    BounceReason Reason);

/// <summary>Which stored messages <see cref="InboundIngest.FindToReclassifyAsync"/> selects.</summary>
public enum ReclassifyScope
{
    /// <summary>Messages last read by another engine version than <see cref="Domain.Parsing.EngineVersion.Current"/> (or never read).</summary>
    Stale = 0,
    /// <summary>Every message that still has its raw bytes.</summary>
    All = 1,
    /// <summary>Messages the engine could not read.</summary>
    Unparsed = 2,
    /// <summary>Messages with a recipient no delivery was found for, or naming no recipient.</summary>
    Unmatched = 3,
}

/// <summary>One message to store with <see cref="InboundIngest.IngestBatchAsync"/>.</summary>
public sealed record InboundItem(InboundSource Source, string SourceKey, ReadOnlyMemory<byte> Content);

/// <summary>What <see cref="InboundIngest.IngestBatchAsync"/> did with one message: its result, or why the entity refused it.</summary>
public sealed record IngestAttempt(IngestResult? Result, Domain.Common.DomainException? Error);
