using System.Text.Json;
using MimeKit;

namespace BounceDashboard.Web.Sending;

/// <summary>
/// Our delivery token in the metadata each webhook provider returns with its events, so a SendGrid, Mailgun or Postmark
/// event matches its delivery by token (<c>Api/Webhooks/WebhookRecorder</c>): SendGrid's <c>X-SMTPAPI</c> unique
/// argument, Mailgun's <c>X-Mailgun-Variables</c> user variable and Postmark's <c>X-PM-Metadata-bd-token</c>. The
/// providers strip these headers before delivery; any other relay passes them on, and they say no more than the token
/// header every message carries. SES needs none: it returns our token header itself in <c>mail.headers</c>.
/// </summary>
public static class ProviderMetadataHeaders
{
    public const string SendGrid = "X-SMTPAPI";
    public const string Mailgun = "X-Mailgun-Variables";
    public const string Postmark = "X-PM-Metadata-bd-token";

    /// <summary>The name of the token in SendGrid's unique arguments and Mailgun's user variables.</summary>
    public const string TokenName = "bd_token";

    public static void Add(MimeMessage message, string token)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        var variables = JsonSerializer.Serialize(new Dictionary<string, string> { [TokenName] = token });
        message.Headers.Add(SendGrid, $"{{\"unique_args\":{variables}}}");
        message.Headers.Add(Mailgun, variables);
        message.Headers.Add(Postmark, token);
    }
}
