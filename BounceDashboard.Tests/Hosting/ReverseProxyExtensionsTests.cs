using System.Net;
using BounceDashboard.Web.Hosting;
using BounceDashboard.Web.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

public sealed class ReverseProxyExtensionsTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddBounceDashboardReverseProxy();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void AddBounceDashboardReverseProxy_ShouldKnowLoopbackOnly_WhenNothingIsConfigured()
    {
        using var services = Build();

        var forwarded = services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, forwarded.ForwardedHeaders);
        Assert.Equal([IPAddress.IPv6Loopback], forwarded.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("127.0.0.0/8")], forwarded.KnownIPNetworks);
        Assert.Equal(1, forwarded.ForwardLimit);
    }

    [Fact]
    public void AddBounceDashboardReverseProxy_ShouldAddTheConfiguredProxiesToLoopback_WhenTheSectionListsThem()
    {
        using var services = Build(
            ("ForwardedHeaders:KnownProxies:0", "10.0.0.5"),
            ("ForwardedHeaders:KnownProxies:1", "fd00::5"),
            ("ForwardedHeaders:KnownNetworks:0", "172.16.0.0/12"),
            ("ForwardedHeaders:ForwardLimit", "2"));

        var forwarded = services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Equal([IPAddress.IPv6Loopback, IPAddress.Parse("10.0.0.5"), IPAddress.Parse("fd00::5")], forwarded.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("127.0.0.0/8"), System.Net.IPNetwork.Parse("172.16.0.0/12")], forwarded.KnownIPNetworks);
        Assert.Equal(2, forwarded.ForwardLimit);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "proxy.internal", "KnownProxies holds 'proxy.internal'")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0", "KnownNetworks holds '10.0.0.0'")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33", "KnownNetworks holds '10.0.0.0/33'")]
    [InlineData("ForwardedHeaders:ForwardLimit", "0", "ForwardLimit")]
    public void AddBounceDashboardReverseProxy_ShouldStopStartUpNamingTheValue_WhenItIsInvalid(string key, string value, string expected)
    {
        using var services = Build((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ReverseProxyOptions>>().Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
