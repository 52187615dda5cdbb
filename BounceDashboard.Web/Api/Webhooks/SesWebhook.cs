using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using BounceDashboard.Domain.Tracking;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Api.Webhooks;

/// <summary>
/// Amazon SES notifications delivered by an SNS HTTPS subscription. The SNS message is checked before anything is read
/// from it: its topic must be one of <see cref="SesWebhookOptions.TopicArns"/> (an SNS signature only proves that SNS
/// sent it, and anyone can own a topic), and its signature (SignatureVersion 1, SHA1withRSA, or 2, SHA256withRSA) must
/// verify with the certificate at SigningCertURL, fetched over https from an allowed host only
/// (<see cref="SnsCertificateSource"/>). A SubscriptionConfirmation for an accepted topic is confirmed by fetching its
/// SubscribeURL (https, allowed host); a Notification's Message is the SES event: Bounce, Complaint, Delivery (and, with
/// event publishing, DeliveryDelay, Open, Click), read through <see cref="ProviderMappings.Ses"/>.
/// </summary>
public sealed class SesWebhook(
    IOptions<WebhooksOptions> options,
    SnsCertificateSource certificates,
    IHttpClientFactory httpClients,
    ILogger<SesWebhook> logger) : IWebhookReceiver
{
    public const string HttpClientName = "Webhooks.Sns";

    public WebhookProvider Provider => WebhookProvider.Ses;

    private static WebhookReading NotConfirmed { get; } =
        new(StatusCodes.Status502BadGateway, "SNS did not confirm the subscription; it sends the confirmation again.", []);

    public async Task<WebhookReading> ReadAsync(HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var settings = options.Value.Ses;
        if (!settings.IsEnabled)
        {
            return WebhookReading.Unauthorized("The SES webhook is not configured (Webhooks:Ses:TopicArns).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return WebhookReading.BadRequest("The body is not JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (SnsMessage.TryRead(root) is not { } message)
            {
                return WebhookReading.BadRequest("The body is not an SNS message (Type, MessageId, TopicArn, Timestamp).");
            }

            if (!settings.TopicArns.Contains(message.TopicArn, StringComparer.Ordinal))
            {
                logger.LogWarning("SNS message from a topic that is not configured: refused");
                return WebhookReading.Unauthorized("The SNS topic is not one of Webhooks:Ses:TopicArns.");
            }

            if (!await VerifyAsync(message, settings, cancellationToken))
            {
                return WebhookReading.Unauthorized("The SNS signature is missing or does not verify.");
            }

            switch (message.Type)
            {
                case SnsMessage.SubscriptionConfirmation:
                    return await ConfirmAsync(message, settings, cancellationToken);
                case SnsMessage.UnsubscribeConfirmation:
                    logger.LogWarning("SNS unsubscribed this endpoint from topic {TopicArn}", message.TopicArn);
                    return WebhookReading.Read([], "unsubscribed");
                case SnsMessage.Notification:
                    break;
                default:
                    return WebhookReading.BadRequest($"Unknown SNS message type '{message.Type}'.");
            }

            try
            {
                using var notification = JsonDocument.Parse(message.Message ?? string.Empty);
                return WebhookReading.Read(ReadNotification(notification.RootElement, message.MessageId));
            }
            catch (JsonException)
            {
                return WebhookReading.BadRequest("The SNS Message is not an SES notification (JSON).");
            }
        }
    }

    /// <summary>The events of one SES notification (the SNS Message), one per recipient.</summary>
    public static IReadOnlyList<WebhookEvent> ReadNotification(JsonElement root, string snsMessageId)
    {
        var type = Json.String(root, "notificationType") ?? Json.String(root, "eventType") ?? string.Empty;
        var mail = Json.Object(root, "mail") ?? default;
        var (token, messageId) = OurHeaders(mail);
        var events = new List<WebhookEvent>();
        void Add(string eventId, ProviderMapping mapping, string rule, string? recipient, DateTimeOffset? at, int count,
            string? status = null, string? diagnostic = null, string? remoteMta = null, string? feedbackType = null, string? url = null) =>
            events.Add(new WebhookEvent(
                WebhookProvider.Ses, eventId, mapping, $"webhook:ses:{rule}", recipient, at, status, null, diagnostic, remoteMta,
                feedbackType, token, messageId, url, OneOfMany: count > 1));

        switch (type)
        {
            case "Bounce":
            {
                var bounce = Json.Object(root, "bounce") ?? default;
                var key = $"{Json.String(bounce, "bounceType")}/{Json.String(bounce, "bounceSubType")}";
                var mapping = ProviderMappings.Find(WebhookProvider.Ses, key, ProviderMappings.SesBounceFallback(Json.String(bounce, "bounceType")));
                var recipients = Json.Array(bounce, "bouncedRecipients").ToList();
                var eventId = Json.String(bounce, "feedbackId") ?? snsMessageId;
                var mta = RemoteMta(Json.String(bounce, "reportingMTA"));
                foreach (var r in recipients)
                {
                    Add(eventId, mapping, key, Json.String(r, "emailAddress"), Json.Time(bounce, "timestamp"), recipients.Count,
                        Json.String(r, "status"), Json.String(r, "diagnosticCode"), mta);
                }

                break;
            }

            case "Complaint":
            {
                var complaint = Json.Object(root, "complaint") ?? default;
                var recipients = Json.Array(complaint, "complainedRecipients").ToList();
                var eventId = Json.String(complaint, "feedbackId") ?? snsMessageId;
                foreach (var r in recipients)
                {
                    Add(eventId, ProviderMappings.Ses[type], type, Json.String(r, "emailAddress"), Json.Time(complaint, "timestamp"), recipients.Count,
                        feedbackType: Json.String(complaint, "complaintFeedbackType"));
                }

                break;
            }

            case "Delivery":
            {
                var delivery = Json.Object(root, "delivery") ?? default;
                var recipients = Json.Array(delivery, "recipients").Select(r => r.ValueKind == JsonValueKind.String ? r.GetString() : null).ToList();
                var eventId = Json.String(mail, "messageId") is { } sesId ? $"{sesId}:delivery" : snsMessageId;
                foreach (var r in recipients)
                {
                    Add(eventId, ProviderMappings.Ses[type], type, r, Json.Time(delivery, "timestamp"), recipients.Count,
                        diagnostic: Json.String(delivery, "smtpResponse"), remoteMta: Json.String(delivery, "reportingMTA"));
                }

                break;
            }

            case "DeliveryDelay":
            {
                var delay = Json.Object(root, "deliveryDelay") ?? default;
                var recipients = Json.Array(delay, "delayedRecipients").ToList();
                foreach (var r in recipients)
                {
                    Add(snsMessageId, ProviderMappings.Ses[type], type, Json.String(r, "emailAddress"),
                        Json.Time(delay, "timestamp"), recipients.Count, Json.String(r, "status"), Json.String(r, "diagnosticCode"),
                        RemoteMta(Json.String(delay, "reportingMTA")));
                }

                break;
            }

            case "Open" or "Click":
            {
                var hit = Json.Object(root, type.ToLowerInvariant()) ?? default;
                var recipients = Json.Array(mail, "destination").Select(r => r.ValueKind == JsonValueKind.String ? r.GetString() : null).ToList();
                foreach (var r in recipients)
                {
                    Add(snsMessageId, ProviderMappings.Ses[type], type, r, Json.Time(hit, "timestamp"), recipients.Count, url: Json.String(hit, "link"));
                }

                break;
            }

            default:
                // Send, Reject, Subscription, and what SES adds later: read, nothing to record.
                Add(snsMessageId, ProviderMappings.Find(WebhookProvider.Ses, type), type, null, null, 1);
                break;
        }

        return events;
    }

    /// <summary>
    /// Our token header and our Message-ID among the original headers SES returns in <c>mail.headers</c> (when the
    /// identity's notifications include them); SES rewrites the Message-ID it sends, so only the copy there is ours.
    /// </summary>
    private static (string? Token, string? MessageId) OurHeaders(JsonElement mail)
    {
        string? token = null, messageId = null;
        foreach (var header in Json.Array(mail, "headers"))
        {
            var name = Json.String(header, "name");
            if (string.Equals(name, TrackingHeaders.Token, StringComparison.OrdinalIgnoreCase))
            {
                token ??= Json.String(header, "value");
            }
            else if (string.Equals(name, "Message-ID", StringComparison.OrdinalIgnoreCase))
            {
                messageId ??= Json.String(header, "value");
            }
        }

        return (token, messageId);
    }

    /// <summary>"dsn; a4-8.smtp-out.eu-west-1.amazonses.com" names the MTA after its type.</summary>
    private static string? RemoteMta(string? reportingMta) =>
        reportingMta is null ? null : reportingMta.Contains(';', StringComparison.Ordinal) ? reportingMta[(reportingMta.IndexOf(';', StringComparison.Ordinal) + 1)..].Trim() : reportingMta.Trim();

    private async Task<bool> VerifyAsync(SnsMessage message, SesWebhookOptions settings, CancellationToken cancellationToken)
    {
        var hash = message.SignatureVersion switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => (HashAlgorithmName?)null,
        };
        if (hash is null || !SnsHosts.IsAllowed(message.SigningCertUrl, settings.EffectiveAllowedHosts))
        {
            logger.LogWarning("SNS message with signature version {Version} or a certificate URL that is not allowed: refused", message.SignatureVersion);
            return false;
        }

        var signature = new byte[message.Signature.Length];
        if (!Convert.TryFromBase64String(message.Signature, signature, out var length) || length == 0)
        {
            return false;
        }

        using var certificate = await certificates.GetAsync(new Uri(message.SigningCertUrl), cancellationToken);
        if (certificate is null)
        {
            return false;
        }

        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null
            && rsa.VerifyData(Encoding.UTF8.GetBytes(message.StringToSign()), signature.AsSpan(0, length), hash.Value, RSASignaturePadding.Pkcs1);
    }

    private async Task<WebhookReading> ConfirmAsync(SnsMessage message, SesWebhookOptions settings, CancellationToken cancellationToken)
    {
        if (!settings.ConfirmSubscriptions)
        {
            logger.LogWarning("SNS subscription confirmation for topic {TopicArn} not confirmed: Webhooks:Ses:ConfirmSubscriptions is off", message.TopicArn);
            return WebhookReading.Read([], "subscription not confirmed (Webhooks:Ses:ConfirmSubscriptions is off)");
        }

        if (!SnsHosts.IsAllowed(message.SubscribeUrl, settings.EffectiveAllowedHosts))
        {
            return WebhookReading.BadRequest("The SubscribeURL is not an https URL on an allowed host.");
        }

        using var client = httpClients.CreateClient(HttpClientName);
        try
        {
            using var response = await client.GetAsync(new Uri(message.SubscribeUrl!), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Confirming the SNS subscription to {TopicArn} failed: {Status}", message.TopicArn, (int)response.StatusCode);
                return NotConfirmed;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Confirming the SNS subscription to {TopicArn} failed: {Error}", message.TopicArn, ex.GetType().Name);
            return NotConfirmed;
        }

        logger.LogInformation("Confirmed the SNS subscription to topic {TopicArn}", message.TopicArn);
        return WebhookReading.Read([], "subscription confirmed");
    }
}

/// <summary>The fields of an SNS HTTP(S) message that are signed or needed.</summary>
public sealed record SnsMessage(
    string Type,
    string MessageId,
    string TopicArn,
    string Timestamp,
    string Signature,
    string SignatureVersion,
    string SigningCertUrl,
    string? Message,
    string? Subject,
    string? SubscribeUrl,
    string? Token)
{
    public const string Notification = "Notification";
    public const string SubscriptionConfirmation = "SubscriptionConfirmation";
    public const string UnsubscribeConfirmation = "UnsubscribeConfirmation";

    public static SnsMessage? TryRead(JsonElement root)
    {
        string? Field(string name) => Json.String(root, name);
        if (root.ValueKind != JsonValueKind.Object
            || Field("Type") is not { } type || Field("MessageId") is not { } id || Field("TopicArn") is not { } topic
            || Field("Timestamp") is not { } timestamp)
        {
            return null;
        }

        // A missing signature or certificate URL is read as empty: it fails verification (401), like a wrong one.
        return new SnsMessage(
            type, id, topic, timestamp, Field("Signature") ?? string.Empty, Field("SignatureVersion") ?? string.Empty,
            Field("SigningCertURL") ?? Field("SigningCertUrl") ?? string.Empty,
            Field("Message"), Field("Subject"), Field("SubscribeURL") ?? Field("SubscribeUrl"), Field("Token"));
    }

    /// <summary>
    /// The string SNS signs: "Name\nvalue\n" for each signed field in byte order of the names; a Notification signs
    /// Message, MessageId, Subject (when present), Timestamp, TopicArn, Type; a confirmation signs Message, MessageId,
    /// SubscribeURL, Timestamp, Token, TopicArn, Type (docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html).
    /// </summary>
    public string StringToSign()
    {
        var text = new StringBuilder();
        void Append(string name, string? value)
        {
            if (value is not null)
            {
                text.Append(name).Append('\n').Append(value).Append('\n');
            }
        }

        Append("Message", Message);
        Append("MessageId", MessageId);
        if (Type == Notification)
        {
            Append("Subject", Subject);
        }
        else
        {
            Append("SubscribeURL", SubscribeUrl);
        }

        Append("Timestamp", Timestamp);
        if (Type != Notification)
        {
            Append("Token", Token);
        }

        Append("TopicArn", TopicArn);
        Append("Type", Type);
        return text.ToString();
    }
}

/// <summary>Which URLs SNS's certificate and subscription confirmation may come from.</summary>
public static class SnsHosts
{
    /// <summary>True for an absolute https URL on the default port, without user info, whose host matches a pattern.</summary>
    public static bool IsAllowed(string? url, IReadOnlyList<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && uri.Scheme == Uri.UriSchemeHttps
            && uri.IsDefaultPort
            && string.IsNullOrEmpty(uri.UserInfo)
            && patterns.Any(p => Matches(uri.IdnHost, p));
    }

    /// <summary>Label by label, case-insensitively; <c>*</c> stands for one label of letters, digits and dashes.</summary>
    public static bool Matches(string host, string pattern)
    {
        var hostLabels = host.TrimEnd('.').Split('.');
        var patternLabels = pattern.Trim().TrimEnd('.').Split('.');
        if (hostLabels.Length != patternLabels.Length)
        {
            return false;
        }

        for (var i = 0; i < hostLabels.Length; i++)
        {
            var label = hostLabels[i];
            var ok = patternLabels[i] == "*"
                ? label.Length > 0 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                : string.Equals(label, patternLabels[i], StringComparison.OrdinalIgnoreCase);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// SNS signing certificates by URL, fetched through the <see cref="SesWebhook.HttpClientName"/> client (tests give it a
/// local handler) and kept for the life of the process; a certificate outside its validity dates is refused.
/// </summary>
public sealed class SnsCertificateSource(IHttpClientFactory httpClients, TimeProvider time, ILogger<SnsCertificateSource> logger)
{
    private const int MaxCached = 32;
    private const int MaxCertificateBytes = 64 * 1024;
    private readonly ConcurrentDictionary<string, byte[]> _cache = new(StringComparer.Ordinal);

    /// <summary>The certificate (a new instance the caller disposes), or null when it cannot be fetched or read.</summary>
    public async Task<X509Certificate2?> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var key = url.AbsoluteUri;
        if (!_cache.TryGetValue(key, out var raw))
        {
            try
            {
                using var client = httpClients.CreateClient(SesWebhook.HttpClientName);
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxCertificateBytes)
                {
                    logger.LogWarning("SNS signing certificate {Url}: HTTP {Status}", key, (int)response.StatusCode);
                    return null;
                }

                raw = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                logger.LogWarning("SNS signing certificate {Url} could not be fetched: {Error}", key, ex.GetType().Name);
                return null;
            }

            if (raw.Length > MaxCertificateBytes)
            {
                return null;
            }

            if (_cache.Count < MaxCached)
            {
                _cache[key] = raw;
            }
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(raw);
        }
        catch (CryptographicException)
        {
            logger.LogWarning("SNS signing certificate {Url} is not a certificate", key);
            _cache.TryRemove(key, out _);
            return null;
        }

        var now = time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            logger.LogWarning("SNS signing certificate {Url} is outside its validity dates", key);
            certificate.Dispose();
            return null;
        }

        return certificate;
    }
}
