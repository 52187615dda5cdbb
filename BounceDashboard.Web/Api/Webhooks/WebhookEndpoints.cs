using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Api.Webhooks;

/// <summary>
/// <c>POST /api/v1/webhooks/{ses|sendgrid|postmark|mailgun}</c>: the providers' bounce webhooks. Anonymous, without
/// antiforgery: each provider's signature (or, for Postmark, its credentials) is the authentication. A bad or missing
/// signature answers 401 and records nothing; a body that is not the provider's JSON 400; a body over
/// <see cref="WebhooksOptions.MaxBodyBytes"/> 413; otherwise 200 with a <see cref="WebhookSummary"/>. Errors are RFC 7807
/// problem details.
/// </summary>
public static class WebhookEndpoints
{
    /// <summary>The webhooks' routes, under the API's prefix (but authenticated by the providers' signatures, not keys).</summary>
    public const string Prefix = ApiEndpoints.Prefix + "/webhooks";

    public static void AddBounceDashboardWebhooks(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<WebhooksOptions>()
            .BindConfiguration(WebhooksOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient(SesWebhook.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15));
        builder.Services.AddSingleton<SnsCertificateSource>();
        builder.Services.AddSingleton<MailgunTokenGuard>();
        builder.Services.AddSingleton<IWebhookReceiver, SesWebhook>();
        builder.Services.AddSingleton<IWebhookReceiver, SendGridWebhook>();
        builder.Services.AddSingleton<IWebhookReceiver, PostmarkWebhook>();
        builder.Services.AddSingleton<IWebhookReceiver, MailgunWebhook>();
        builder.Services.AddSingleton<WebhookRecorder>();
    }

    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(Prefix)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithTags("Webhooks");
        Map(group, WebhookProvider.Ses, "Amazon SES notifications through an SNS HTTPS subscription (signature checked against the SNS certificate)");
        Map(group, WebhookProvider.SendGrid, "SendGrid Event Webhook (signed with ECDSA)");
        Map(group, WebhookProvider.Postmark, "Postmark bounce, spam complaint, delivery, open, click and subscription webhooks (basic auth and/or token header)");
        Map(group, WebhookProvider.Mailgun, "Mailgun webhooks (HMAC-signed)");
        return group;
    }

    /// <remarks>
    /// No <c>Accepts</c> metadata: it makes routing answer a wrong content type with a bare 415 (behind the sign-in
    /// redirect of the fallback policy); each receiver reads the body itself, whatever its type (SNS posts text/plain).
    /// The body is documented through the API's <see cref="ApiRequestBody"/> metadata (SNS posts JSON as text/plain).
    /// </remarks>
    private static void Map(RouteGroupBuilder group, WebhookProvider provider, string summary)
    {
        var name = WebhookRecorder.RouteName(provider);
        group.MapPost($"/{name}", (HttpContext context, IEnumerable<IWebhookReceiver> receivers, WebhookRecorder recorder, IOptions<WebhooksOptions> options, CancellationToken cancellationToken) =>
                HandleAsync(context, receivers.Single(r => r.Provider == provider), recorder, options.Value, cancellationToken))
            .WithName($"Webhook{provider}")
            .WithSummary(summary)
            .WithMetadata(new ApiRequestBody(provider == WebhookProvider.Ses ? "text/plain" : "application/json", typeof(System.Text.Json.JsonElement)))
            .Produces<WebhookSummary>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, IWebhookReceiver receiver, WebhookRecorder recorder, WebhooksOptions options, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(context, options.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"A webhook body is at most {options.MaxBodyBytes} bytes.");
        }

        var reading = await receiver.ReadAsync(context.Request, body.Value, cancellationToken);
        if (reading.StatusCode != StatusCodes.Status200OK)
        {
            var title = reading.StatusCode switch
            {
                StatusCodes.Status401Unauthorized => "Webhook signature missing or invalid",
                StatusCodes.Status400BadRequest => "Malformed webhook body",
                _ => "Webhook not processed",
            };
            return Problem(reading.StatusCode, title, reading.Problem);
        }

        var summary = await recorder.RecordAllAsync(receiver.Provider, reading.Events, cancellationToken);
        return Results.Ok(summary with { Note = reading.Note });
    }

    private static IResult Problem(int status, string title, string? detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });

    /// <summary>The whole body, or null when it is larger than <paramref name="limit"/> (read no further than that).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext context, int limit, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + 1L;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
