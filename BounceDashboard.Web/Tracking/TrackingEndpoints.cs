using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace BounceDashboard.Web.Tracking;

/// <summary>
/// The open pixel and the click redirect: with sign-in and <c>/health</c>, the only routes open to anonymous callers.
/// </summary>
/// <remarks>
/// <para>
/// <c>GET /t/o/{token}</c> answers a 1x1 transparent GIF (no-store) and records an open;
/// <c>GET /t/c/{token}/{link}</c> records a click and answers 302 to link number <c>link</c> stored with the
/// delivery's campaign (<see cref="Domain.Campaigns.CampaignLink"/>). The redirect target is only ever read from the
/// database, never from the request (no query string or path is consulted), so there is no open redirect.
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
/// two hits at the same clock tick still count twice. Uniques come from the delivery's first open/click.
/// </para>
/// </remarks>
public static class TrackingEndpoints
{
    public const string Prefix = "/t";
    public const string OpenPattern = Prefix + "/o/{token}";
    public const string ClickPattern = Prefix + "/c/{token}/{link:int}";
    public const string UnsubscribePattern = Prefix + "/u/{token}";

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

        // Everything else under /t (extra segments, a non-numeric link, another method): 404, not a sign-in redirect.
        endpoints.Map(Prefix + "/{**rest}", () => Results.NotFound()).AllowAnonymous();
    }

    /// <summary>The key of one request's hit: its facts and a fresh id, so each request counts once and only once.</summary>
    public static string KeyFor(TrackingEventKind kind, long deliveryId, DateTimeOffset at) =>
        $"{TrackingEvent.KeyFor(kind, deliveryId, at)}:req:{Guid.NewGuid():N}";

    private static async Task<IResult> OpenAsync(
        string token,
        HttpContext context,
        TrackingTokenSigner signer,
        TrackingCommands tracking,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (context.Request.QueryString.HasValue || !signer.TryVerify(token, out var deliveryId))
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

    private static async Task<IResult> ClickAsync(
        string token,
        int link,
        HttpContext context,
        TrackingTokenSigner signer,
        IDbContextFactory<BounceDbContext> dbFactory,
        TrackingCommands tracking,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (context.Request.QueryString.HasValue || !signer.TryVerify(token, out var deliveryId) || link < 1)
        {
            return Results.NotFound();
        }

        string? url;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            url = await (
                from d in db.Deliveries
                join l in db.CampaignLinks on d.CampaignId equals l.CampaignId
                where d.Id == deliveryId && l.Number == link
                select l.Url).SingleOrDefaultAsync(cancellationToken);
        }

        if (url is null)
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
