using System.Security.Claims;
using System.Security.Cryptography;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Ingest;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Queries;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BounceDashboard.Web.Api;

/// <summary>
/// The HTTP API under <see cref="Prefix"/>: every route needs a key (<see cref="ApiKeyAuthentication"/>), counts against
/// the key's rate limit, and answers errors as problem details. Pages and the API read through the same query services
/// and change things through the same commands (the same rules and audit entries, actor <c>api:NAME</c>).
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    /// <summary>The rate limiter policy: a fixed window per key (<see cref="ApiOptions"/>).</summary>
    public const string RateLimitPolicy = "api-key";

    public const string RawMessageContentType = "message/rfc822";

    private const int DefaultPageSize = 50;
    private const int DefaultHistory = 100;

    public static IEndpointRouteBuilder MapBounceDashboardApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix)
            .RequireAuthorization(ApiKeyAuthentication.ReadPolicy)
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter(CatchUnexpectedAsync)
            .WithMetadata(
                new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), ["application/problem+json"]),
                new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails), ["application/problem+json"]));

        var suppressions = api.MapGroup("/suppressions").WithTags("Suppressions");
        suppressions.MapGet("/", ListSuppressionsAsync)
            .WithName("ListSuppressions")
            .WithSummary("The suppression list, newest first, paged and filtered")
            .Produces<ApiPage<SuppressionRow>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        suppressions.MapPost("/", AddSuppressionAsync)
            .RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .WithName("AddSuppression")
            .WithSummary("Suppresses an address (Admin key; a reason is required)")
            .WithMetadata(new ApiRequestBody("application/json", typeof(AddSuppressionRequest)))
            .Produces<SuppressionRow>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        suppressions.MapGet("/{address}", GetSuppressionAsync)
            .WithName("GetSuppression")
            .WithSummary("One address: whether it is suppressed, and its entries (in force and lifted)")
            .Produces<AddressSuppressions>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        suppressions.MapDelete("/{address}", RemoveSuppressionAsync)
            .RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .WithName("RemoveSuppression")
            .WithSummary("Lifts an address's suppression and reactivates its contact (Admin key; ?reason= is required, ?confirmComplaint=true for a complaint)")
            .Produces<ApiCommandResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/contacts/{address}", GetContactAsync)
            .WithTags("Contacts")
            .WithName("GetContact")
            .WithSummary("A contact's status, counters, suppression entries and newest history entries")
            .Produces<ContactResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var campaigns = api.MapGroup("/campaigns").WithTags("Campaigns");
        campaigns.MapGet("/", ListCampaignsAsync)
            .WithName("ListCampaigns")
            .WithSummary("Campaigns with their response counts, newest first, paged (optionally one tab of the response list)")
            .Produces<ApiPage<CampaignSummary>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        campaigns.MapGet("/{id}", GetCampaignAsync)
            .WithName("GetCampaign")
            .WithSummary("A campaign's response figures: the same numbers as its page")
            .Produces<CampaignResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var bounces = api.MapGroup("/bounces").WithTags("Bounces");
        bounces.MapGet("/", ListBouncesAsync)
            .WithName("ListBounces")
            .WithSummary("Bounce events, newest first, filtered, paged by an opaque page token")
            .Produces<BounceEventPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        bounces.MapPost("/raw", PostRawBounceAsync)
            .WithName("PostRawBounce")
            .WithSummary("Reads a raw bounce (message/rfc822) like a polled one; the same bytes twice count once")
            .WithMetadata(new ApiRequestBody(RawMessageContentType, typeof(byte[])))
            .Produces<RawBounceResponse>(StatusCodes.Status201Created)
            .Produces<RawBounceResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return endpoints;
    }

    private static async Task<IResult> ListSuppressionsAsync(
        ISuppressionQueries queries,
        string? search,
        string? reason,
        string? source,
        string? from,
        string? to,
        string? includeLifted,
        string? page,
        string? pageSize,
        CancellationToken cancellationToken)
    {
        var args = new ApiArguments();
        var filter = new SuppressionFilter(
            args.Text(nameof(search), search, SuppressionEntry.EmailMaxLength),
            args.Enum<SuppressionReason>(nameof(reason), reason),
            args.Enum<SuppressionSource>(nameof(source), source),
            args.Instant(nameof(from), from),
            args.Instant(nameof(to), to),
            args.Boolean(nameof(includeLifted), includeLifted) ?? false);
        var (pageNumber, size) = Paging(args, page, pageSize);
        if (args.HasErrors)
        {
            return args.Problem();
        }

        var result = await queries.ListAsync(filter, SuppressionSortField.CreatedAt, descending: true, new PageRequest(pageNumber - 1, size), cancellationToken);
        return TypedResults.Ok(new ApiPage<SuppressionRow>(result.Items, result.TotalCount, pageNumber, size));
    }

    private static async Task<IResult> GetSuppressionAsync(string address, IApiQueries queries, CancellationToken cancellationToken)
    {
        if (!ApiArguments.TryAddress(address, out var email, out var problem))
        {
            return problem!;
        }

        var entries = await queries.SuppressionsOfAsync(email, cancellationToken);
        return entries.Count == 0
            ? ApiProblems.NotFound("Not on the suppression list", $"{email} has never been suppressed.")
            : TypedResults.Ok(new AddressSuppressions(email, entries.Any(e => e.IsActive), entries));
    }

    private static async Task<IResult> AddSuppressionAsync(
        HttpRequest request,
        ClaimsPrincipal user,
        ISuppressionCommands commands,
        IApiQueries queries,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJson.ReadAsync<AddSuppressionRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!ApiArguments.TryAddress(body!.Address, out var email, out problem))
        {
            return problem!;
        }

        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            return ApiProblems.BadRequest("Reason required", "Say why the address is suppressed in 'reason'. Nothing was changed.");
        }

        if ((await queries.SuppressionsOfAsync(email, cancellationToken)).FirstOrDefault(e => e.IsActive) is { } existing)
        {
            return ApiProblems.Conflict("Already suppressed", $"{email} is already suppressed ({existing.Reason}) since {existing.CreatedAt:O}.");
        }

        var result = await commands.SuppressAsync(user, email, body.Reason, cancellationToken);
        if (!result.Succeeded)
        {
            return FromCommand(result, "Suppression refused");
        }

        var entry = (await queries.SuppressionsOfAsync(email, cancellationToken)).First(e => e.IsActive);
        return TypedResults.Created($"{Prefix}/suppressions/{Uri.EscapeDataString(email)}", entry);
    }

    private static async Task<IResult> RemoveSuppressionAsync(
        string address,
        string? reason,
        string? confirmComplaint,
        ClaimsPrincipal user,
        ISuppressionCommands commands,
        CancellationToken cancellationToken)
    {
        if (!ApiArguments.TryAddress(address, out var email, out var problem))
        {
            return problem!;
        }

        var args = new ApiArguments();
        var confirmed = args.Boolean(nameof(confirmComplaint), confirmComplaint) ?? false;
        args.Check(!string.IsNullOrWhiteSpace(reason), "'reason' is required: say why the address may be mailed again.");
        if (args.HasErrors)
        {
            return args.Problem();
        }

        var result = await commands.ReactivateAsync(user, email, reason!, confirmed, cancellationToken);
        return result.Succeeded
            ? TypedResults.Ok(new ApiCommandResult(email, result.Message))
            : FromCommand(result, "Reactivation refused");
    }

    private static async Task<IResult> GetContactAsync(
        string address,
        string? historyLimit,
        IApiQueries queries,
        IContactQueries contacts,
        CancellationToken cancellationToken)
    {
        if (!ApiArguments.TryAddress(address, out var email, out var problem))
        {
            return problem!;
        }

        var args = new ApiArguments();
        var limit = args.Int(nameof(historyLimit), historyLimit, DefaultHistory, 0, ContactQueries.MaxHistory);
        if (args.HasErrors)
        {
            return args.Problem();
        }

        if (await queries.FindContactIdAsync(email, cancellationToken) is not { } id
            || await contacts.GetAsync(id, cancellationToken) is not { } details)
        {
            return ApiProblems.NotFound("Unknown contact", $"There is no contact {email}.");
        }

        var history = limit == 0 ? ContactHistory.Empty : await contacts.HistoryAsync(id, limit, cancellationToken);
        return TypedResults.Ok(new ContactResponse(details, history.Entries.Select(ContactHistoryItem.From).ToList(), history.HasMore));
    }

    private static async Task<IResult> ListCampaignsAsync(
        ICampaignQueries queries,
        string? tab,
        string? page,
        string? pageSize,
        CancellationToken cancellationToken)
    {
        var args = new ApiArguments();
        var campaignTab = args.Enum<CampaignTab>(nameof(tab), tab);
        var (pageNumber, size) = Paging(args, page, pageSize);
        if (args.HasErrors)
        {
            return args.Problem();
        }

        var request = new PageRequest(pageNumber - 1, size);
        var result = campaignTab is { } t
            ? await queries.ListAsync(new CampaignListRequest(t, request), cancellationToken)
            : await queries.ListAsync(request, cancellationToken);
        return TypedResults.Ok(new ApiPage<CampaignSummary>(result.Items, result.TotalCount, pageNumber, size));
    }

    private static async Task<IResult> GetCampaignAsync(string id, ICampaignResponseQueries queries, CancellationToken cancellationToken)
    {
        var args = new ApiArguments();
        var campaignId = args.Id(nameof(id), id);
        if (args.HasErrors || campaignId is null)
        {
            return args.Problem();
        }

        return await queries.GetAsync(campaignId.Value, cancellationToken) is { } response
            ? TypedResults.Ok(response)
            : ApiProblems.NotFound("Unknown campaign", $"There is no campaign {campaignId}.");
    }

    private static async Task<IResult> ListBouncesAsync(
        IApiQueries queries,
        string? from,
        string? to,
        string? campaignId,
        string? sendingDomain,
        string? ip,
        string? reason,
        string? kind,
        string? hard,
        string? limit,
        string? pageToken,
        CancellationToken cancellationToken)
    {
        var args = new ApiArguments();
        var filter = new BounceEventFilter(
            args.Instant(nameof(from), from),
            args.Instant(nameof(to), to),
            args.Id(nameof(campaignId), campaignId),
            args.Text(nameof(sendingDomain), sendingDomain, EmailAddress.DomainMaxLength)?.ToLowerInvariant(),
            args.Text(nameof(ip), ip, Domain.Deliveries.Delivery.SendingIpMaxLength),
            args.Enum<BounceReason>(nameof(reason), reason),
            args.Enum<MessageKind>(nameof(kind), kind),
            args.Boolean(nameof(hard), hard));
        var size = args.Int(nameof(limit), limit, DefaultPageSize, 1, ApiQueries.MaxPageSize);
        BounceEventCursor? after = null;
        if (!string.IsNullOrWhiteSpace(pageToken))
        {
            args.Check(BounceEventCursor.TryDecode(pageToken, out var cursor), "'pageToken' is not a token this API gave (use nextPageToken as it came).");
            after = cursor;
        }

        if (args.HasErrors)
        {
            return args.Problem();
        }

        return TypedResults.Ok(await queries.BouncesAsync(filter, after, size, cancellationToken));
    }

    private static async Task<IResult> PostRawBounceAsync(
        HttpRequest request,
        InboundIngest ingest,
        IOptions<ApiOptions> options,
        CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals(RawMessageContentType, StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblems.UnsupportedMediaType(RawMessageContentType, request.ContentType);
        }

        var limit = options.Value.MaxRawMessageBytes;
        if (request.ContentLength > limit)
        {
            return ApiProblems.TooLarge(limit);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        byte[] content;
        try
        {
            content = await ReadLimitedAsync(request.Body, limit, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiProblems.TooLarge(limit);
        }

        if (content.Length == 0)
        {
            return ApiProblems.BadRequest("Empty message", $"Send the whole message as the body ({RawMessageContentType}).");
        }

        // The content hash is the source key: the same bytes posted again find the earlier message (a duplicate).
        var sourceKey = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        IngestResult result;
        try
        {
            result = await ingest.IngestAsync(InboundSource.Api, sourceKey, content, cancellationToken);
        }
        catch (DomainException ex)
        {
            return ApiProblems.BadRequest("Message refused", ex.Message);
        }

        var response = new RawBounceResponse(
            result.InboundMessageId,
            result.Duplicate,
            result.Outcome,
            result.Kind,
            result.Format,
            result.Error,
            result.Recipients.Select(r => new RawBounceRecipient(r.Address, r.Reason, r.DeliveryId, r.BounceEventId, r.Applied, r.Effect)).ToList());
        return result.Duplicate ? TypedResults.Ok(response) : TypedResults.Created((string?)null, response);
    }

    /// <summary>The whole body; above <paramref name="limit"/> bytes throws as Kestrel does (413), whatever Content-Length said.</summary>
    private static async Task<byte[]> ReadLimitedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static (int Page, int PageSize) Paging(ApiArguments args, string? page, string? pageSize) =>
        (args.Int(nameof(page), page, 1, 1, int.MaxValue / PageRequest.MaxPageSize), args.Int(nameof(pageSize), pageSize, DefaultPageSize, 1, PageRequest.MaxPageSize));

    private static IResult FromCommand(CommandResult result, string title) => result.Status switch
    {
        CommandStatus.Forbidden => ApiProblems.Forbidden(result.Message),
        CommandStatus.NotFound => ApiProblems.NotFound("Not found", result.Message),
        _ => ApiProblems.BadRequest(title, result.Message),
    };

    /// <summary>An unexpected failure answers 500 problem details (not the HTML error page), logged with its type only.</summary>
    private static async ValueTask<object?> CatchUnexpectedAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>()
                .CreateLogger(typeof(ApiEndpoints))
                .LogError(ex, "API request {Method} {Route} failed", context.HttpContext.Request.Method, (context.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText);
            return TypedResults.Problem(title: "Internal error", detail: "The request failed on the server; nothing is known to have changed.", statusCode: StatusCodes.Status500InternalServerError);
        }
    }
}
