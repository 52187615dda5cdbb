using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Tracking;

/// <summary>Open or click. Stored as a string.</summary>
public enum TrackingEventKind
{
    Open = 1,
    Click = 2,
}

/// <summary>One open (tracking pixel fetched) or click (tracked link followed) of a delivery.</summary>
public sealed class TrackingEvent
{
    /// <summary>Long enough for any practical URL (browsers and servers cap around 2 KB).</summary>
    public const int UrlMaxLength = 2048;

    private TrackingEvent()
    {
    }

    public long Id { get; private set; }

    public long DeliveryId { get; private set; }

    public TrackingEventKind Kind { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>The link followed; set for clicks only.</summary>
    public string? Url { get; private set; }

    public static TrackingEvent Open(long deliveryId, DateTimeOffset at) =>
        new() { DeliveryId = ValidDeliveryId(deliveryId), Kind = TrackingEventKind.Open, OccurredAt = at };

    public static TrackingEvent Click(long deliveryId, string url, DateTimeOffset at)
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
        };
    }

    private static long ValidDeliveryId(long deliveryId) =>
        deliveryId > 0 ? deliveryId : throw new DomainException($"A tracking event cannot point to delivery {deliveryId}.");
}
