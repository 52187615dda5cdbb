using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Tracking;
using Xunit;

namespace BounceDashboard.Tests.Domain.Tracking;

public class TrackingEventTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Click_ShouldKeepTheUrl_WhenItIsAnAbsoluteHttpUrl()
    {
        var click = TrackingEvent.Click(5, "https://example.org/offer?id=1", s_now);

        Assert.Equal((TrackingEventKind.Click, "https://example.org/offer?id=1", 5L), (click.Kind, click.Url, click.DeliveryId));
        Assert.Null(TrackingEvent.Open(5, s_now).Url);
    }

    [Theory]
    [InlineData("/relative")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.org/file")]
    [InlineData("")]
    public void Click_ShouldThrow_WhenTheUrlIsNotAnAbsoluteHttpUrl(string url)
    {
        Assert.Throws<DomainException>(() => TrackingEvent.Click(5, url, s_now));
    }

    [Fact]
    public void Open_ShouldThrow_WhenTheDeliveryIsNotSaved()
    {
        Assert.Throws<DomainException>(() => TrackingEvent.Open(0, s_now));
    }
}
