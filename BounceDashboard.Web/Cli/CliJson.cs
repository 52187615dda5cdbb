using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;

namespace BounceDashboard.Web.Cli;

/// <summary>One line of <c>classify</c> output: what the engine made of one message.</summary>
public sealed record ClassifiedMessage(
    string File,
    string Kind,
    IReadOnlyList<ClassifiedRecipient> Recipients,
    ClassifiedMatch Match,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Format)
{
    public static ClassifiedMessage From(string file, BounceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var recipients = report.Recipients.Select(ClassifiedRecipient.From).ToArray();
        var match = new ClassifiedMatch(
            report.Match.Token,
            report.Match.VerpToken,
            report.Match.TrackingToken,
            report.Match.OriginalMessageId,
            report.Match.OriginalEnvelopeId);
        return new ClassifiedMessage(file, report.Kind.ToCode(), recipients, match, report.Error, report.Format);
    }
}

public sealed record ClassifiedRecipient(
    string Address,
    string? Status,
    string? Reply,
    string Reason,
    bool Permanent,
    bool Hard,
    string? Diagnostic,
    string Rule,
    string? FeedbackType,
    string Action,
    string? RemoteMta,
    string Explanation)
{
    public static ClassifiedRecipient From(BounceRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return new ClassifiedRecipient(
            recipient.Address,
            recipient.Status?.ToString(),
            recipient.ReplyCode,
            recipient.Reason.ToCode(),
            recipient.Permanent,
            recipient.Hard,
            recipient.Diagnostic,
            recipient.Rule,
            recipient.FeedbackType,
            recipient.Action.ToCode(),
            recipient.RemoteMta,
            recipient.Explanation);
    }
}

/// <summary>What ties the message to our delivery; <c>token</c> is the best of the VERP and tracking-header tokens.</summary>
public sealed record ClassifiedMatch(string? Token, string? VerpToken, string? TrackingToken, string? MessageId, string? EnvelopeId);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ClassifiedMessage))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context classify writes with: the same shape as <see cref="Default"/>, but '&lt;', '&gt;', '+' and
    /// non-ASCII letters are written as they are (people read this in a terminal; it is never embedded in HTML).
    /// </summary>
    public static CliJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
