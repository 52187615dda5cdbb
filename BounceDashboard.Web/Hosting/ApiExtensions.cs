using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using BounceDashboard.Domain.Security;
using BounceDashboard.Web.Api;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace BounceDashboard.Web.Hosting;

public static class ApiExtensions
{
    /// <summary>The OpenAPI document of the API (and the webhooks, which live under the same prefix).</summary>
    public const string OpenApiDocumentPath = "/openapi/v1.json";

    /// <summary>A small page that lists the document's operations and sends a request with a key (Development only).</summary>
    public const string ApiDocsPagePath = "/api/docs";

    private const string SecuritySchemeId = ApiKeyAuthentication.Scheme;

    /// <summary>
    /// The API key scheme and its policies, the key commands and queries, problem details, the per-key rate limiter and
    /// the OpenAPI document. Needs the data, rules and inbound registrations.
    /// </summary>
    public static void AddBounceDashboardApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>()
            .BindConfiguration(ApiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthentication.Scheme, configureOptions: null);
        // Only the key scheme authenticates API routes: a browser's sign-in cookie does not (no CSRF through the API),
        // and a refusal is a 401/403 problem, never a redirect to the sign-in page.
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthentication.ReadPolicy, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthentication.Scheme)
                .RequireAuthenticatedUser()
                .RequireRole(Roles.Admin, Roles.Marketer))
            .AddPolicy(ApiKeyAuthentication.AdminPolicy, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthentication.Scheme)
                .RequireAuthenticatedUser()
                .RequireRole(Roles.Admin));

        builder.Services.AddSingleton<IApiKeyCommands, ApiKeyCommands>();
        builder.Services.AddSingleton<ApiKeyCommands>(sp => (ApiKeyCommands)sp.GetRequiredService<IApiKeyCommands>());
        builder.Services.AddScoped<IApiKeyQueries, ApiKeyQueries>();
        builder.Services.AddScoped<IApiQueries, ApiQueries>();

        builder.Services.AddProblemDetails();
        // Responses name enums (reason, kind, state) as the database and the pages do.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(ApiEndpoints.RateLimitPolicy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                // Authorization ran first, so the user is the key's principal; without one, the client address.
                var partition = context.User.FindFirstValue(ApiKeyAuthentication.KeyIdClaim) is { } keyId
                    ? "key:" + keyId
                    : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.RateLimitPermits,
                    Window = settings.RateLimitWindow,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = async (context, _) =>
            {
                var window = context.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RateLimitWindow;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Write(
                    context.HttpContext,
                    StatusCodes.Status429TooManyRequests,
                    "Too many requests",
                    string.Create(CultureInfo.InvariantCulture, $"This key made more requests than its limit allows; try again in {seconds} s."));
            };
        });

        builder.Services.AddOpenApi(options =>
        {
            // The API and the webhooks only: the pages' download and tracking endpoints are not part of it.
            options.ShouldInclude = description => description.RelativePath?.StartsWith(ApiEndpoints.Prefix[1..] + "/", StringComparison.OrdinalIgnoreCase) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "BounceDashboard API",
                    Version = "v1",
                    Description = "Suppression list, contacts, campaign figures, bounce events and raw bounce ingestion. Every route under " +
                        $"{ApiEndpoints.Prefix} except the provider webhooks needs a key in the {ApiKeyAuthentication.HeaderName} header " +
                        "(an Admin key for changes). Errors are RFC 7807 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SecuritySchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthentication.HeaderName,
                    Description = "A key made by an admin (Admin > API keys, or the api-key command).",
                };
                var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeId, document)] = [] };
                foreach (var (path, item) in document.Paths)
                {
                    // Webhooks authenticate by their providers' signatures, not by key.
                    if (path.StartsWith(ApiEndpoints.Prefix + "/webhooks", StringComparison.OrdinalIgnoreCase) || item.Operations is null)
                    {
                        continue;
                    }

                    foreach (var operation in item.Operations.Values)
                    {
                        operation.Security ??= [];
                        operation.Security.Add(requirement);
                    }
                }

                return Task.CompletedTask;
            });
            // Bodies the routes read themselves (ApiRequestBody): JSON by its type's schema, a raw message as bytes.
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiRequestBody>().FirstOrDefault() is not { } body)
                {
                    return;
                }

                var schema = body.Type == typeof(byte[])
                    ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" }
                    : await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { [body.ContentType] = new() { Schema = schema } },
                };
            });
        });
    }

    /// <summary>The API routes, the OpenAPI document (no sign-in: it describes, it holds no data) and the Development docs page.</summary>
    public static void MapBounceDashboardApiAndDocument(this WebApplication app)
    {
        app.MapBounceDashboardApi();
        app.MapOpenApi(OpenApiDocumentPath).AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapGet(ApiDocsPagePath, () => TypedResults.Content(ApiDocsPage.Html, "text/html; charset=utf-8"))
                .AllowAnonymous()
                .ExcludeFromDescription();
        }
    }
}
