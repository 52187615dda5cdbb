using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Api.Webhooks;

/// <summary>
/// Mailgun's JSON webhooks: <c>{"signature": {"timestamp", "token", "signature"}, "event-data": {...}}</c>. The signature
/// is the hex HMAC-SHA256 of timestamp + token with the webhook signing key
/// (<see cref="MailgunWebhookOptions.SigningKey"/>); a timestamp further than <see cref="MailgunWebhookOptions.MaxAge"/>
/// from our clock, or a token already used within that age (<see cref="MailgunTokenGuard"/>), is refused. Events read
/// through <see cref="ProviderMappings.Mailgun"/>; our token is the <c>bd_token</c> user variable we send in
/// <c>X-Mailgun-Variables</c>.
/// </summary>
public sealed class MailgunWebhook(IOptions<WebhooksOptions> options, MailgunTokenGuard tokens, TimeProvider time, ILogger<MailgunWebhook> logger) : IWebhookReceiver
{
    /// <summary>The user variable holding our token.</summary>
    public const string TokenVariable = "bd_token";

    public WebhookProvider Provider => WebhookProvider.Mailgun;

    public Task<WebhookReading> ReadAsync(HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var settings = options.Value.Mailgun;
        if (!settings.IsEnabled)
        {
            return Task.FromResult(WebhookReading.Unauthorized("The Mailgun webhook is not configured (Webhooks:Mailgun:SigningKey)."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Task.FromResult(WebhookReading.BadRequest("The body is not JSON."));
        }

        using (document)
        {
            var root = document.RootElement;
            var signature = Json.Object(root, "signature") ?? default;
            var now = time.GetUtcNow();
            if (!Verify(settings, Json.String(signature, "timestamp"), Json.String(signature, "token"), Json.String(signature, "signature"), now, out var problem)
                || !tokens.TryUse(Json.String(signature, "token")!, now, settings.MaxAge))
            {
                problem = string.IsNullOrEmpty(problem) ? "The signature token was used before." : problem;
                logger.LogWarning("Mailgun webhook refused: {Problem}", problem);
                return Task.FromResult(WebhookReading.Unauthorized(problem));
            }

            if (Json.Object(root, "event-data") is not { } data)
            {
                return Task.FromResult(WebhookReading.BadRequest("The body has no event-data object."));
            }

            return Task.FromResult(WebhookReading.Read([Read(data)]));
        }
    }

    public static bool Verify(MailgunWebhookOptions settings, string? timestamp, string? token, string? signature, DateTimeOffset now, out string problem)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(token) || string.IsNullOrEmpty(signature))
        {
            problem = "The signature object (timestamp, token, signature) is missing.";
            return false;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253_402_300_799
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > settings.MaxAge)
        {
            problem = "The signed timestamp is malformed or too far from our clock.";
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(settings.SigningKey!), Encoding.UTF8.GetBytes(timestamp + token));
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            problem = "The signature is not hex.";
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            problem = "The signature does not verify.";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    /// <summary>One Mailgun event-data object, in our terms.</summary>
    public static WebhookEvent Read(JsonElement data)
    {
        var name = (Json.String(data, "event") ?? string.Empty).ToLowerInvariant();
        var severity = Json.String(data, "severity");
        var key = name switch
        {
            "failed" when string.Equals(severity, "permanent", StringComparison.OrdinalIgnoreCase) => $"failed/permanent/{Json.String(data, "reason")}",
            "failed" => "failed/temporary",
            _ => name,
        };
        var mapping = ProviderMappings.Find(
            WebhookProvider.Mailgun, key, key.StartsWith("failed/permanent/", StringComparison.Ordinal) ? ProviderMappings.MailgunPermanentFallback : null);
        var status = Json.Object(data, "delivery-status") ?? default;
        var diagnostic = Json.String(status, "description") is { Length: > 0 } description ? description : Json.String(status, "message");
        var headers = Json.Object(Json.Object(data, "message") ?? default, "headers") ?? default;
        var eventId = Json.String(data, "id")
            ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(data.GetRawText())));
        return new WebhookEvent(
            WebhookProvider.Mailgun,
            eventId,
            mapping,
            $"webhook:mailgun:{key}",
            Json.String(data, "recipient"),
            Json.UnixTime(data, "timestamp"),
            Status: Json.String(status, "enhanced-code"),
            ReplyCode: Json.String(status, "code"),
            Diagnostic: diagnostic,
            RemoteMta: Json.String(status, "mx-host"),
            Token: Json.String(Json.Object(data, "user-variables") ?? default, TokenVariable),
            MessageId: Json.String(headers, "message-id"),
            Url: Json.String(data, "url"));
    }
}

/// <summary>
/// Mailgun signature tokens seen within their accepted age, so a captured request cannot be replayed. In memory: a
/// restart forgets them, and a token older than the age is refused by its timestamp anyway.
/// </summary>
public sealed class MailgunTokenGuard
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>True the first time a token is offered within <paramref name="maxAge"/>.</summary>
    public bool TryUse(string token, DateTimeOffset now, TimeSpan maxAge)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        if (_seen.Count > PruneAbove)
        {
            foreach (var (old, expires) in _seen)
            {
                if (expires < now)
                {
                    _seen.TryRemove(old, out _);
                }
            }
        }

        var expiry = now + (maxAge * 2);
        if (_seen.TryAdd(token, expiry))
        {
            return true;
        }

        // A token whose entry expired may be used again (its timestamp check has refused it long before).
        return _seen.TryGetValue(token, out var current) && current < now && _seen.TryUpdate(token, expiry, current);
    }
}
