using System.Net;
using System.Text;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Queries;
using Microsoft.Net.Http.Headers;

namespace BounceDashboard.Web.Tracking;

/// <summary>
/// The open pixel, the click redirect and the one-click unsubscribe: with sign-in and <c>/health</c>, the only routes
/// open to anonymous callers. The signed token in the path is the caller's only credential.
/// </summary>
/// <remarks>
/// <para>
/// <c>GET /t/o/{token}</c> answers a 1x1 transparent GIF (no-store) and records an open;
/// <c>GET /t/c/{token}/{link}</c> records a click and answers 302 to link number <c>link</c> stored with the
/// delivery's campaign (<see cref="Domain.Campaigns.CampaignLink"/>). The redirect target is only ever read from the
/// database, never from the request (no query string or path is consulted), so there is no open redirect.
/// </para>
/// <para>
/// <c>POST /t/u/{token}</c> is the RFC 8058 one-click unsubscribe the <c>List-Unsubscribe</c> header names: the mail
/// provider posts the form field <c>List-Unsubscribe=One-Click</c> (urlencoded or multipart) without cookies, so it is
/// exempt from antiforgery; anything else in the body answers 400. It opts the contact out and suppresses the address
/// (<see cref="TrackingCommands.UnsubscribeAsync(long, CancellationToken)"/>), answers 200 with a short page, and
/// answers the same, changing nothing, when posted again. <c>GET /t/u/{token}</c> (a person whose mail client opened
/// the URL) only shows a page whose button posts that form: link scanners fetch every URL in a message, so no GET
/// changes anything but the open and click counts.
/// </para>
/// <para>
/// A token that fails <see cref="TrackingTokenSigner.TryVerify"/>, a delivery that does not exist, or a link number
/// the campaign does not have answers 404 and records nothing; so does anything else under <c>/t/</c>, rather than the
/// sign-in redirect the fallback policy would give it. The URLs we issue carry no query string, so a request with one
/// was altered on the way (or is probing for a redirect parameter): 404, nothing recorded.
/// </para>
/// <para>
/// Idempotency key: every request is its own hit (a mail client fetching the pixel again is another open, counted in
/// the totals), so the key is the hit's facts plus a fresh id per request (<see cref="KeyFor"/>). It stays the same
/// while <see cref="TrackingCommands"/> retries the unit after a concurrency conflict, so a retry is applied once;
/// two hits at the same clock tick still count twice. Uniques come from the delivery's first open/click. An
/// unsubscribe needs no key: it is idempotent by state (opted out and suppressed).
/// </para>
/// </remarks>
public static class TrackingEndpoints
{
    public const string Prefix = "/t";
    public const string OpenPattern = Prefix + "/o/{token}";
    public const string ClickPattern = Prefix + "/c/{token}/{link:int}";
    public const string UnsubscribePattern = Prefix + "/u/{token}";

    /// <summary>The form field and value of an RFC 8058 one-click POST (<c>List-Unsubscribe=One-Click</c>).</summary>
    public const string OneClickField = "List-Unsubscribe";
    public const string OneClickValue = "One-Click";

    /// <summary>The smallest transparent GIF: 1x1, one transparent palette entry (43 bytes).</summary>
    public static ReadOnlyMemory<byte> TransparentGif { get; } = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    /// <summary>The open and click URLs of a delivery's token.</summary>
    public static string OpenPath(string token) => $"{Prefix}/o/{Uri.EscapeDataString(token)}";

    public static string ClickPath(string token, int link) => $"{Prefix}/c/{Uri.EscapeDataString(token)}/{link}";

    /// <summary>The one-click unsubscribe URL of a delivery's token (the <c>List-Unsubscribe</c> header).</summary>
    public static string UnsubscribePath(string token) => $"{Prefix}/u/{Uri.EscapeDataString(token)}";

    public static void MapBounceDashboardTracking(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(OpenPattern, OpenAsync).AllowAnonymous().WithName("TrackOpen");
        endpoints.MapGet(ClickPattern, ClickAsync).AllowAnonymous().WithName("TrackClick");

        // RFC 8058 one-click: the mail provider POSTs without cookies or our antiforgery token (the signed token is the
        // credential); a GET only shows a button, since link scanners fetch every URL in a message.
        endpoints.MapGet(UnsubscribePattern, UnsubscribePageAsync).AllowAnonymous().WithName("UnsubscribePage");
        endpoints.MapPost(UnsubscribePattern, UnsubscribeAsync).AllowAnonymous().DisableAntiforgery().WithName("Unsubscribe");

        // Everything else under /t (extra segments, a non-numeric link, another method): 404, not a sign-in redirect.
        endpoints.Map(Prefix + "/{**rest}", () => Results.NotFound()).AllowAnonymous();
    }

