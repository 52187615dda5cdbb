using System.Security.Cryptography;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Domain.Inbound;

/// <summary>
/// One message that reached us (polled from a mailbox, read from a file, posted to the API or a webhook), stored
/// before the engine reads it so that nothing is lost: a message the engine cannot read, or whose recipients match
/// none of our deliveries, keeps its raw bytes and waits in the review queue until an admin or a better engine deals
/// with it.
/// </summary>
/// <remarks>
/// <para>
/// Idempotency: <see cref="SourceKey"/> is unique per <see cref="Source"/> (the same UID polled twice) and
/// <see cref="ContentHash"/> is unique (the same bytes arriving twice, through two sources or under two names), so a
/// replay finds the earlier row and changes nothing.
/// </para>
/// <para>
/// Raw bytes: kept for every message while the retention period runs, and for good for every outcome but
/// <see cref="InboundOutcome.Matched"/> (<see cref="DropRawContent"/>).
/// </para>
/// </remarks>
public sealed class InboundMessage
{
    /// <summary>
    /// Longest source key: a mailbox name and two 32-bit numbers, a UIDL (70 characters at most), or a full path
    /// (<see cref="FitSourceKey"/> shortens a longer one). With the source it stays within SQL Server's 1,700-byte index key.
    /// </summary>
    public const int SourceKeyMaxLength = 800;

    /// <summary>A SHA-256 digest in lower-case hex.</summary>
    public const int ContentHashLength = 64;

    /// <summary>Largest message stored (twice what the engine reads, <see cref="BounceEngine.MaxMessageBytes"/>).</summary>
    public const int MaxContentBytes = 2 * BounceEngine.MaxMessageBytes;

    public const int FormatMaxLength = 100;

    public const int ErrorMaxLength = 2000;

    public const int EngineVersionMaxLength = Parsing.EngineVersion.MaxLength;

    private InboundMessage()
    {
        SourceKey = string.Empty;
        ContentHash = string.Empty;
    }

    public long Id { get; private set; }

    public InboundSource Source { get; private set; }

    /// <summary>Identifies the message within its source (see <see cref="InboundSource"/> for each form); unique per source.</summary>
    public string SourceKey { get; private set; }

    /// <summary>SHA-256 of the raw bytes, lower-case hex; unique.</summary>
    public string ContentHash { get; private set; }

    /// <summary>Size of the raw message in bytes (kept after the bytes are dropped).</summary>
    public int Size { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public InboundOutcome Outcome { get; private set; }

    /// <summary>What the engine said the message is; null until classified.</summary>
    public MessageKind? Kind { get; private set; }

    /// <summary>The engine's format that read it ("rfc3464", "postfix"...); null when none did.</summary>
    public string? Format { get; private set; }

    /// <summary>Why the engine could not read it; null otherwise.</summary>
    public string? Error { get; private set; }

    /// <summary>The message as received; null once dropped after the retention period.</summary>
    public byte[]? RawContent { get; private set; }

    /// <summary>When the raw bytes were dropped; null while they are kept.</summary>
    public DateTimeOffset? RawContentDroppedAt { get; private set; }

    /// <summary>When the stored reading was made (or last changed by a re-classification); null until classified.</summary>
    public DateTimeOffset? ClassifiedAt { get; private set; }

    /// <summary>The <see cref="Parsing.EngineVersion"/> that made the stored reading; null until classified.</summary>
    public string? EngineVersion { get; private set; }

    public bool HasRawContent => RawContent is not null;

    /// <summary>
    /// The message waits for an admin: unreadable, read as no report at all, naming no recipient, or with a recipient we
    /// could not match. Every classified outcome but <see cref="InboundOutcome.Matched"/>.
    /// </summary>
    public bool AwaitsReview => Outcome is InboundOutcome.Unparseable or InboundOutcome.NotABounce or InboundOutcome.NoRecipients or InboundOutcome.Unmatched;

    /// <summary>SHA-256 of a raw message in lower-case hex: the <see cref="ContentHash"/> a message with these bytes gets.</summary>
    public static string HashOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The key as given when it fits <see cref="SourceKeyMaxLength"/>; otherwise its start and a SHA-256 digest of the whole, so it stays unique.</summary>
    public static string FitSourceKey(string sourceKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceKey);
        var key = sourceKey.Trim();
        if (key.Length <= SourceKeyMaxLength)
        {
            return key;
        }

        var digest = HashOf(System.Text.Encoding.UTF8.GetBytes(key));
        const string Marker = "...sha256:";
        return string.Concat(key.AsSpan(0, SourceKeyMaxLength - Marker.Length - digest.Length), Marker, digest);
    }

