using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Api.Webhooks;

/// <summary>
/// SendGrid's signed Event Webhook: a JSON array of events, signed with ECDSA P-256 over SHA-256 of the
/// <c>X-Twilio-Email-Event-Webhook-Timestamp</c> header followed by the raw body; the base64 DER signature is in
/// <c>X-Twilio-Email-Event-Webhook-Signature</c>, the public key in <see cref="SendGridWebhookOptions.PublicKey"/>. A
/// timestamp further than <see cref="SendGridWebhookOptions.MaxAge"/> from our clock is refused. Events read through
/// <see cref="ProviderMappings.SendGrid"/>; our token is the <c>bd_token</c> unique argument we send in <c>X-SMTPAPI</c>
/// (SendGrid returns unique arguments as top-level fields of each event).
/// </summary>
public sealed class SendGridWebhook(IOptions<WebhooksOptions> options, TimeProvider time, ILogger<SendGridWebhook> logger) : IWebhookReceiver
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    public WebhookProvider Provider => WebhookProvider.SendGrid;

    public Task<WebhookReading> ReadAsync(HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value.SendGrid;
        if (!settings.IsEnabled)
        {
            return Task.FromResult(WebhookReading.Unauthorized("The SendGrid webhook is not configured (Webhooks:SendGrid:PublicKey)."));
        }

        string signature = request.Headers[SignatureHeader].ToString(), timestamp = request.Headers[TimestampHeader].ToString();
        if (!Verify(settings, signature, timestamp, body.Span, time.GetUtcNow(), out var problem))
        {
            logger.LogWarning("SendGrid webhook refused: {Problem}", problem);
            return Task.FromResult(WebhookReading.Unauthorized(problem));
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return Task.FromResult(WebhookReading.BadRequest("The body is not a JSON array of events."));
            }

            return Task.FromResult(WebhookReading.Read(document.RootElement.EnumerateArray().Select(Read).ToList()));
        }
        catch (JsonException)
        {
            return Task.FromResult(WebhookReading.BadRequest("The body is not JSON."));
        }
    }

    /// <summary>Checks the signature and the timestamp's age; the problem says which failed.</summary>
    public static bool Verify(SendGridWebhookOptions settings, string? signature, string? timestamp, ReadOnlySpan<byte> body, DateTimeOffset now, out string problem)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp))
        {
            problem = $"The {SignatureHeader} and {TimestampHeader} headers are required.";
            return false;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253_402_300_799
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > settings.MaxAge)
        {
            problem = "The signed timestamp is missing, malformed or too far from our clock.";
            return false;
        }

        var signatureBytes = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, signatureBytes, out var length))
        {
            problem = "The signature is not base64.";
            return false;
        }

        using var key = ImportKey(settings.PublicKey!);
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + body.Length];
        var written = Encoding.UTF8.GetBytes(timestamp, signed);
        body.CopyTo(signed.AsSpan(written));
        if (!key.VerifyData(signed, signatureBytes.AsSpan(0, length), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
        {
            problem = "The signature does not verify.";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    /// <summary>SendGrid's verification key: base64 of a SubjectPublicKeyInfo, or the same in a PEM block.</summary>
    public static ECDsa ImportKey(string publicKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKey);
        var key = ECDsa.Create();
        try
        {
            if (publicKey.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                key.ImportFromPem(publicKey);
            }
            else
            {
                key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey.Trim()), out _);
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>One SendGrid event, in our terms.</summary>
    public static WebhookEvent Read(JsonElement item)
    {
        var name = Json.String(item, "event") ?? string.Empty;
        var key = name.ToLowerInvariant() switch
        {
            "bounce" => $"bounce/{Json.String(item, "type") ?? "bounce"}",
            "dropped" => $"dropped/{Json.String(item, "reason")}",
            _ => name,
        };
        var mapping = ProviderMappings.Find(WebhookProvider.SendGrid, key);
        if (mapping.Type == WebhookEventType.Bounce
            && Json.String(item, "bounce_classification") is { } classification
            && ProviderMappings.SendGridClassifications.TryGetValue(classification, out var reason))
        {
            mapping = mapping with { Reason = reason, ReasonFromStatus = false };
            key = $"{key}/{classification}";
        }

        var eventId = Json.String(item, "sg_event_id")
            ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(item.GetRawText())));
        var diagnostic = Json.String(item, "reason") ?? Json.String(item, "response");
        return new WebhookEvent(
            WebhookProvider.SendGrid,
            eventId,
            mapping,
            $"webhook:sendgrid:{key}",
            Json.String(item, "email"),
            Json.UnixTime(item, "timestamp"),
            Status: Json.String(item, "status"),
            Diagnostic: diagnostic,
            Token: Json.String(item, "bd_token")
                ?? Json.String(Json.Object(item, "unique_args") ?? default, "bd_token")
                ?? Json.String(Json.Object(item, "custom_args") ?? default, "bd_token"),
            MessageId: Json.String(item, "smtp-id"),
            Url: Json.String(item, "url"));
    }
}
