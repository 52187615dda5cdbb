using System.Globalization;
using System.Text.Json;

namespace BounceDashboard.Web.Api.Webhooks;

/// <summary>How a provider's request was read: refused (401, 400, 502), or its events (possibly none) and a note.</summary>
public sealed record WebhookReading(int StatusCode, string? Problem, IReadOnlyList<WebhookEvent> Events, string? Note = null)
{
    public static WebhookReading Unauthorized(string problem) => new(StatusCodes.Status401Unauthorized, problem, []);

    public static WebhookReading BadRequest(string problem) => new(StatusCodes.Status400BadRequest, problem, []);

    public static WebhookReading Read(IReadOnlyList<WebhookEvent> events, string? note = null) => new(StatusCodes.Status200OK, null, events, note);
}

/// <summary>One provider's receiver: checks the request's signature or credentials, then reads its events.</summary>
public interface IWebhookReceiver
{
    WebhookProvider Provider { get; }

    Task<WebhookReading> ReadAsync(HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

/// <summary>Lenient readers of provider JSON: a field of the wrong type reads as missing, never throws.</summary>
internal static class Json
{
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;

    public static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    public static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    /// <summary>An ISO 8601 time ("2017-11-20T11:05:06.477Z").</summary>
    public static DateTimeOffset? Time(JsonElement element, string name) =>
        DateTimeOffset.TryParse(String(element, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>Unix seconds, whole or fractional (SendGrid's and Mailgun's timestamps).</summary>
    public static DateTimeOffset? UnixTime(JsonElement element, string name) =>
        double.TryParse(String(element, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 253_402_300_799
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;
}
