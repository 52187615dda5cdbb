using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Tracking;

/// <summary>Open or click. Stored as a string.</summary>
public enum TrackingEventKind
{
    Open = 1,
    Click = 2,
}

/// <summary>One open (tracking pixel fetched) or click (tracked link followed) of a delivery.</summary>
/// <remarks>
/// Like a bounce event, a hit carries an idempotency key, unique in the database: the same hit recorded twice (a
/// replayed request, a retried import) is stored once and applied once. Without a key from the caller, the key is
/// the hit's own facts (<see cref="KeyFor"/>: kind, delivery, time to the tick, link), so an exact replay collapses.
/// </remarks>
public sealed class TrackingEvent
{
    /// <summary>Long enough for any practical URL (browsers and servers cap around 2 KB).</summary>
    public const int UrlMaxLength = 2048;

    public const int IdempotencyKeyMaxLength = 200;

    private TrackingEvent()
    {
        IdempotencyKey = string.Empty;
    }

    public long Id { get; private set; }

    public long DeliveryId { get; private set; }

    public TrackingEventKind Kind { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>The link followed; set for clicks only.</summary>
    public string? Url { get; private set; }

    /// <summary>Unique per hit; see <see cref="KeyFor"/>.</summary>
    public string IdempotencyKey { get; private set; }

    /// <summary>
    /// The key of a hit from its facts: <c>{kind}:{deliveryId}:{UTC ticks}</c>, plus a SHA-256 of the link for a click.
    /// A caller with a better identity for the hit (a request id, a provider's event id) passes its own key instead.
    /// </summary>
    public static string KeyFor(TrackingEventKind kind, long deliveryId, DateTimeOffset at, string? url = null)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{kind}:{deliveryId}:{at.UtcTicks}");
        if (url is null)
        {
            return key;
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));
        return $"{key}:{digest}";
    }

    public static TrackingEvent Open(long deliveryId, DateTimeOffset at, string? idempotencyKey = null) =>
        new()
        {
            DeliveryId = ValidDeliveryId(deliveryId),
            Kind = TrackingEventKind.Open,
            OccurredAt = at,
            IdempotencyKey = TextLimits.Required(idempotencyKey ?? KeyFor(TrackingEventKind.Open, deliveryId, at), IdempotencyKeyMaxLength, "Idempotency key"),
        };

    public static TrackingEvent Click(long deliveryId, string url, DateTimeOffset at, string? idempotencyKey = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new DomainException($"A click needs an absolute http(s) URL, not '{url}'.");
        }

        return new TrackingEvent
        {
            DeliveryId = ValidDeliveryId(deliveryId),
            Kind = TrackingEventKind.Click,
            OccurredAt = at,
            Url = TextLimits.Required(url, UrlMaxLength, "URL"),
            IdempotencyKey = TextLimits.Required(idempotencyKey ?? KeyFor(TrackingEventKind.Click, deliveryId, at, url), IdempotencyKeyMaxLength, "Idempotency key"),
        };
    }

    /// <summary>The same hit as a new, unsaved event: what a command retries with after a concurrency conflict.</summary>
    public TrackingEvent CopyAsNew()
    {
        var copy = (TrackingEvent)MemberwiseClone();
        copy.Id = 0;
        return copy;
    }

    private static long ValidDeliveryId(long deliveryId) =>
        deliveryId > 0 ? deliveryId : throw new DomainException($"A tracking event cannot point to delivery {deliveryId}.");
}