    /// <summary>The key of one request's hit: its facts and a fresh id, so each request counts once and only once.</summary>
    public static string KeyFor(TrackingEventKind kind, long deliveryId, DateTimeOffset at) =>
        $"{TrackingEvent.KeyFor(kind, deliveryId, at)}:req:{Guid.NewGuid():N}";

    /// <summary>
    /// The delivery a token names, when the token passes the HMAC check and the URL is as we issued it (ours carry no
    /// query string, so one means the URL was altered on the way or is probing for a redirect parameter).
    /// </summary>
    private static bool IsOurs(HttpContext context, TrackingTokenSigner signer, string token, out long deliveryId)
    {
        deliveryId = 0;
        return !context.Request.QueryString.HasValue && signer.TryVerify(token, out deliveryId);
    }

    private static async Task<IResult> OpenAsync(
        string token,
        HttpContext context,
        TrackingTokenSigner signer,
        TrackingCommands tracking,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!IsOurs(context, signer, token, out var deliveryId))
        {
            return Results.NotFound();
        }

        var at = time.GetUtcNow();
        var outcome = await tracking.RecordAsync(TrackingEvent.Open(deliveryId, at, KeyFor(TrackingEventKind.Open, deliveryId, at)), cancellationToken);
        if (outcome == TrackingOutcome.UnknownDelivery)
        {
            return Results.NotFound();
        }

        // Every fetch must reach us to be counted: no browser, proxy or mail-client cache may keep the pixel.
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        return Results.Bytes(TransparentGif, "image/gif");
    }

    private static async Task<IResult> UnsubscribePageAsync(
        string token,
        HttpContext context,
        TrackingTokenSigner signer,
        ITrackingQueries queries,
        CancellationToken cancellationToken)
    {
        if (!IsOurs(context, signer, token, out var deliveryId)
            || !await queries.DeliveryExistsAsync(deliveryId, cancellationToken))
        {
            return Results.NotFound();
        }

        var action = WebUtility.HtmlEncode(context.Request.PathBase + UnsubscribePath(token));
        return Page(
            context,
            "<p>Press the button to stop receiving these emails.</p>\n"
            + $"<form method=\"post\" action=\"{action}\">"
            + $"<input type=\"hidden\" name=\"{OneClickField}\" value=\"{OneClickValue}\">"
            + "<button type=\"submit\">Unsubscribe</button></form>");
    }

    private static async Task<IResult> UnsubscribeAsync(
        string token,
        HttpContext context,
        TrackingTokenSigner signer,
        TrackingCommands tracking,
        CancellationToken cancellationToken)
    {
        if (!IsOurs(context, signer, token, out var deliveryId))
        {
            return Results.NotFound();
        }

        // RFC 8058 §3.2: the body is the form field List-Unsubscribe=One-Click, urlencoded or multipart.
        if (!context.Request.HasFormContentType)
        {
            return Results.BadRequest();
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            return Results.BadRequest();
        }

        if (!string.Equals(form[OneClickField], OneClickValue, StringComparison.OrdinalIgnoreCase))
        {
            return Results.BadRequest();
        }

        if (await tracking.UnsubscribeAsync(deliveryId, cancellationToken) == UnsubscribeOutcome.UnknownDelivery)
        {
            return Results.NotFound();
        }

        return Page(context, "<p>You are unsubscribed: you will receive no more of these emails.</p>");
    }

    /// <summary>A bare page (no script, no outside resource, not indexed, not cached) with the unsubscribe heading.</summary>
    private static IResult Page(HttpContext context, string body)
    {
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        return Results.Content(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Unsubscribe</title></head>\n"
            + $"<body><main><h1>Unsubscribe</h1>\n{body}\n</main></body></html>\n",
            "text/html",
            Encoding.UTF8);
    }

    private static async Task<IResult> ClickAsync(
        string token,
        int link,
        HttpContext context,
        TrackingTokenSigner signer,
        ITrackingQueries queries,
        TrackingCommands tracking,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!IsOurs(context, signer, token, out var deliveryId) || link < 1)
        {
            return Results.NotFound();
        }

        if (await queries.LinkUrlAsync(deliveryId, link, cancellationToken) is not { } url)
        {
            return Results.NotFound();
        }

        var at = time.GetUtcNow();
        var outcome = await tracking.RecordAsync(TrackingEvent.Click(deliveryId, url, at, KeyFor(TrackingEventKind.Click, deliveryId, at)), cancellationToken);
        if (outcome == TrackingOutcome.UnknownDelivery)
        {
            return Results.NotFound();
        }

        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        return Results.Redirect(url, permanent: false);
    }
}
