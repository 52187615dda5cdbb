using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Api.Webhooks;

/// <summary>
/// Postmark's webhooks (Bounce, SpamComplaint, Delivery, Open, Click, SubscriptionChange): one JSON object per request.
/// Postmark does not sign them: the request must carry the basic authentication (given in the webhook URL) and/or the
/// secret token header (a custom header of the webhook) configured in <see cref="PostmarkWebhookOptions"/>; when both
/// are configured both are required. Compared in constant time. Events read through <see cref="ProviderMappings.Postmark"/>;
/// our token is the <c>bd-token</c> metadata we send as <c>X-PM-Metadata-bd-token</c>.
/// </summary>
public sealed class PostmarkWebhook(IOptions<WebhooksOptions> options, ILogger<PostmarkWebhook> logger) : IWebhookReceiver
{
    /// <summary>The metadata key of our token (header <c>X-PM-Metadata-bd-token</c>).</summary>
    public const string TokenMetadata = "bd-token";

    public WebhookProvider Provider => WebhookProvider.Postmark;

    public Task<WebhookReading> ReadAsync(HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value.Postmark;
        if (!settings.IsEnabled)
        {
            return Task.FromResult(WebhookReading.Unauthorized("The Postmark webhook is not configured (Webhooks:Postmark)."));
        }

        if (!IsAuthorized(request, settings))
        {
            logger.LogWarning("Postmark webhook refused: missing or wrong credentials");
            return Task.FromResult(WebhookReading.Unauthorized("The basic authentication or the token header is missing or wrong."));
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Task.FromResult(WebhookReading.BadRequest("The body is not a JSON object."));
            }

            return Task.FromResult(WebhookReading.Read([Read(document.RootElement)]));
        }
        catch (JsonException)
        {
            return Task.FromResult(WebhookReading.BadRequest("The body is not JSON."));
        }
    }

    public static bool IsAuthorized(HttpRequest request, PostmarkWebhookOptions settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        var basic = !settings.HasBasicAuth || BasicMatches(request.Headers.Authorization.ToString(), settings.UserName!, settings.Password!);
        var token = !settings.HasToken || SameText(request.Headers[settings.TokenHeader].ToString(), settings.Token!);
        return basic && token;
    }

    private static bool BasicMatches(string header, string userName, string password)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || value.Parameter is null)
        {
            return false;
        }

        var buffer = new byte[value.Parameter.Length];
        if (!Convert.TryFromBase64String(value.Parameter, buffer, out var length))
        {
            return false;
        }

        return SameText(Encoding.UTF8.GetString(buffer, 0, length), $"{userName}:{password}");
    }

    private static bool SameText(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>One Postmark webhook payload, in our terms.</summary>
    public static WebhookEvent Read(JsonElement item)
    {
        var recordType = Json.String(item, "RecordType") ?? string.Empty;
        var messageId = Json.String(item, "MessageID") ?? string.Empty;
        string key, eventId;
        string? recipient, diagnostic = null, url = null;
        DateTimeOffset? at;
        switch (recordType)
        {
            case "Bounce" or "SpamComplaint":
                key = recordType == "Bounce" ? $"Bounce/{Json.String(item, "Type")}" : recordType;
                eventId = $"bounce:{Json.String(item, "ID") ?? messageId}";
                recipient = Json.String(item, "Email");
                at = Json.Time(item, "BouncedAt");
                diagnostic = Json.String(item, "Details") is { Length: > 0 } details ? details : Json.String(item, "Description");
                break;
            case "Delivery":
                key = recordType;
                eventId = $"delivery:{messageId}";
                recipient = Json.String(item, "Recipient");
                at = Json.Time(item, "DeliveredAt");
                diagnostic = Json.String(item, "Details");
                break;
            case "Open" or "Click":
                key = recordType;
                recipient = Json.String(item, "Recipient");
                at = Json.Time(item, "ReceivedAt");
                url = Json.String(item, "OriginalLink");
                eventId = $"{recordType.ToLowerInvariant()}:{messageId}:{Json.String(item, "ReceivedAt")}";
                break;
            case "SubscriptionChange":
                key = Json.String(item, "SuppressSending") == "true" ? $"SubscriptionChange/{Json.String(item, "SuppressionReason")}" : "SubscriptionChange/Reactivated";
                recipient = Json.String(item, "Recipient");
                at = Json.Time(item, "ChangedAt");
                eventId = $"subscription:{messageId}:{Json.String(item, "ChangedAt")}";
                break;
            default:
                key = recordType;
                recipient = Json.String(item, "Recipient") ?? Json.String(item, "Email");
                at = null;
                eventId = $"{recordType}:{messageId}";
                break;
        }

        return new WebhookEvent(
            WebhookProvider.Postmark,
            eventId,
            ProviderMappings.Find(WebhookProvider.Postmark, key),
            $"webhook:postmark:{key}",
            recipient,
            at,
            Diagnostic: diagnostic,
            Token: Json.String(Json.Object(item, "Metadata") ?? default, TokenMetadata),
            Url: url);
    }
}
