using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Api.Webhooks;
using BounceDashboard.Web.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Api.Webhooks;

/// <summary>
/// The real app (Production, the test tracking key) on a fake clock, with every provider's webhook configured with keys
/// made here: an RSA self-signed certificate served as SNS's from <see cref="SnsHost"/> by a local handler (which also
/// records SubscribeURL fetches), an ECDSA P-256 key for SendGrid, an HMAC key for Mailgun, basic auth and a token for
/// Postmark. Shared by the webhook test classes.
/// </summary>
public sealed class WebhooksApp : IAsyncLifetime
{
    public const string SnsHost = "sns.test.example";
    public const string TopicArn = "arn:aws:sns:eu-west-1:123456789012:ses-bounces";
    public const string MailgunKey = "test-mailgun-signing-key-0123456789";
    public const string PostmarkUser = "postmark";
    public const string PostmarkPassword = "p0stmark-webhook-pass";
    public const string PostmarkToken = "postmark-secret-token";

    private readonly ConfiguredBounceDashboardApp _app;
    private int _seeded;

    public WebhooksApp()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=sns.test.example", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(5));
        SnsKey = RSA.Create();
        SnsKey.ImportParameters(rsa.ExportParameters(includePrivateParameters: true));
        Sns.Responses[CertificateUrl] = Encoding.ASCII.GetBytes(certificate.ExportCertificatePem());
        _app = ConfiguredBounceDashboardApp.Production(
            ("Webhooks:Ses:TopicArns:0", TopicArn),
            ("Webhooks:Ses:AllowedHosts:0", SnsHost),
            ("Webhooks:SendGrid:PublicKey", Convert.ToBase64String(SendGridKey.ExportSubjectPublicKeyInfo())),
            ("Webhooks:Mailgun:SigningKey", MailgunKey),
            ("Webhooks:Postmark:UserName", PostmarkUser),
            ("Webhooks:Postmark:Password", PostmarkPassword),
            ("Webhooks:Postmark:Token", PostmarkToken));
    }

    public static string CertificateUrl => $"https://{SnsHost}/SimpleNotificationService-test.pem";

    /// <summary>The private key of the certificate served at <see cref="CertificateUrl"/>.</summary>
    public RSA SnsKey { get; }

    public ECDsa SendGridKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The handler behind the SNS HTTP client: what it serves and what it was asked.</summary>
    public StubHandler Sns { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Factory = _app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Time);
            s.AddHttpClient(SesWebhook.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Sns);
        }));
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync("/Account/Login");
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        SnsKey.Dispose();
        SendGridKey.Dispose();
    }

    public HttpClient CreateClient() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public async Task<BounceDbContext> CreateContextAsync() =>
        await Factory.Services.GetRequiredService<IDbContextFactory<BounceDbContext>>().CreateDbContextAsync();

    /// <summary>A contact, a campaign and a delivery to the contact, sent an hour ago; with its token and Message-ID.</summary>
    public async Task<Seeded> SeedDeliveryAsync()
    {
        var n = Interlocked.Increment(ref _seeded);
        await using var db = await CreateContextAsync();
        var sentAt = Time.GetUtcNow().AddHours(-1);
        var contact = Contact.Create($"reader{n}-{Guid.NewGuid():N}@example.com", sentAt.AddDays(-1));
        var campaign = Campaign.Create($"Webhook {n} {Guid.NewGuid():N}", CampaignKind.Regular, "news@mail.example.org", "News", sentAt.AddDays(-1));
        db.AddRange(contact, campaign);
        await db.SaveChangesAsync();
        var delivery = Delivery.Create(campaign.Id, contact.Id, sentAt);
        var messageId = $"{Guid.NewGuid():N}@mail.example.org";
        delivery.BeginAttempt(sentAt, $"<{messageId}>");
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();
        return new Seeded(delivery.Id, contact.Id, contact.Email, InboundFixtures.Signer.Create(delivery.Id), messageId);
    }

    /// <summary>A signed SNS Notification carrying <paramref name="message"/>, as SNS posts it.</summary>
    public string SnsNotification(string message, string signatureVersion = "2", string? certificateUrl = null, string? messageId = null, string topicArn = TopicArn)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Type"] = "Notification",
            ["MessageId"] = messageId ?? Guid.NewGuid().ToString(),
            ["TopicArn"] = topicArn,
            ["Message"] = message,
            ["Timestamp"] = Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        return SignSns(fields, signatureVersion, certificateUrl ?? CertificateUrl);
    }

    /// <summary>A signed SNS SubscriptionConfirmation.</summary>
    public string SnsSubscriptionConfirmation(string subscribeUrl, string topicArn = TopicArn)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Type"] = "SubscriptionConfirmation",
            ["MessageId"] = Guid.NewGuid().ToString(),
            ["Token"] = "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
            ["TopicArn"] = topicArn,
            ["Message"] = $"You have chosen to subscribe to the topic {topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
            ["SubscribeURL"] = subscribeUrl,
            ["Timestamp"] = Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        return SignSns(fields, "1", CertificateUrl);
    }

    private string SignSns(SortedDictionary<string, string> fields, string signatureVersion, string certificateUrl)
    {
        // docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html: "Name\nvalue\n" in byte order of the names.
        var signed = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            signed.Append(name).Append('\n').Append(value).Append('\n');
        }

        var hash = signatureVersion == "1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var body = new Dictionary<string, string>(fields)
        {
            ["SignatureVersion"] = signatureVersion,
            ["Signature"] = Convert.ToBase64String(SnsKey.SignData(Encoding.UTF8.GetBytes(signed.ToString()), hash, RSASignaturePadding.Pkcs1)),
            ["SigningCertURL"] = certificateUrl,
            ["UnsubscribeURL"] = $"https://{SnsHost}/?Action=Unsubscribe&SubscriptionArn={TopicArn}:c9135db0",
        };
        return JsonSerializer.Serialize(body);
    }

    /// <summary>Posts an SNS message the way SNS does (text/plain, the message type header).</summary>
    public async Task<HttpResponseMessage> PostSnsAsync(string body, string type = "Notification")
    {
        using var client = CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, "text/plain");
        content.Headers.Add("x-amz-sns-message-type", type);
        return await client.PostAsync($"{WebhookEndpoints.Prefix}/ses", content);
    }

    /// <summary>Posts a SendGrid batch signed with <paramref name="key"/> (the configured key when null) at <paramref name="signedAt"/>.</summary>
    public async Task<HttpResponseMessage> PostSendGridAsync(string body, ECDsa? key = null, DateTimeOffset? signedAt = null, bool sign = true)
    {
        using var client = CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        if (sign)
        {
            var timestamp = (signedAt ?? Time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var signature = (key ?? SendGridKey).SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            content.Headers.Add(SendGridWebhook.SignatureHeader, Convert.ToBase64String(signature));
            content.Headers.Add(SendGridWebhook.TimestampHeader, timestamp);
        }

        return await client.PostAsync($"{WebhookEndpoints.Prefix}/sendgrid", content);
    }

    /// <summary>Posts a Postmark payload with the given credentials (the configured ones by default).</summary>
    public async Task<HttpResponseMessage> PostPostmarkAsync(string body, string? user = PostmarkUser, string? password = PostmarkPassword, string? token = PostmarkToken)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{WebhookEndpoints.Prefix}/postmark")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (user is not null)
        {
            request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        if (token is not null)
        {
            request.Headers.Add("X-Webhook-Token", token);
        }

        return await client.SendAsync(request);
    }

    public async Task<HttpResponseMessage> PostMailgunAsync(string body)
    {
        using var client = CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await client.PostAsync($"{WebhookEndpoints.Prefix}/mailgun", content);
    }

    /// <summary>Mailgun's signature of a timestamp and token: hex HMAC-SHA256 with <paramref name="key"/>.</summary>
    public static string MailgunSignature(string timestamp, string token, string key = MailgunKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(timestamp + token)));

    /// <summary>Counts of what the webhooks can write, to show a refused request wrote nothing.</summary>
    public async Task<(int Bounces, int Tracking, int Suppressions)> CountAsync()
    {
        await using var db = await CreateContextAsync();
        return (await db.BounceEvents.CountAsync(), await db.TrackingEvents.CountAsync(), await db.SuppressionEntries.CountAsync());
    }

    public sealed record Seeded(long DeliveryId, long ContactId, string Email, string Token, string MessageId);

    /// <summary>Serves fixed bytes per URL and records every request (the SNS certificate host and SubscribeURL).</summary>
    public sealed class StubHandler : HttpMessageHandler
    {
        public ConcurrentDictionary<string, byte[]> Responses { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<string> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.AbsoluteUri;
            Requests.Enqueue(url);
            return Task.FromResult(Responses.TryGetValue(url, out var bytes)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebhooksAppCollectionDefinition : ICollectionFixture<WebhooksApp>
{
    public const string Name = "Webhooks app";
}

/// <summary>Reading fixtures and filling their placeholders.</summary>
public static class WebhookFixtures
{
    public static string Read(string name, params (string Name, string Value)[] values)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Webhooks", name));
        foreach (var (placeholder, value) in values)
        {
            text = text.Replace("{{" + placeholder + "}}", value, StringComparison.Ordinal);
        }

        return text;
    }

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static async Task<JsonElement> SummaryAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