    /// <summary>A message just received, not yet classified (<see cref="InboundOutcome.Pending"/>); the bytes are copied.</summary>
    public static InboundMessage Receive(InboundSource source, string sourceKey, ReadOnlySpan<byte> content, DateTimeOffset receivedAt)
    {
        if (!Enum.IsDefined(source))
        {
            throw new DomainException($"Unknown inbound source {source}.");
        }

        if (content.IsEmpty)
        {
            throw new DomainException($"Inbound message '{sourceKey}' is empty.");
        }

        if (content.Length > MaxContentBytes)
        {
            throw new DomainException($"Inbound message '{sourceKey}' has {content.Length} bytes; at most {MaxContentBytes} are stored.");
        }

        return new InboundMessage
        {
            Source = source,
            SourceKey = TextLimits.Required(sourceKey, SourceKeyMaxLength, "Source key"),
            ContentHash = HashOf(content),
            Size = content.Length,
            ReceivedAt = receivedAt,
            Outcome = InboundOutcome.Pending,
            RawContent = content.ToArray(),
        };
    }

    /// <summary>
    /// Records the engine's reading. Returns false, and changes nothing (not even <see cref="ClassifiedAt"/>), when the
    /// reading is the one already stored, so a re-classification that learns nothing new leaves the row alone.
    /// </summary>
    public bool RecordClassification(InboundOutcome outcome, MessageKind kind, string? format, string? error, string engineVersion, DateTimeOffset at)
    {
        if (outcome == InboundOutcome.Pending || !Enum.IsDefined(outcome) || !Enum.IsDefined(kind))
        {
            throw new DomainException($"Inbound message {Id} cannot be classified as {outcome} ({kind}).");
        }

        if (outcome == InboundOutcome.Unparseable != (kind == MessageKind.Unparseable))
        {
            throw new DomainException($"Inbound message {Id}: outcome {outcome} does not fit kind {kind}.");
        }

        if (outcome == InboundOutcome.Matched && !HasRawContent && Outcome != InboundOutcome.Matched)
        {
            // Cannot happen through this class (only a matched message loses its bytes); guards a hand-edited row.
            throw new DomainException($"Inbound message {Id} has no raw bytes left to classify.");
        }

        var version = TextLimits.Required(engineVersion, EngineVersionMaxLength, "Engine version");
        var cutFormat = TextLimits.Truncate(format, FormatMaxLength);
        var cutError = TextLimits.Truncate(error, ErrorMaxLength);
        if (Outcome == outcome && Kind == kind && Format == cutFormat && Error == cutError
            && string.Equals(EngineVersion, version, StringComparison.Ordinal))
        {
            return false;
        }

        Outcome = outcome;
        Kind = kind;
        Format = cutFormat;
        Error = cutError;
        EngineVersion = version;
        ClassifiedAt = at;
        return true;
    }

    /// <summary>
    /// Unmatched → Matched once every event of the message has been matched later (an admin's review or a late match),
    /// so it leaves the review queue and its raw bytes follow the matched retention. Returns false when it was not
    /// waiting for a match.
    /// </summary>
    public bool RecordLateMatch(DateTimeOffset at)
    {
        if (Outcome != InboundOutcome.Unmatched)
        {
            return false;
        }

        Outcome = InboundOutcome.Matched;
        ClassifiedAt = at;
        return true;
    }

    /// <summary>
    /// An admin's decision that a message the engine could not use (unparseable, not a bounce, naming no recipient) needs
    /// nothing: it leaves the review queue and keeps its bytes. Returns false when it was already dismissed; a message with
    /// events (matched or not) is resolved through its events instead.
    /// </summary>
    public bool Dismiss(DateTimeOffset at)
    {
        if (Outcome == InboundOutcome.Dismissed)
        {
            return false;
        }

        if (Outcome is not (InboundOutcome.Unparseable or InboundOutcome.NotABounce or InboundOutcome.NoRecipients))
        {
            throw DomainException.IllegalTransition(nameof(InboundMessage), Id, Outcome, InboundOutcome.Dismissed);
        }

        Outcome = InboundOutcome.Dismissed;
        ClassifiedAt = at;
        return true;
    }

    /// <summary>
    /// Drops the raw bytes of a matched message once the retention period has passed. Returns false when they were
    /// already dropped. Any other outcome keeps its bytes (an admin or a better engine still needs them).
    /// </summary>
    public bool DropRawContent(DateTimeOffset at, TimeSpan retention)
    {
        if (retention < TimeSpan.Zero)
        {
            throw new DomainException($"A retention period cannot be negative ({retention}).");
        }

        if (!HasRawContent)
        {
            return false;
        }

        if (Outcome != InboundOutcome.Matched)
        {
            throw new DomainException($"Inbound message {Id} is {Outcome}, not {InboundOutcome.Matched}: its raw bytes are kept.");
        }

        if (at < ReceivedAt + retention)
        {
            throw new DomainException($"Inbound message {Id} was received at {ReceivedAt:O}; its raw bytes are kept until {ReceivedAt + retention:O}.");
        }

        RawContent = null;
        RawContentDroppedAt = at;
        return true;
    }
}
