using System.ComponentModel.DataAnnotations;

namespace BounceDashboard.Web.Api.Webhooks;

/// <summary>
/// The provider webhooks (section <c>Webhooks</c>, validated at start-up). A provider whose secret is not configured
/// is off: its endpoint answers 401 to everything. Secrets come from configuration or the environment only
/// (<c>Webhooks__Mailgun__SigningKey</c>), never from a committed file. See the README ("Provider webhooks").
/// </summary>
public sealed class WebhooksOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    /// <summary>Largest request body read; a larger one answers 413 and changes nothing.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    [Required]
    public SesWebhookOptions Ses { get; set; } = new();

    [Required]
    public SendGridWebhookOptions SendGrid { get; set; } = new();

    [Required]
    public PostmarkWebhookOptions Postmark { get; set; } = new();

    [Required]
    public MailgunWebhookOptions Mailgun { get; set; } = new();

    /// <summary>The providers' own limits (data annotations are not checked on nested objects by themselves).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        foreach (var (name, section) in new (string, object)[] { (nameof(Ses), Ses), (nameof(SendGrid), SendGrid), (nameof(Postmark), Postmark), (nameof(Mailgun), Mailgun) })
        {
            var own = new List<ValidationResult>();
            Validator.TryValidateObject(section, new ValidationContext(section), own, validateAllProperties: true);
            results.AddRange(own.Select(r => new ValidationResult(
                $"{SectionName}:{name}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}", r.MemberNames.Select(m => $"{name}.{m}"))));
        }

        if (SendGrid.KeyProblem() is { } problem)
        {
            results.Add(new ValidationResult(
                $"{SectionName}:{nameof(SendGrid)}:{nameof(SendGridWebhookOptions.PublicKey)} is not a P-256 public key (base64 SubjectPublicKeyInfo or PEM): {problem}.",
                [$"{nameof(SendGrid)}.{nameof(SendGridWebhookOptions.PublicKey)}"]));
        }

        return results;
    }
}

/// <summary>Amazon SES notifications through an SNS topic (HTTPS subscription).</summary>
public sealed class SesWebhookOptions
{
    /// <summary>The SNS topics whose messages are accepted; none configured turns the endpoint off.</summary>
    public List<string> TopicArns { get; set; } = [];

    /// <summary>
    /// Hosts the signing certificate and the subscription confirmation may be fetched from (https only); <c>*</c>
    /// stands for one DNS label. Empty means <see cref="DefaultAllowedHosts"/>.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Confirm a subscription to an accepted topic by fetching its SubscribeURL.</summary>
    public bool ConfirmSubscriptions { get; set; } = true;

    /// <summary>SNS's own certificate hosts (AWS: "verify the SigningCertURL is from Amazon SNS").</summary>
    public static IReadOnlyList<string> DefaultAllowedHosts { get; } = ["sns.*.amazonaws.com", "sns.*.amazonaws.com.cn"];

    public IReadOnlyList<string> EffectiveAllowedHosts => AllowedHosts.Count > 0 ? AllowedHosts : DefaultAllowedHosts;

    public bool IsEnabled => TopicArns.Exists(t => !string.IsNullOrWhiteSpace(t));
}

/// <summary>SendGrid's signed Event Webhook.</summary>
public sealed class SendGridWebhookOptions
{
    /// <summary>The verification key SendGrid shows for the signed webhook: base64 of a P-256 SubjectPublicKeyInfo (or PEM).</summary>
    public string? PublicKey { get; set; }

    /// <summary>How far the signed timestamp may be from our clock (SendGrid retries a failed post for a day).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(1);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(PublicKey);

    /// <summary>Why <see cref="PublicKey"/> cannot be used, or null when it is unset or a P-256 public key.</summary>
    public string? KeyProblem()
    {
        if (!IsEnabled)
        {
            return null;
        }

        try
        {
            using var key = SendGridWebhook.ImportKey(PublicKey!);
            return key.KeySize == 256 ? null : "not a P-256 key";
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return ex.GetType().Name;
        }
    }
}

/// <summary>Postmark's bounce, spam-complaint, delivery, open, click and subscription webhooks.</summary>
public sealed class PostmarkWebhookOptions
{
    /// <summary>Basic authentication Postmark sends (set in the webhook URL: https://user:password@host/...).</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>A secret Postmark sends in <see cref="TokenHeader"/> (a custom header of the webhook).</summary>
    public string? Token { get; set; }

    [Required]
    [RegularExpression("^[A-Za-z0-9-]{1,100}$")]
    public string TokenHeader { get; set; } = "X-Webhook-Token";

    public bool HasBasicAuth => !string.IsNullOrEmpty(UserName) && !string.IsNullOrEmpty(Password);

    public bool HasToken => !string.IsNullOrEmpty(Token);

    public bool IsEnabled => HasBasicAuth || HasToken;
}

/// <summary>Mailgun's signed webhooks.</summary>
public sealed class MailgunWebhookOptions
{
    /// <summary>The HTTP webhook signing key (Mailgun: Settings, API security).</summary>
    public string? SigningKey { get; set; }

    /// <summary>How far the signed timestamp may be from our clock; a signature token is accepted once within it.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(SigningKey);
}
