using BounceDashboard.Web.Identity;
using Xunit;

namespace BounceDashboard.Tests.Identity;

public sealed class LocalUrlTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/campaigns")]
    [InlineData("/campaigns?page=2#top")]
    [InlineData("~/campaigns")]
    public void IsLocal_ShouldAccept_WhenThePathStaysOnThisSite(string url) => Assert.True(LocalUrl.IsLocal(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("~//evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("campaigns")]
    [InlineData("/\r\nLocation: https://evil.example/")]
    public void IsLocal_ShouldRefuse_WhenTheUrlCouldLeaveTheSite(string? url) => Assert.False(LocalUrl.IsLocal(url));

    [Theory]
    [InlineData("/campaigns", "/campaigns")]
    [InlineData("~/campaigns", "/campaigns")]
    [InlineData("https://evil.example/", "/")]
    [InlineData(null, "/")]
    public void OrRoot_ShouldReturnTheLocalPathOrTheRoot_WhenGivenAReturnUrl(string? url, string expected) =>
        Assert.Equal(expected, LocalUrl.OrRoot(url));
}
