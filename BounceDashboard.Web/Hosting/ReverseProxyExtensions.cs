using System.Net;
using BounceDashboard.Web.Options;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Hosting;

public static class ReverseProxyExtensions
{
    /// <summary>
    /// Believes X-Forwarded-For and X-Forwarded-Proto from known proxies only (<see cref="ReverseProxyOptions"/>, section
    /// "ForwardedHeaders", validated at start-up), so a user on HTTPS through the proxy gets Secure cookies and HSTS.
    /// X-Forwarded-Host is not read: the proxy passes the Host header through.
    /// </summary>
    public static void AddBounceDashboardReverseProxy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReverseProxyOptions>()
            .BindConfiguration(ReverseProxyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ReverseProxyOptions>>((forwarded, proxies) =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                forwarded.ForwardLimit = proxies.Value.ForwardLimit;
                // The defaults (127.0.0.0/8 and ::1) stay: a proxy on the same machine is always known.
                foreach (var proxy in proxies.Value.KnownProxies)
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
                }

                foreach (var network in proxies.Value.KnownNetworks)
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
                }
            });
    }

    /// <summary>First in the pipeline, so HSTS, cookies, redirects and logs all see the client's scheme and address.</summary>
    public static void UseBounceDashboardReverseProxy(this WebApplication app) => app.UseForwardedHeaders();
}
