using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Web.Ingest;

namespace BounceDashboard.Web.Cli;

/// <summary>One line of <c>ingest</c> or <c>reclassify</c> output: what became of one stored message.</summary>
/// <param name="File">The path it was read from (<c>PATH#N</c> for the N-th message of an mbox); omitted by reclassify.</param>
/// <param name="Message">The stored inbound message's id.</param>
/// <param name="Duplicate">The message was stored before (same source key or same bytes): nothing changed.</param>
/// <param name="Changed">Something was written.</param>
public sealed record IngestedMessageLine(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? File,
    long Message,
    bool Duplicate,
    bool Changed,
    string Outcome,
    string? Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Format,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    IReadOnlyList<IngestedEventLine> Events)
{
    public static IngestedMessageLine From(string? file, IngestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new IngestedMessageLine(
            file,
            result.InboundMessageId,
            result.Duplicate,
            result.Changed,
            result.Outcome.ToCode(),
            result.Kind?.ToCode(),
            result.Format,
            result.Error,
            [.. result.Recipients.Select(r => new IngestedEventLine(r.Address, r.BounceEventId, r.DeliveryId, r.Applied, r.Effect.ToCode(), r.Reason.ToCode()))]);
    }
}

/// <summary>One bounce event of an ingested message: its recipient, the delivery it matched (null: unmatched) and what the rules did.</summary>
public sealed record IngestedEventLine(string Recipient, long Event, long? Delivery, bool Applied, string Effect, string Reason);

/// <summary>The stable lower-case words the ingest verbs print for the inbound enums, each mapped once.</summary>
public static class IngestCodes
{
    public static string ToCode(this InboundOutcome outcome) => outcome switch
    {
        InboundOutcome.Pending => "pending",
        InboundOutcome.Matched => "matched",
        InboundOutcome.Unmatched => "unmatched",
        InboundOutcome.NoRecipients => "norecipients",
        InboundOutcome.NotABounce => "notabounce",
        InboundOutcome.Unparseable => "unparseable",
        InboundOutcome.Dismissed => "dismissed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown inbound outcome."),
    };

    public static string ToCode(this BounceEffect effect) => effect switch
    {
        BounceEffect.None => "none",
        BounceEffect.RetryScheduled => "retryscheduled",
        BounceEffect.SoftBounced => "softbounced",
        BounceEffect.HardBounced => "hardbounced",
        BounceEffect.Complaint => "complaint",
        _ => throw new ArgumentOutOfRangeException(nameof(effect), effect, "Unknown bounce effect."),
    };
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IngestedMessageLine))]
internal sealed partial class IngestJsonContext : JsonSerializerContext
{
    /// <summary>As <see cref="CliJsonContext.Output"/>: '&lt;', '+' and non-ASCII letters as they are (read in a terminal, never HTML).</summary>
    public static IngestJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
